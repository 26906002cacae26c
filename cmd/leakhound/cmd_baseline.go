package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/gitscan"
)

// baselineOptions are the flags of `leakhound baseline create` and `prune`.
type baselineOptions struct {
	config      string
	file        string
	maxFileSize int64
	jobs        int
}

func (o *baselineOptions) bind(cmd *cobra.Command, fileFlag, fileHelp string) {
	f := cmd.Flags()
	f.StringVarP(&o.config, "config", "c", "",
		"rules config (TOML); default .leakhound.toml at the repository, else built-in rules")
	f.StringVarP(&o.file, fileFlag, "o", "", fileHelp)
	f.Int64Var(&o.maxFileSize, "max-file-size", 10<<20, "largest blob scanned, in bytes")
	f.IntVarP(&o.jobs, "jobs", "j", 0, "blobs scanned at once (0: one per CPU)")
}

func newBaselineCmd(env *environ) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Record known findings so that only new ones are reported",
		Long: "A baseline is a file of finding fingerprints (rule, path and a hash of the " +
			"secret; never the secret). Every scanning command leaves out the findings it " +
			"lists: --baseline FILE, or " + baselineName + " at the scanned root.",
	}
	cmd.AddCommand(newBaselineCreateCmd(env), newBaselinePruneCmd(env))
	return cmd
}

func newBaselineCreateCmd(env *environ) *cobra.Command {
	o := &baselineOptions{}
	cmd := &cobra.Command{
		Use:   "create [PATH]",
		Short: "Write the fingerprints of every finding in the full history",
		Example: "  leakhound baseline create\n" +
			"  leakhound baseline create --output ci/leakhound-baseline /srv/repo",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaselineCreate(cmd.Context(), env, o, pathArg(args))
		},
	}
	o.bind(cmd, "output", "file to write; default "+baselineName+" in PATH")
	return cmd
}

func newBaselinePruneCmd(env *environ) *cobra.Command {
	o := &baselineOptions{}
	cmd := &cobra.Command{
		Use:   "prune [PATH]",
		Short: "Drop baseline entries that no longer match any finding in the history",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaselinePrune(cmd.Context(), env, o, pathArg(args))
		},
	}
	o.bind(cmd, "baseline", "baseline to prune; default "+baselineName+" in PATH")
	return cmd
}

func pathArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return "."
}

func runBaselineCreate(ctx context.Context, env *environ, o *baselineOptions,
	target string) error {
	fps, err := auditFingerprints(ctx, o, target)
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	out := baselinePath(o.file, target)
	if err := writeBaseline(out, fps); err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	fmt.Fprintf(env.stderr, "leakhound: wrote %d fingerprints to %s\n", len(fps), out)
	return nil
}

func runBaselinePrune(ctx context.Context, env *environ, o *baselineOptions,
	target string) error {
	path := baselinePath(o.file, target)
	old, err := loadFingerprints(path, "", "")
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	current, err := auditFingerprints(ctx, o, target)
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	var keep []string
	for _, fp := range current {
		if old[fp] {
			keep = append(keep, fp)
		}
	}
	if err := writeBaseline(path, keep); err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	fmt.Fprintf(env.stderr, "leakhound: kept %d of %d fingerprints in %s\n", len(keep),
		len(old), path)
	return nil
}

func baselinePath(file, target string) string {
	if file != "" {
		return file
	}
	return filepath.Join(target, baselineName)
}

// auditFingerprints runs the full history audit of a local repository and returns the
// sorted fingerprints of its findings.
func auditFingerprints(ctx context.Context, o *baselineOptions, target string) ([]string,
	error) {
	repo, err := gitscan.Open(target)
	if err != nil {
		return nil, err
	}
	defer repo.Close()
	eng, _, err := loadEngine(o.config, target)
	if err != nil {
		return nil, err
	}
	var fps []string
	_, err = repo.Scan(ctx, eng, gitscan.Options{MaxFileSize: o.maxFileSize, Jobs: o.jobs},
		func(f *finding.Finding) error {
			fps = append(fps, f.Fingerprint)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("audit %s: %w", target, err)
	}
	slices.Sort(fps)
	return slices.Compact(fps), nil
}

// writeBaseline writes fingerprints one per line under a header saying what the file is.
func writeBaseline(path string, fps []string) error {
	var b strings.Builder
	b.WriteString("# leakhound baseline: fingerprints of known findings, left out of reports.\n")
	b.WriteString("# Regenerate with `leakhound baseline create`; drop stale entries with " +
		"`leakhound baseline prune`.\n")
	for _, fp := range fps {
		b.WriteString(fp + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
