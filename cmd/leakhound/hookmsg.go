package main

import (
	"errors"
	"fmt"

	"github.com/leakhound/leakhound/report"
)

// hookAction names what a hook blocks, for its message.
type hookAction int

const (
	blockCommit hookAction = iota
	blockMessage
	blockPush
)

// wayOut is the first step out of a block, which differs by hook.
var wayOut = map[hookAction]string{
	blockCommit: "remove the secret from the file and stage it again (and rotate it if it " +
		"is real: assume anything typed into a file has leaked)",
	blockMessage: "remove the secret from the commit message (and rotate it if it is real)",
	blockPush: "remove the secret from the commits being pushed (git rebase -i, " +
		"git commit --amend) and rotate it if it is real: it has left your editor",
}

var blocked = map[hookAction]string{
	blockCommit:  "commit blocked",
	blockMessage: "commit blocked",
	blockPush:    "push blocked",
}

// finishHook finishes a hook's session. When findings block, it says on stderr how to go
// on. When the scan failed, the hook fails closed: exit 2 with the reason.
func (s *session) finishHook(sum *report.Summary, scanErr error, act hookAction) error {
	if n := sum.Skipped["too-large"]; n > 0 && scanErr == nil {
		// A hook must not let through what it did not read.
		scanErr = fmt.Errorf("%d %s larger than --max-file-size (%d bytes) could not be "+
			"scanned; raise --max-file-size to scan %s", n, plural(n, "file", "files"),
			s.opts.maxFileSize, plural(n, "it", "them"))
	}
	err := s.finish(sum, scanErr)
	var ee *exitStatus
	if !errors.As(err, &ee) {
		return err
	}
	if ee.err != nil {
		return &exitStatus{code: exitError, err: fmt.Errorf("%s: the scan could not "+
			"complete, so nothing is let through (fix the cause, or bypass the hook once "+
			"with --no-verify): %w", blocked[act], ee.err)}
	}
	fmt.Fprint(s.env.stderr, blockHelp(act, s.findings))
	return err
}

// blockHelp is printed after the findings of a blocking hook.
func blockHelp(act hookAction, n int) string {
	noun := "secrets"
	if n == 1 {
		noun = "secret"
	}
	return fmt.Sprintf("leakhound: %s: %d %s found.\nTo go on, do one of:\n"+
		"  1. %s;\n"+
		"  2. if it is not a secret, add the comment leakhound:allow on its line;\n"+
		"  3. or add the fingerprint printed above to %s (one per line) and commit that.\n",
		blocked[act], n, noun, wayOut[act], ignoreName)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
