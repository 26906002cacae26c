package hook

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// env isolates git from the user's configuration, with a temporary HOME.
func env(t *testing.T) []string {
	home := t.TempDir()
	return append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME=", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com")
}

func run(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func newRepo(t *testing.T, e []string) string {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run(t, dir, e, "init", "-q", "-b", "main")
	run(t, dir, e, "commit", "-q", "--allow-empty", "-m", "init")
	return dir
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInstallLayouts(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string, e []string) (string, string) // cwd, hooks dir
	}{
		{"plain", func(t *testing.T, dir string, e []string) (string, string) {
			return dir, filepath.Join(dir, ".git", "hooks")
		}},
		{"subdirectory", func(t *testing.T, dir string, e []string) (string, string) {
			sub := filepath.Join(dir, "a", "b")
			os.MkdirAll(sub, 0o755)
			return sub, filepath.Join(dir, ".git", "hooks")
		}},
		{"core.hooksPath relative", func(t *testing.T, dir string, e []string) (string, string) {
			run(t, dir, e, "config", "core.hooksPath", "githooks")
			return dir, filepath.Join(dir, "githooks")
		}},
		{"linked worktree", func(t *testing.T, dir string, e []string) (string, string) {
			wt := filepath.Join(t.TempDir(), "wt")
			run(t, dir, e, "worktree", "add", "-q", wt)
			return wt, filepath.Join(dir, ".git", "hooks")
		}},
		{"submodule", func(t *testing.T, dir string, e []string) (string, string) {
			sub := newRepo(t, e)
			run(t, dir, e, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "sm")
			return filepath.Join(dir, "sm"), filepath.Join(dir, ".git", "modules", "sm", "hooks")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env(t)
			dir := newRepo(t, e)
			cwd, want := tt.prepare(t, dir, e)
			res, err := Install(Options{Dir: cwd, Env: e, Exe: "/opt/lh/leakhound"})
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			if got, _ := filepath.EvalSymlinks(res.Dir); got != mustEval(t, want) {
				t.Errorf("got hooks dir %s, want %s", res.Dir, want)
			}
			for _, k := range Kinds {
				s := read(t, filepath.Join(want, string(k)))
				if !strings.Contains(s, "'/opt/lh/leakhound'") {
					t.Errorf("%s: script does not run the binary by absolute path:\n%s", k, s)
				}
			}
		})
	}
}

func mustEval(t *testing.T, p string) string {
	t.Helper()
	got, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestInstallChainsAndUninstallRestores(t *testing.T) {
	e := env(t)
	dir := newRepo(t, e)
	hooks := filepath.Join(dir, ".git", "hooks")
	mine := "#!/bin/sh\necho mine >> \"$(git rev-parse --git-dir)/ran\"\n"
	if err := os.WriteFile(filepath.Join(hooks, "pre-commit"), []byte(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	opts := Options{Dir: dir, Env: e, Exe: "/bin/true", Kinds: []Kind{PreCommit}}
	for i := range 2 { // the second install must change nothing
		res, err := Install(opts)
		if err != nil {
			t.Fatalf("install %d: %v", i, err)
		}
		if len(res.Chained) != 1 {
			t.Errorf("install %d: got chained %v, want [pre-commit]", i, res.Chained)
		}
	}
	if got := read(t, filepath.Join(hooks, "pre-commit"+ChainedSuffix)); got != mine {
		t.Errorf("chained hook is %q, want the original", got)
	}
	run(t, dir, e, "commit", "-q", "--allow-empty", "-m", "x")
	if got := read(t, filepath.Join(dir, ".git", "ran")); got != "mine\n" {
		t.Errorf("the chained hook ran %q times, want once", got)
	}
	if _, err := Uninstall(opts); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(hooks, "pre-commit")); got != mine {
		t.Errorf("after uninstall the hook is %q, want the original", got)
	}
}

func TestChainedHookFailureBlocks(t *testing.T) {
	e := env(t)
	dir := newRepo(t, e)
	hooks := filepath.Join(dir, ".git", "hooks")
	if err := os.WriteFile(filepath.Join(hooks, "commit-msg"), []byte("#!/bin/sh\nexit 3\n"),
		0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Install(Options{Dir: dir, Env: e, Exe: "/bin/true"}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "commit", "-q", "--allow-empty", "-m", "x")
	cmd.Dir, cmd.Env = dir, e
	if err := cmd.Run(); err == nil {
		t.Error("commit passed although the chained commit-msg hook failed")
	}
}

func TestInstallGlobal(t *testing.T) {
	e := env(t)
	dir := newRepo(t, e)
	home := lookup(e, "HOME")
	res, err := Install(Options{Dir: dir, Env: e, Global: true, Exe: "/bin/true"})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(home, ".config", "leakhound", "hooks")
	if res.Dir != want {
		t.Errorf("got dir %s, want %s", res.Dir, want)
	}
	if got := run(t, dir, e, "config", "--global", "core.hooksPath"); got != want {
		t.Errorf("core.hooksPath is %q, want %q", got, want)
	}
	if got := run(t, dir, e, "rev-parse", "--git-path", "hooks"); got != want {
		t.Errorf("git uses hooks from %q, want %q", got, want)
	}
	if _, err := Uninstall(Options{Dir: dir, Env: e, Global: true}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "config", "--global", "core.hooksPath")
	cmd.Env = e
	if out, err := cmd.Output(); err == nil {
		t.Errorf("core.hooksPath still set to %s after uninstall", out)
	}
}

func TestInstallRefusesTwoForeignHooks(t *testing.T) {
	e := env(t)
	dir := newRepo(t, e)
	hooks := filepath.Join(dir, ".git", "hooks")
	for _, n := range []string{"pre-push", "pre-push" + ChainedSuffix} {
		if err := os.WriteFile(filepath.Join(hooks, n), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Install(Options{Dir: dir, Env: e, Exe: "/bin/true", Kinds: []Kind{PrePush}})
	if err == nil || !strings.Contains(err.Error(), "chained hook is already kept") {
		t.Errorf("got %v, want ErrChainTaken", err)
	}
}
