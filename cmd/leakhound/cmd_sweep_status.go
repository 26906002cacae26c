package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/store"
)

func newSweepStatusCmd(env *environ) *cobra.Command {
	var target string
	var id int64
	var all bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show how far the workers are with a planned sweep",
		Long: "Count a planned sweep's repositories by state (queued, running, done, failed) " +
			"and list those running, with their worker and lease, and those failed, with " +
			"the reason; --all lists every repository.",
		Example: "  leakhound sweep status --store postgres://leakhound@db/leakhound\n" +
			"  leakhound sweep status --sweep 41 --all",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o := &findingsOptions{storePath: target}
			return withStore(cmd.Context(), env, o, func(st store.Store) error {
				return runStatus(cmd.Context(), env.stdout, st, id, all)
			})
		},
	}
	bindStore(cmd.Flags(), &target)
	cmd.Flags().Int64Var(&id, "sweep", 0, "the planned sweep (default the newest)")
	cmd.Flags().BoolVar(&all, "all", false, "list every repository, not only running and failed")
	return cmd
}

func runStatus(ctx context.Context, w io.Writer, st store.Store, id int64, all bool) error {
	var err error
	if id == 0 {
		if id, err = st.LastPlannedSweep(ctx); err != nil {
			return err
		}
		if id == 0 {
			return errNoPlan
		}
	}
	sw, err := st.Sweep(ctx, id)
	if err != nil {
		return err
	}
	jobs, err := st.Jobs(ctx, id)
	if err != nil {
		return err
	}
	printStatus(w, sw, jobs, all)
	return nil
}

// printStatus writes the sweep's state, its counts by job state, and a line per job that is
// running or failed (or every job, with all).
func printStatus(w io.Writer, sw *store.Sweep, jobs []store.Job, all bool) {
	n := map[string]int{}
	for _, j := range jobs {
		n[j.State]++
	}
	state := "in progress"
	if !sw.Ended.IsZero() {
		state = "ended " + sw.Ended.Format(time.RFC3339)
	}
	fmt.Fprintf(w, "sweep %d, planned %s, %s: %d repositories\n", sw.ID,
		sw.Started.Format(time.RFC3339), state, len(jobs))
	fmt.Fprintf(w, "  queued %d, running %d, done %d, failed %d\n", n[store.JobQueued],
		n[store.JobRunning], n[store.JobDone], n[store.JobFailed])
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, j := range jobs {
		if !all && j.State != store.JobRunning && j.State != store.JobFailed {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", j.State, j.Repo.Name, jobDetail(&j))
	}
	tw.Flush()
}

func jobDetail(j *store.Job) string {
	switch j.State {
	case store.JobRunning:
		left := time.Until(j.LeaseUntil).Round(time.Second)
		return fmt.Sprintf("worker %s, attempt %d, lease %s left", j.Worker, j.Attempts, left)
	case store.JobFailed:
		return j.LastError
	case store.JobDone:
		return fmt.Sprintf("%s, %d new findings", j.Outcome, j.NewFindings)
	}
	return ""
}
