package gitscan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// testRepo builds a repository with the git binary. Each commit gets the next fixed date, so
// topological ties break the same way on every run.
type testRepo struct {
	t     *testing.T
	dir   string
	clock int
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	r.clock++
	date := fmt.Sprintf("2024-01-01T00:%02d:%02dZ", r.clock/60, r.clock%60)
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *testRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits, returning the new commit's hash.
func (r *testRepo) commit(msg string) string {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// fakeKey returns a synthetic AWS-shaped access key id, different for each seed. Test keys
// are built at run time so that this repository holds no literal credential.
func fakeKey(seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewPCG(seed, 7))
	b := []byte("AKIA")
	for range 16 {
		b = append(b, alphabet[rng.IntN(len(alphabet))])
	}
	return string(b)
}

// scanRepo runs a history scan with the built-in rules and returns the findings in order.
func scanRepo(t *testing.T, dir string, opts Options) ([]*finding.Finding, *Stats, error) {
	t.Helper()
	cfg, err := detectors.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := detectors.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	var got []*finding.Finding
	st, err := repo.Scan(context.Background(), eng, opts, func(f *finding.Finding) error {
		got = append(got, f)
		return nil
	})
	return got, st, err
}

// where is the part of a finding the history tests check.
type where struct {
	rule, path, commit string
	line, col          int
}

func wheres(fs []*finding.Finding) []where {
	out := make([]where, 0, len(fs))
	for _, f := range fs {
		out = append(out, where{f.RuleID, f.Path, f.Commit, f.Line, f.Column})
	}
	return out
}
