// Package hook installs and removes the git hooks that run leakhound: pre-commit (leakhound
// staged), pre-push (leakhound pre-push) and commit-msg (leakhound commit-msg).
//
// It sits beside the scanning pipeline, not in it: it writes small shell scripts into the
// hooks directory git uses, and asks git itself where that is, so core.hooksPath, linked
// worktrees (whose hooks live in the common directory) and submodules (whose .git is a file)
// are found as git finds them. A hook already there is kept and chained, never overwritten.
package hook

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Kind names a git hook leakhound can install.
type Kind string

// The hooks leakhound installs.
const (
	PreCommit Kind = "pre-commit"
	PrePush   Kind = "pre-push"
	CommitMsg Kind = "commit-msg"
)

// Kinds lists every hook, in the order they are installed.
var Kinds = []Kind{PreCommit, PrePush, CommitMsg}

// ChainedSuffix is appended to the name of a hook that was there before leakhound's: the
// installed script runs it first, and Uninstall puts it back.
const ChainedSuffix = ".leakhound-chained"

// marker identifies a script leakhound wrote.
const marker = "# leakhound-hook:"

// ErrChainTaken is returned when a foreign hook is in place and a chained hook is already
// kept beside it, so installing would have to drop one of them.
var ErrChainTaken = errors.New("a chained hook is already kept beside a foreign hook")

// Options say where and what to install. The zero value installs every hook in the
// repository holding the current directory.
type Options struct {
	// Dir is a directory inside the repository; "" means the current directory.
	Dir string
	// Global installs into the hooks directory of the user's git config (core.hooksPath in
	// ~/.gitconfig), setting it to DefaultGlobalDir if unset, so every repository runs them.
	Global bool
	// Kinds are the hooks to install or remove; empty means all of them.
	Kinds []Kind
	// Exe is the leakhound binary the scripts run, by absolute path; "" means the running
	// executable. The scripts fall back to leakhound on PATH when it is gone.
	Exe string
	// Env is the environment git runs with; nil means the process's own.
	Env []string
}

// Result says what Install or Uninstall did.
type Result struct {
	// Dir is the hooks directory.
	Dir string
	// Changed are the hooks written or removed.
	Changed []Kind
	// Chained are the hooks that were there before and are now run from leakhound's, or
	// that Uninstall put back.
	Chained []Kind
}

// Install writes leakhound's hooks. It is idempotent: running it again rewrites leakhound's
// scripts (picking up a new binary path) and keeps any chained hook.
func Install(opts Options) (*Result, error) {
	dir, err := hooksDir(opts, true)
	if err != nil {
		return nil, err
	}
	exe, err := executable(opts.Exe)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("install hooks: %w", err)
	}
	res := &Result{Dir: dir}
	for _, k := range kinds(opts.Kinds) {
		chained, err := installOne(dir, k, script(k, exe, opts.Global))
		if err != nil {
			return res, err
		}
		res.Changed = append(res.Changed, k)
		if chained {
			res.Chained = append(res.Chained, k)
		}
	}
	return res, nil
}

// installOne writes one script, first moving a foreign hook aside to be chained. It reports
// whether a chained hook is in place.
func installOne(dir string, k Kind, body string) (bool, error) {
	path := filepath.Join(dir, string(k))
	chain := path + ChainedSuffix
	ours, exists, err := isOurs(path)
	if err != nil {
		return false, err
	}
	if exists && !ours {
		if fileExists(chain) {
			return false, fmt.Errorf("install hook %s: %w (%s); remove one of them",
				path, ErrChainTaken, chain)
		}
		if err := os.Rename(path, chain); err != nil {
			return false, fmt.Errorf("install hook %s: %w", path, err)
		}
	}
	if err := writeScript(path, body); err != nil {
		return false, err
	}
	return fileExists(chain), nil
}

// writeScript replaces path atomically with an executable script.
func writeScript(path, body string) error {
	tmp := path + ".leakhound-tmp"
	if err := os.WriteFile(tmp, []byte(body), 0o755); err != nil {
		return fmt.Errorf("install hook %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("install hook %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("install hook %s: %w", path, err)
	}
	return nil
}

// Uninstall removes leakhound's hooks and puts back the hooks they chained. Hooks leakhound
// did not write are left alone. With Global, a core.hooksPath that Install set to
// DefaultGlobalDir is unset once that directory holds no other hook.
func Uninstall(opts Options) (*Result, error) {
	dir, err := hooksDir(opts, false)
	if err != nil || dir == "" {
		return &Result{}, err
	}
	res := &Result{Dir: dir}
	for _, k := range kinds(opts.Kinds) {
		path := filepath.Join(dir, string(k))
		ours, _, err := isOurs(path)
		if err != nil || !ours {
			continue
		}
		if err := os.Remove(path); err != nil {
			return res, fmt.Errorf("uninstall hook %s: %w", path, err)
		}
		res.Changed = append(res.Changed, k)
		if fileExists(path + ChainedSuffix) {
			if err := os.Rename(path+ChainedSuffix, path); err != nil {
				return res, fmt.Errorf("uninstall hook %s: %w", path, err)
			}
			res.Chained = append(res.Chained, k)
		}
	}
	if opts.Global {
		return res, dropGlobalDir(opts, dir)
	}
	return res, nil
}

func kinds(ks []Kind) []Kind {
	if len(ks) == 0 {
		return Kinds
	}
	return ks
}

// isOurs reports whether path is a script leakhound wrote, and whether it exists.
func isOurs(path string) (ours, exists bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("read hook %s: %w", path, err)
	}
	return bytes.Contains(b, []byte(marker)), true, nil
}

func fileExists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// executable returns the absolute path of the leakhound binary the scripts run.
func executable(exe string) (string, error) {
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return "", fmt.Errorf("find leakhound binary: %w", err)
		}
	}
	abs, err := filepath.Abs(exe)
	if err != nil {
		return "", fmt.Errorf("find leakhound binary: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	return abs, nil
}

// git runs git with opts' directory and environment and returns its trimmed output.
func git(opts Options, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = opts.Dir
	cmd.Env = opts.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
	}
	return strings.TrimSpace(string(out)), nil
}
