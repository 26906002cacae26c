package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/gitscan"
	"github.com/leakhound/leakhound/report"
)

// prePushOptions are the flags of `leakhound pre-push`.
type prePushOptions struct {
	commonOptions
}

func newPrePushCmd(env *environ) *cobra.Command {
	o := &prePushOptions{}
	cmd := &cobra.Command{
		Use:   "pre-push [REMOTE [URL]]",
		Short: "Scan the commits a push sends (pre-push hook)",
		Long: "Read git's pre-push lines (<local ref> <local sha> <remote ref> <remote sha>) " +
			"from standard input and scan every commit being pushed that the remote does not " +
			"have: for a new branch, the commits no refs/remotes/REMOTE/* ref reaches; for an " +
			"update or a forced update, those the old remote value does not reach either. A " +
			"deletion scans nothing. Findings are attributed and de-duplicated as in " +
			"`leakhound git`. If the range or an object cannot be read, the push is blocked " +
			"(exit 2): the hook never fails open.\n" +
			"Without REMOTE, as the pre-commit framework runs it, the push is read from " +
			"PRE_COMMIT_REMOTE_NAME, PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF instead.\n" +
			exitCodesHelp,
		Example: "  leakhound hook install --pre-push\n" +
			"  echo \"refs/heads/x $(git rev-parse x) refs/heads/x $(printf 0%.0s {1..40})\" |\n" +
			"    leakhound pre-push origin",
		Args: cobra.RangeArgs(0, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			remote := env.getenv("PRE_COMMIT_REMOTE_NAME")
			if len(args) > 0 {
				remote = args[0]
			}
			return runPrePush(cmd.Context(), env, o, remote, len(args) == 0)
		},
	}
	o.bindHook(cmd)
	return cmd
}

func runPrePush(ctx context.Context, env *environ, o *prePushOptions, remote string,
	fromEnv bool) error {
	fail := func(err error) error {
		return &exitStatus{code: exitError, err: fmt.Errorf("%s: the pushed commits could "+
			"not be worked out, so nothing is let through: %w", blocked[blockPush], err)}
	}
	in := env.stdin
	if fromEnv {
		in = frameworkPush(env)
	}
	updates, err := gitscan.ParsePushUpdates(in)
	if err != nil {
		return fail(err)
	}
	repo, root, err := gitscan.OpenWorktree(".")
	if err != nil {
		return fail(err)
	}
	defer repo.Close()
	plan, err := repo.PlanPush(updates, remote)
	if err != nil {
		return fail(err)
	}
	if len(plan.Tips) == 0 {
		return nil // deletions only, or nothing to push
	}
	s, err := newSession(env, &o.commonOptions, root)
	if err != nil {
		return err
	}
	st, scanErr := repo.Scan(ctx, s.eng, gitscan.Options{
		Commits: plan.Tips, Exclude: plan.Exclude, KnownAtBoundary: true,
		MaxFileSize: o.maxFileSize, Jobs: o.jobs, Logger: s.log,
	}, s.emit)
	if errors.Is(scanErr, gitscan.ErrIncomplete) {
		scanErr = fmt.Errorf("%w:\n  %s", scanErr, strings.Join(st.Errors, "\n  "))
	}
	sum := &report.Summary{Source: root, Refs: st.Refs, Commits: st.Commits, Blobs: st.Blobs,
		Bytes: st.Bytes, Skipped: st.Skipped, Errors: st.Errors}
	return s.finishHook(sum, scanErr, blockPush)
}

// frameworkPush renders the pre-commit framework's variables as a pre-push line: it runs a
// hook once per pushed ref, with the remote's old value in PRE_COMMIT_FROM_REF.
func frameworkPush(env *environ) io.Reader {
	to, from := env.getenv("PRE_COMMIT_TO_REF"), env.getenv("PRE_COMMIT_FROM_REF")
	if from == "" {
		from = strings.Repeat("0", 40)
	}
	return strings.NewReader(fmt.Sprintf("HEAD %s refs/pushed %s\n", to, from))
}
