package gitscan

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// testKey is an AWS-style access key id assembled at run time, so that this file does not
// hold one and the repository scans clean with its own rules.
var testKey = "AKIA" + "Q3EGUNZ7XKJ4WP2Z"

// testKey2 is a second, different key.
var testKey2 = "AKIA" + "ZXCVBNM2345QWERT"

// testRepo is a git repository in a temporary directory, driven by the git binary.
type testRepo struct {
	t     *testing.T
	dir   string
	env   []string
	clock int // seconds past a fixed date, advanced by every git command
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	r := &testRepo{t: t, dir: t.TempDir(), env: gitEnv(t.TempDir())}
	r.git("init", "-q", "-b", "main")
	return r
}

// gitEnv isolates git from the user's and system's configuration.
func gitEnv(home string) []string {
	return append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home+"/.config",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
}

// git runs git in the repository. Each call gets the next fixed date, so that topological
// ties between commits break the same way on every run.
func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	r.clock++
	date := fmt.Sprintf("GIT_AUTHOR_DATE=2024-01-01T00:%02d:%02dZ", r.clock/60, r.clock%60)
	env := append(r.env[:len(r.env):len(r.env)], date,
		"GIT_COMMITTER_"+strings.TrimPrefix(date, "GIT_AUTHOR_"))
	return runGit(r.t, r.dir, env, args...)
}

func runGit(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *testRepo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) mkdir(path string) {
	r.t.Helper()
	if err := os.MkdirAll(filepath.Join(r.dir, path), 0o755); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func testEngine(t *testing.T) *detectors.Engine {
	t.Helper()
	eng, err := detectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// places formats findings as sorted "path:line" strings, with the short commit for history
// findings.
func places(fs []*finding.Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s:%d", f.Path, f.Line)
		if f.Commit != "" {
			s += "@" + f.Commit[:7]
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// scanStaged runs ScanStaged on the repository and returns its findings.
func (r *testRepo) scanStaged(opts StagedOptions) ([]*finding.Finding, error) {
	r.t.Helper()
	repo, _, err := OpenWorktree(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	defer repo.Close()
	var got []*finding.Finding
	_, err = repo.ScanStaged(context.Background(), testEngine(r.t), opts,
		func(f *finding.Finding) error {
			got = append(got, f)
			return nil
		})
	return got, err
}
