package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/store"
	"github.com/leakhound/leakhound/sweep"
)

// planOptions are the flags of leakhound sweep plan.
type planOptions struct {
	sourceOptions
	storePath   string
	config      string
	maxFileSize int64
	logLevel    string
}

func newSweepPlanCmd(env *environ) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "List the sources' repositories and queue one job each for leakhound worker",
		Long: "Begin a sweep in --store, list the repositories of the sources (the same " +
			"flags as leakhound sweep) and queue one job per repository the filters keep. " +
			"Workers sharing the store (leakhound worker) then sweep them; leakhound sweep " +
			"status shows their progress. Use a postgres:// store for workers on several " +
			"machines.\n\nExit codes:\n  0  planned\n  2  a source could not be listed in " +
			"full (what it listed is queued), or the store failed",
		Example: "  leakhound sweep plan --store postgres://leakhound@db/leakhound " +
			"--github-org acme\n  leakhound sweep plan --repos-file repos.txt",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := runPlan(cmd.Context(), env, o); err != nil {
				return &exitStatus{code: exitError, err: err}
			}
			return nil
		},
	}
	o.sourceOptions.bind(cmd)
	f := cmd.Flags()
	bindStore(f, &o.storePath)
	f.StringVarP(&o.config, "config", "c", "",
		"the rules config the workers use (TOML), recorded with the sweep")
	f.Int64Var(&o.maxFileSize, "max-file-size", 10<<20, "largest blob the workers scan")
	f.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	return cmd
}

func runPlan(ctx context.Context, env *environ, o *planOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	if _, err := parseLevel(o.logLevel); err != nil {
		return err
	}
	log := (&commonOptions{logLevel: o.logLevel}).logger(env.stderr)
	srcs, err := o.sources(env, log)
	if err != nil {
		return err
	}
	rv, err := rulesVersion(o.config, o.maxFileSize)
	if err != nil {
		return err
	}
	target, err := storeOrDefault(env, o.storePath)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := sweep.Plan(ctx, sweep.Options{Sources: srcs, Filter: o.filter, Store: st,
		RulesVersion: rv, Logger: log})
	if p != nil {
		printPlan(env.stdout, p)
	}
	return err
}

// printPlan writes one line for the plan and one per repository left out.
func printPlan(w io.Writer, p *sweep.Planned) {
	fmt.Fprintf(w, "leakhound: sweep %d planned: %d repositories queued, %d skipped\n",
		p.Sweep, p.Queued, len(p.Skipped))
	for _, o := range p.Skipped {
		fmt.Fprintf(w, "  skipped    %s: %s\n", o.Repo.Name, o.Reason)
	}
	for _, err := range p.SourceErrors {
		fmt.Fprintf(w, "  source failed: %v\n", err)
	}
}

// errNoPlan is returned by sweep status when no sweep was ever planned.
var errNoPlan = errors.New("no sweep planned: run leakhound sweep plan")
