package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/report"
)

// commitMsgOptions are the flags of `leakhound commit-msg`.
type commitMsgOptions struct {
	commonOptions
}

func newCommitMsgCmd(env *environ) *cobra.Command {
	o := &commitMsgOptions{}
	cmd := &cobra.Command{
		Use:   "commit-msg FILE",
		Short: "Scan a commit message file (commit-msg hook)",
		Long: "Scan the commit message git wrote to FILE. Lines starting with # are left out, " +
			"as git leaves them out, and so is everything below the scissors line of " +
			"`git commit --verbose`. Line numbers are those of FILE.\n" + exitCodesHelp,
		Example: "  leakhound hook install --commit-msg\n  leakhound commit-msg .git/COMMIT_EDITMSG",
		Args:    cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runCommitMsg(env, o, args[0])
		},
	}
	o.bindHook(cmd)
	return cmd
}

func runCommitMsg(env *environ, o *commitMsgOptions, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &exitStatus{code: exitError, err: fmt.Errorf("read commit message: %w", err)}
	}
	s, err := newSession(env, &o.commonOptions, ".")
	if err != nil {
		return err
	}
	text := messageText(data)
	ms, scanErr := s.eng.NewScanner().Scan("", text)
	seen := map[string]bool{}
	for i := range ms {
		// No path, as the audit reports a commit message, so the fingerprint printed here
		// is the one .leakhoundignore needs for the audit too.
		f := ms[i].Finding("")
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		if err := s.emit(f); err != nil {
			scanErr = err
			break
		}
	}
	sum := &report.Summary{Source: path, Blobs: 1, Bytes: int64(len(data))}
	return s.finishHook(sum, scanErr, blockMessage)
}

// scissors is the line below which `git commit --verbose` puts the diff, which git strips.
var scissors = []byte("# ------------------------ >8 ------------------------")

// messageText blanks the comment lines of a commit message, keeping the line count so that
// reported line numbers match the file, and drops everything from the scissors line on.
func messageText(data []byte) []byte {
	var out []byte
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, scissors) {
			break
		}
		if bytes.HasPrefix(line, []byte("#")) {
			out = append(out, '\n')
			continue
		}
		out = append(out, line...)
	}
	return out
}
