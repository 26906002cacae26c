package hook

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// DefaultGlobalDir is where Install with Global puts the hooks when the user's git config
// names no hooks directory: leakhound/hooks under the user's config directory
// ($XDG_CONFIG_HOME, else ~/.config).
func DefaultGlobalDir(env []string) (string, error) {
	if x := lookup(env, "XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "leakhound", "hooks"), nil
	}
	home := lookup(env, "HOME")
	if home == "" {
		return "", errors.New("find config directory: HOME is not set")
	}
	return filepath.Join(home, ".config", "leakhound", "hooks"), nil
}

// lookup reads a variable from env, or from the process environment when env is nil.
func lookup(env []string, name string) string {
	if env == nil {
		return os.Getenv(name)
	}
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == name {
			v = val
		}
	}
	return v
}

// hooksDir returns the hooks directory git runs hooks from. For a repository git answers,
// honouring core.hooksPath, worktrees and submodules. Globally it is the user config's
// core.hooksPath; create sets it to DefaultGlobalDir when unset, and otherwise an unset
// value yields "".
func hooksDir(opts Options, create bool) (string, error) {
	if !opts.Global {
		p, err := git(opts, "rev-parse", "--git-path", "hooks")
		if err != nil {
			return "", fmt.Errorf("find hooks directory: %w", err)
		}
		return absFrom(opts.Dir, p)
	}
	p, err := git(opts, "config", "--global", "--path", "core.hooksPath")
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return "", fmt.Errorf("find global hooks directory: %w", err)
	}
	if p != "" || !create {
		return absFrom(lookup(opts.Env, "HOME"), p)
	}
	if p, err = DefaultGlobalDir(opts.Env); err != nil {
		return "", err
	}
	if _, err := git(opts, "config", "--global", "core.hooksPath", p); err != nil {
		return "", fmt.Errorf("set global hooks directory: %w", err)
	}
	return p, nil
}

func absFrom(base, p string) (string, error) {
	if p == "" || filepath.IsAbs(p) {
		return p, nil
	}
	if base == "" {
		base = "."
	}
	abs, err := filepath.Abs(filepath.Join(base, p))
	if err != nil {
		return "", fmt.Errorf("find hooks directory: %w", err)
	}
	return abs, nil
}

// dropGlobalDir unsets the user's core.hooksPath when it is leakhound's default directory and
// that directory is now empty, and removes the directory.
func dropGlobalDir(opts Options, dir string) error {
	def, err := DefaultGlobalDir(opts.Env)
	if err != nil || filepath.Clean(def) != filepath.Clean(dir) {
		return nil
	}
	if ents, err := os.ReadDir(dir); err != nil || len(ents) > 0 {
		return nil
	}
	if _, err := git(opts, "config", "--global", "--unset", "core.hooksPath"); err != nil {
		return fmt.Errorf("unset global hooks directory: %w", err)
	}
	return os.Remove(dir)
}
