package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/leakhound/leakhound/internal/fixture"
)

func TestMain(m *testing.M) {
	testscript.Main(buildAndRun{m}, map[string]func(){
		"leakhound": func() { os.Exit(run()) },
	})
}

// TestScripts runs the CLI scenarios in testdata/script. Each script gets synthetic keys in
// $KEY1 to $KEY9, built at run time so that this repository holds no literal credential; the
// fill command writes them into fixture files.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for i := 1; i <= 9; i++ {
				env.Setenv(fmt.Sprintf("KEY%d", i), fakeKey(uint64(i)))
			}
			env.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("GIT_AUTHOR_NAME", "Ada")
			env.Setenv("GIT_AUTHOR_EMAIL", "ada@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Ada")
			env.Setenv("GIT_COMMITTER_EMAIL", "ada@example.com")
			env.Setenv("CI", "")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"fill":    cmdFill,
			"corrupt": cmdCorrupt,
		},
	})
}

// fakeKey returns a synthetic AWS-shaped access key id, different for each seed.
func fakeKey(seed uint64) string { return fixture.AWSKeyID(seed) }

// cmdFill expands $VARS in each named file in place: fill FILE...
func cmdFill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: fill FILE...")
	}
	for _, a := range args {
		p := ts.MkAbs(a)
		b, err := os.ReadFile(p)
		ts.Check(err)
		ts.Check(os.WriteFile(p, []byte(os.Expand(string(b), ts.Getenv)), 0o644))
	}
}

// cmdCorrupt overwrites the loose object for a blob with garbage: corrupt REPO HASHFILE, where
// HASHFILE holds the object's hash (as written by git rev-parse > file).
func cmdCorrupt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: corrupt REPO HASHFILE")
	}
	h := strings.TrimSpace(ts.ReadFile(args[1]))
	p := filepath.Join(ts.MkAbs(args[0]), ".git", "objects", h[:2], h[2:])
	ts.Check(os.Chmod(p, 0o644))
	ts.Check(os.WriteFile(p, []byte("not zlib"), 0o644))
}
