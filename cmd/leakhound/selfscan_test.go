package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
)

// TestSelfScanClean audits leakhound's own history, every committed version of every file,
// with the repository's own configuration: the project must hold no credential it would
// flag. (A directory scan would also read ignored local files such as benchmark output.)
func TestSelfScanClean(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	dir := strings.TrimSpace(string(root))
	args := []string{"git", "--no-progress", dir}
	// Only the checked-out branch: other local branches (a developer's work in progress in
	// another worktree) are not the project's history yet.
	if b, err := exec.Command("git", "symbolic-ref", "--short", "HEAD").Output(); err == nil {
		args = append(args, "--ref", strings.TrimSpace(string(b)))
	}

	var out, errb bytes.Buffer
	env := &environ{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }}
	if code := execute(context.Background(), env, args); code != exitClean {
		t.Errorf("leakhound %v: exit %d, want 0\n%s%s", args, code, out.String(),
			errb.String())
	}
}
