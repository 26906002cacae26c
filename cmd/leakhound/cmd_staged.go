package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/gitscan"
	"github.com/leakhound/leakhound/report"
)

// stagedOptions are the flags of `leakhound staged`.
type stagedOptions struct {
	commonOptions
}

func newStagedCmd(env *environ) *cobra.Command {
	o := &stagedOptions{}
	cmd := &cobra.Command{
		Use:   "staged",
		Short: "Scan the changes staged for commit (pre-commit hook)",
		Long: "Scan what the next commit would add: the lines the index adds relative to HEAD, " +
			"read from the index, so a partly staged file is scanned as staged. A secret " +
			"already committed on an unchanged line does not block. Prints nothing when clean." +
			"\n" + exitCodesHelp,
		Example: "  leakhound staged\n  leakhound hook install --pre-commit",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runStaged(cmd.Context(), env, o)
		},
	}
	o.bindHook(cmd)
	return cmd
}

func runStaged(ctx context.Context, env *environ, o *stagedOptions) error {
	repo, root, err := gitscan.OpenWorktree(".")
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	defer repo.Close()
	s, err := newSession(env, &o.commonOptions, root)
	if err != nil {
		return err
	}
	st, scanErr := repo.ScanStaged(ctx, s.eng, gitscan.StagedOptions{
		IndexFile:   env.getenv("GIT_INDEX_FILE"),
		MaxFileSize: o.maxFileSize,
		Logger:      s.log,
	}, s.emit)
	sum := &report.Summary{Source: root, Blobs: st.Blobs, Bytes: st.Bytes, Skipped: st.Skipped}
	return s.finishHook(sum, scanErr, blockCommit)
}
