package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the leakhound binary TestMain builds for the end-to-end tests.
var binary string

// buildAndRun builds the binary, then runs the tests. TestMain (main_test.go) calls it
// through testscript, only in the parent test process.
type buildAndRun struct{ m *testing.M }

func (b buildAndRun) Run() int {
	m := b.m
	dir, err := os.MkdirTemp("", "leakhound-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "leakhound")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build leakhound: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

// e2eKey is an AWS-style key assembled at run time so this file does not hold one.
var e2eKey = "AKIA" + "Q3EGUNZ7XKJ4WP2Z"

type e2eRepo struct {
	t   *testing.T
	dir string
	env []string
}

func newE2ERepo(t *testing.T) *e2eRepo {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	home := t.TempDir()
	r := &e2eRepo{t: t, dir: t.TempDir(), env: append(os.Environ(), "HOME="+home,
		"XDG_CONFIG_HOME=", "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=t",
		"GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com")}
	r.ok("git", "init", "-q", "-b", "main")
	remote := filepath.Join(t.TempDir(), "remote.git")
	r.ok("git", "init", "-q", "--bare", remote)
	r.ok("git", "remote", "add", "origin", remote)
	return r
}

// run runs a command in the repository and returns its combined output and error.
func (r *e2eRepo) run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = r.dir, r.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *e2eRepo) ok(name string, args ...string) string {
	r.t.Helper()
	out, err := r.run(name, args...)
	if err != nil {
		r.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func (r *e2eRepo) fails(name string, args ...string) string {
	r.t.Helper()
	out, err := r.run(name, args...)
	if err == nil {
		r.t.Fatalf("%s %s passed, want it blocked\n%s", name, strings.Join(args, " "), out)
	}
	if strings.Contains(out, e2eKey) {
		r.t.Errorf("output shows the secret in full:\n%s", out)
	}
	return out
}

func (r *e2eRepo) write(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func wantAll(t *testing.T, out string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

// TestHooksEndToEnd installs the hooks in a fresh repository and checks that real commits
// and pushes to a local bare remote are blocked by a secret and pass without one.
func TestHooksEndToEnd(t *testing.T) {
	r := newE2ERepo(t)
	out := r.ok(binary, "hook", "install")
	wantAll(t, out, "installed pre-commit", "installed pre-push", "installed commit-msg")
	hook, err := os.ReadFile(filepath.Join(r.dir, ".git", "hooks", "pre-commit"))
	if err != nil || !strings.Contains(string(hook), binary) {
		t.Fatalf("pre-commit hook does not run %s: %v\n%s", binary, err, hook)
	}

	r.write("README", "hello\n")
	r.ok("git", "add", "README")
	if out := r.ok("git", "commit", "-q", "-m", "clean"); out != "" {
		t.Errorf("clean commit printed %q, want nothing", out)
	}

	r.write("config.ini", "[aws]\nkey = "+e2eKey+"\n")
	r.ok("git", "add", "config.ini")
	out = r.fails("git", "commit", "-q", "-m", "add key")
	wantAll(t, out, "commit blocked", "aws-access-key-id", "config.ini:2", "AKIA****",
		"leakhound:allow", ".leakhoundignore", "aws-access-key-id:config.ini:")

	r.ok("git", "reset", "-q", "config.ini")
	r.fails("git", "commit", "-q", "--allow-empty", "-m", "key "+e2eKey)

	if out := r.ok("git", "push", "-q", "origin", "main"); strings.Contains(out, "leakhound") {
		t.Errorf("clean push printed %q", out)
	}
	r.ok("git", "add", "config.ini")
	r.ok("git", "commit", "-q", "--no-verify", "-m", "sneak key in")
	sha := strings.TrimSpace(r.ok("git", "rev-parse", "--short=12", "HEAD"))
	out = r.fails("git", "push", "-q", "origin", "main")
	wantAll(t, out, "push blocked", "config.ini:2", "commit "+sha, "sneak key in")

	r.ok("git", "reset", "-q", "--hard", "HEAD~1")
	r.write("other.txt", "fine\n")
	r.ok("git", "add", "other.txt")
	r.ok("git", "commit", "-q", "-m", "fine")
	r.ok("git", "push", "-q", "origin", "main")
}

// TestHookKeepsExistingHook checks that a hook in place before install still runs.
func TestHookKeepsExistingHook(t *testing.T) {
	r := newE2ERepo(t)
	hooks := filepath.Join(r.dir, ".git", "hooks")
	body := "#!/bin/sh\necho existing-hook-ran >&2\n"
	if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	wantAll(t, r.ok(binary, "hook", "install", "--pre-commit"), "chained the existing")
	r.write("a.txt", "a\n")
	r.ok("git", "add", "a.txt")
	wantAll(t, r.ok("git", "commit", "-q", "-m", "a"), "existing-hook-ran")
	r.write("b.txt", e2eKey+"\n")
	r.ok("git", "add", "b.txt")
	wantAll(t, r.fails("git", "commit", "-q", "-m", "b"), "existing-hook-ran", "b.txt:1")
}

// TestBaseline checks that a baseline hides the findings it lists and prune drops stale ones.
func TestBaseline(t *testing.T) {
	r := newE2ERepo(t)
	r.write("a.txt", "k = "+e2eKey+"\n")
	r.ok("git", "add", "a.txt")
	r.ok("git", "commit", "-q", "-m", "a")
	r.fails(binary, "git", ".")
	wantAll(t, r.ok(binary, "baseline", "create"), "wrote 1 fingerprints")
	r.ok(binary, "git", ".")
	r.write(".leakhound-baseline", "aws-access-key-id:gone.txt:000000000000000000000000\n"+
		mustRead(t, filepath.Join(r.dir, ".leakhound-baseline")))
	wantAll(t, r.ok(binary, "baseline", "prune"), "kept 1 of 2")
	r.ok(binary, "git", ".")
	r.ok(binary, "git", "--baseline", os.DevNull, "--exit-code", "0", ".")
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
