package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/report"
	"github.com/leakhound/leakhound/store"
)

// findingsOptions are the flags the findings commands share.
type findingsOptions struct {
	storePath string
}

func (o *findingsOptions) bind(cmd *cobra.Command) {
	bindStore(cmd.PersistentFlags(), &o.storePath)
}

// open opens the store named by --store or the default one. A SQLite store must exist
// already: reading findings from a mistyped path would otherwise create an empty store and
// report nothing.
func (o *findingsOptions) open(ctx context.Context, env *environ) (store.Store, error) {
	p, err := storeOrDefault(env, o.storePath)
	if err != nil {
		return nil, err
	}
	if !store.IsPostgres(p) {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("store %s: %w (a sweep creates it)", p, err)
		}
	}
	return store.Open(ctx, p)
}

func newFindingsCmd(env *environ) *cobra.Command {
	o := &findingsOptions{}
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "List, show and triage the findings sweeps recorded",
		Long: "List, show and triage the findings that sweeps recorded in the store. A " +
			"triaged finding stays out of later sweep reports; the same secret at a new path " +
			"or in a new repository is a new finding (a fork's copy at the same path takes " +
			"the triage of the original).",
	}
	o.bind(cmd)
	cmd.AddCommand(newFindingsListCmd(env, o), newFindingsShowCmd(env, o),
		newFindingsTriageCmd(env, o))
	return cmd
}

func newFindingsListCmd(env *environ, o *findingsOptions) *cobra.Command {
	var flt store.Filter
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List findings",
		Example: "  leakhound findings list --status open\n" +
			"  leakhound findings list --repo acme/api --format json\n" +
			"  leakhound findings list --new-since 41",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError(fmt.Errorf("--format %q: want text or json", format))
			}
			if flt.Status != "" && !slices.Contains(store.TriageStatuses, flt.Status) {
				return usageError(fmt.Errorf("--status %q: want one of %s", flt.Status,
					strings.Join(store.TriageStatuses, ", ")))
			}
			return withStore(cmd.Context(), env, o, func(st store.Store) error {
				fs, err := st.Findings(cmd.Context(), flt)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(env, fs)
				}
				return printFindings(env, fs)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&flt.Repo, "repo", "", "only this repository (URL or full name)")
	f.StringVar(&flt.Rule, "rule", "", "only this rule id")
	f.StringVar(&flt.Status, "status", "", "only this status: "+
		strings.Join(store.TriageStatuses, ", "))
	f.Int64Var(&flt.NewSince, "new-since", 0, "only findings first seen after sweep N")
	f.StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newFindingsShowCmd(env *environ, o *findingsOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show one finding",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), env, o, func(st store.Store) error {
				f, err := st.Finding(cmd.Context(), id)
				if err != nil {
					return err
				}
				return printFinding(env, f)
			})
		},
	}
}

func newFindingsTriageCmd(env *environ, o *findingsOptions) *cobra.Command {
	var status, note string
	cmd := &cobra.Command{
		Use:   "triage ID --status STATUS [--note TEXT]",
		Short: "Set a finding's status",
		Long: "Set a finding's status: false-positive, accepted-risk or revoked keep it out " +
			"of later sweep reports; open brings it back.",
		Example: "  leakhound findings triage 12 --status revoked --note 'rotated 2026-01-05'",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			return withStore(cmd.Context(), env, o, func(st store.Store) error {
				if err := st.Triage(cmd.Context(), id, status, note); err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "finding %d: %s\n", id, status)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "new status: "+
		strings.Join(store.TriageStatuses, ", "))
	cmd.Flags().StringVar(&note, "note", "", "why")
	cmd.MarkFlagRequired("status")
	return cmd
}

// withStore opens the store, runs fn and closes the store; every error exits 2.
func withStore(ctx context.Context, env *environ, o *findingsOptions,
	fn func(store.Store) error) error {
	st, err := o.open(ctx, env)
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	err = errors.Join(fn(st), st.Close())
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	return nil
}

func usageError(err error) error {
	return &exitStatus{code: exitError, err: err}
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, usageError(fmt.Errorf("finding id %q: want a positive number", s))
	}
	return id, nil
}

func writeJSON(env *environ, v any) error {
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printFindings(env *environ, fs []store.Finding) error {
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tRULE\tREPOSITORY\tPATH\tCOMMIT\tSECRET\tFIRST\tLAST")
	for _, f := range fs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s:%d\t%s\t%s\t%d\t%d\n", f.ID, f.Status, f.RuleID,
			report.Printable(f.RepoName), report.Printable(orMessage(f.Path)), f.Line,
			shortHash(f.Commit), report.Printable(f.Redacted), f.FirstSeen, f.LastSeen)
	}
	return tw.Flush()
}

func printFinding(env *environ, f *store.Finding) error {
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	rows := [][2]string{
		{"id", strconv.FormatInt(f.ID, 10)}, {"status", f.Status}, {"note", f.Note},
		{"rule", f.RuleID + " (" + f.Description + ")"}, {"severity", f.Severity},
		{"repository", f.RepoName + " " + f.Repository},
		{"location", fmt.Sprintf("%s:%d:%d", orMessage(f.Path), f.Line, f.Column)},
		{"commit", f.Commit}, {"author", f.Author + " <" + f.Email + ">"},
		{"date", f.Date.Format("2006-01-02 15:04:05Z07:00")}, {"message", f.Message},
		{"secret", f.Redacted}, {"fingerprint", f.Fingerprint},
		{"first seen", fmt.Sprintf("sweep %d", f.FirstSeen)},
		{"last seen", fmt.Sprintf("sweep %d", f.LastSeen)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], report.Printable(r[1]))
	}
	return tw.Flush()
}

func orMessage(p string) string {
	if p == "" {
		return "(commit message)"
	}
	return p
}

func shortHash(c string) string {
	return c[:min(len(c), 12)]
}
