package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/hook"
)

// hookOptions are the flags of `leakhound hook install` and `leakhound hook uninstall`.
type hookOptions struct {
	preCommit bool
	prePush   bool
	commitMsg bool
	global    bool
}

func (o *hookOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&o.preCommit, "pre-commit", false, "the pre-commit hook (leakhound staged)")
	f.BoolVar(&o.prePush, "pre-push", false, "the pre-push hook (leakhound pre-push)")
	f.BoolVar(&o.commitMsg, "commit-msg", false, "the commit-msg hook (leakhound commit-msg)")
	f.BoolVar(&o.global, "global", false,
		"use the hooks directory of your git config (core.hooksPath in ~/.gitconfig) for "+
			"every repository")
}

// options turns the flags into hook options; no hook flag means all hooks.
func (o *hookOptions) options() hook.Options {
	opts := hook.Options{Global: o.global}
	for k, on := range map[hook.Kind]bool{hook.PreCommit: o.preCommit, hook.PrePush: o.prePush,
		hook.CommitMsg: o.commitMsg} {
		if on {
			opts.Kinds = append(opts.Kinds, k)
		}
	}
	return opts
}

func newHookCmd(env *environ) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install or remove leakhound's git hooks",
		Long: "Install or remove the pre-commit, pre-push and commit-msg hooks that run " +
			"leakhound. An existing hook is kept as <hook>" + hook.ChainedSuffix + " and run " +
			"first; uninstall puts it back.",
	}
	cmd.AddCommand(newHookInstallCmd(env), newHookUninstallCmd(env))
	return cmd
}

func newHookInstallCmd(env *environ) *cobra.Command {
	o := &hookOptions{}
	cmd := &cobra.Command{
		Use:   "install",
		Short: "Install the hooks (all three unless some are named)",
		Long: "Install leakhound's hooks into the hooks directory git uses for this " +
			"repository (honouring core.hooksPath, linked worktrees and submodules), or with " +
			"--global into the one of your git config. The hooks run this leakhound binary " +
			"by absolute path, or leakhound on PATH if it moves. Running it again is safe.",
		Example: "  leakhound hook install\n  leakhound hook install --pre-commit --pre-push\n" +
			"  leakhound hook install --global",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			res, err := hook.Install(o.options())
			if err != nil {
				return &exitStatus{code: exitError, err: err}
			}
			printHookResult(env, "installed", "chained the existing", res)
			return nil
		},
	}
	o.bind(cmd)
	return cmd
}

func newHookUninstallCmd(env *environ) *cobra.Command {
	o := &hookOptions{}
	cmd := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove the hooks and put back the ones they chained",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			res, err := hook.Uninstall(o.options())
			if err != nil {
				return &exitStatus{code: exitError, err: err}
			}
			printHookResult(env, "removed", "restored", res)
			return nil
		},
	}
	o.bind(cmd)
	return cmd
}

func printHookResult(env *environ, done, chained string, res *hook.Result) {
	for _, k := range res.Changed {
		fmt.Fprintf(env.stdout, "%s %s hook in %s\n", done, k, res.Dir)
	}
	for _, k := range res.Chained {
		fmt.Fprintf(env.stdout, "%s %s hook\n", chained, k)
	}
}
