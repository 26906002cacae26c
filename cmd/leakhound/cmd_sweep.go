package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leakhound/leakhound/configs"
	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/report"
	"github.com/leakhound/leakhound/store"
	"github.com/leakhound/leakhound/sweep"
)

// sweepEpoch changes when leakhound's decoding or matching code changes what a scan finds,
// so that blobs found clean by an older leakhound are scanned again.
const sweepEpoch = "1"

type sweepOptions struct {
	commonOptions
	sourceOptions
	cacheDir  string
	storePath string
	newOnly   bool
	scanJobs  int
}

func newSweepCmd(env *environ) *cobra.Command {
	o := &sweepOptions{}
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Scan every repository of GitHub organisations and users, GitLab groups, or a list",
		Long: "Enumerate the repositories of each source, keep a bare mirror of each under " +
			"--cache-dir, and scan those whose refs moved since the last sweep. Findings, " +
			"triage and what each repository was scanned at are kept in --store. The report " +
			"lists the open findings seen in this sweep (with --new-only, those first seen " +
			"since the last finished sweep); a summary of every repository goes to stderr.\n\n" +
			"Tokens come from GITHUB_TOKEN and GITLAB_TOKEN and are sent only to the host " +
			"they belong to. Forks and archived repositories are left out unless asked for.\n" +
			sweepExitCodes,
		Example: "  leakhound sweep --github-org acme --new-only\n" +
			"  leakhound sweep --gitlab-group acme/platform --gitlab-url https://git.example.com\n" +
			"  leakhound sweep --repos-file repos.txt --report-format json -r new.json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSweep(cmd.Context(), env, o)
		},
	}
	o.commonOptions.bind(cmd)
	o.bindSweep(cmd)
	cmd.AddCommand(newSweepPlanCmd(env), newSweepStatusCmd(env))
	return cmd
}

const sweepExitCodes = `
Exit codes:
  0  no open finding
  1  open findings reported (or the value of --exit-code)
  2  the sweep itself failed (a source could not be listed, the store failed, or every
     repository failed); a repository that cannot be cloned is listed in the summary and,
     while others are swept, does not change the exit code`

func (o *sweepOptions) bindSweep(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Lookup("jobs").Usage = "repositories swept at once"
	f.Lookup("jobs").DefValue = strconv.Itoa(sweep.DefaultJobs)
	o.jobs = sweep.DefaultJobs
	o.sourceOptions.bind(cmd)
	bindCacheDir(cmd, &o.cacheDir)
	bindStore(cmd.Flags(), &o.storePath)
	f.BoolVar(&o.newOnly, "new-only", false,
		"report only findings first seen since the last finished sweep")
	f.IntVar(&o.scanJobs, "scan-jobs", sweep.DefaultScanJobs,
		"blobs of one repository scanned at once")
}

// bindCacheDir binds --cache-dir.
func bindCacheDir(cmd *cobra.Command, dir *string) {
	cmd.Flags().StringVar(dir, "cache-dir", "",
		"where bare mirrors are kept (default USER_CACHE_DIR/leakhound/mirrors)")
}

// bindStore binds --store on a flag set.
func bindStore(f *pflag.FlagSet, target *string) {
	f.StringVar(target, "store", "", "the sweep database: a SQLite file or a postgres:// "+
		"URL (default XDG_DATA_HOME/leakhound/leakhound.db)")
}

func (o *sweepOptions) validate() error {
	if o.scanJobs < 1 {
		return fmt.Errorf("--scan-jobs %d: want at least 1", o.scanJobs)
	}
	return o.sourceOptions.validate()
}

func runSweep(ctx context.Context, env *environ, o *sweepOptions) error {
	if err := o.validate(); err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	s, err := newSession(env, &o.commonOptions, "")
	if err != nil {
		return err
	}
	st, opts, err := o.prepare(ctx, env, s)
	if err != nil {
		return s.finish(&report.Summary{Source: "sweep"}, err)
	}
	defer st.Close()
	since, err := st.LastFinishedSweep(ctx)
	if err != nil {
		return s.finish(&report.Summary{Source: "sweep"}, err)
	}
	res, sweepErr := sweep.Run(ctx, opts)
	sum := &report.Summary{Source: "sweep"}
	if res != nil {
		printSweepSummary(env.stderr, res)
		sum = sweepSummary(res)
		if c := res.Counts; sweepErr == nil && c.Repositories > 0 && c.Failed == c.Repositories {
			sweepErr = fmt.Errorf("every repository (%d) failed; see the summary above",
				c.Failed)
		}
		flt := store.Filter{SeenIn: res.Sweep, Status: store.StatusOpen}
		if o.newOnly {
			flt.NewSince = since
		}
		if err := emitStored(ctx, s, st, flt); err != nil {
			sweepErr = errors.Join(sweepErr, err)
		}
	}
	return s.finish(sum, sweepErr)
}

// prepare opens the store and builds the sweep's options.
func (o *sweepOptions) prepare(ctx context.Context, env *environ,
	s *session) (store.Store, sweep.Options, error) {
	var opts sweep.Options
	srcs, err := o.sources(env, s.log)
	if err != nil {
		return nil, opts, err
	}
	rv, err := rulesVersion(o.config, o.maxFileSize)
	if err != nil {
		return nil, opts, err
	}
	storePath, cacheDir, err := o.paths(env)
	if err != nil {
		return nil, opts, err
	}
	st, err := store.Open(ctx, storePath)
	if err != nil {
		return nil, opts, err
	}
	return st, sweep.Options{Sources: srcs, Filter: o.filter, Store: st, Engine: s.eng,
		RulesVersion: rv, CacheDir: cacheDir, Jobs: o.jobs, ScanJobs: o.scanJobs,
		MaxFileSize: o.maxFileSize, Logger: s.log}, nil
}

// paths returns the store file and the mirror cache, defaulted under the user's data and
// cache directories.
func (o *sweepOptions) paths(env *environ) (string, string, error) {
	cacheDir, err := cacheDirOrDefault(o.cacheDir)
	if err != nil {
		return "", "", err
	}
	storePath, err := storeOrDefault(env, o.storePath)
	return storePath, cacheDir, err
}

// cacheDirOrDefault returns dir, or USER_CACHE_DIR/leakhound/mirrors if it is "".
func cacheDirOrDefault(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("--cache-dir: %w", err)
	}
	return filepath.Join(base, "leakhound", "mirrors"), nil
}

// storeOrDefault returns target, or the default store path if it is "".
func storeOrDefault(env *environ, target string) (string, error) {
	if target != "" {
		return target, nil
	}
	return defaultStorePath(env)
}

// defaultStorePath is XDG_DATA_HOME/leakhound/leakhound.db, else ~/.local/share/..., else
// under the user's cache directory.
func defaultStorePath(env *environ) (string, error) {
	if d := env.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "leakhound", "leakhound.db"), nil
	}
	if h := env.getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "leakhound", "leakhound.db"), nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("--store: %w", err)
	}
	return filepath.Join(dir, "leakhound", "leakhound.db"), nil
}

// rulesVersion digests everything that changes what a scan finds: the built-in rules, the
// user's config, the size limit and sweepEpoch.
func rulesVersion(config string, maxFileSize int64) (string, error) {
	h := sha256.New()
	h.Write(configs.Rules)
	if config != "" {
		b, err := os.ReadFile(config)
		if err != nil {
			return "", fmt.Errorf("read config: %w", err)
		}
		h.Write(b)
	}
	fmt.Fprintf(h, "\x00max=%d\x00epoch=%s", maxFileSize, sweepEpoch)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// emitStored passes the stored findings matching flt to the session's reports.
func emitStored(ctx context.Context, s *session, st store.Store, flt store.Filter) error {
	fs, err := st.Findings(ctx, flt)
	if err != nil {
		return err
	}
	for i := range fs {
		if err := s.emit(storedFinding(&fs[i])); err != nil {
			return err
		}
	}
	return nil
}

// storedFinding turns a stored finding back into a finding for the reporters. Its secret is
// the stored redacted form: the raw secret is not kept, so --no-redact shows no more.
func storedFinding(f *store.Finding) *finding.Finding {
	shown := finding.NewSecret(f.Redacted)
	return &finding.Finding{
		RuleID: f.RuleID, Description: f.Description, Severity: f.Severity,
		Repository: f.RepoName, Path: f.Path, Line: f.Line, Column: f.Column,
		EndLine: f.EndLine, EndColumn: f.EndColumn, Commit: f.Commit, Author: f.Author,
		Email: f.Email, Date: f.Date, Message: f.Message,
		Secret: shown, Entropy: f.Entropy,
		Fingerprint: f.Fingerprint, Validated: f.Validated,
	}
}

func sweepSummary(res *sweep.Result) *report.Summary {
	sum := &report.Summary{Source: fmt.Sprintf("sweep %d", res.Sweep),
		Skipped: map[string]int{}}
	for _, o := range res.Outcomes {
		sum.Commits += o.Commits
		sum.Blobs += o.Blobs
		sum.Bytes += o.Bytes
		if o.Known > 0 {
			sum.Skipped["already-scanned"] += o.Known
		}
		if o.Status == "failed" {
			sum.Errors = append(sum.Errors, o.Repo.URL+": "+o.Reason)
		}
	}
	return sum
}

// printSweepSummary writes one line for the sweep and one per repository.
func printSweepSummary(w io.Writer, res *sweep.Result) {
	c := res.Counts
	fmt.Fprintf(w, "leakhound: sweep %d: %d repositories: %d scanned, %d unchanged, "+
		"%d empty, %d failed; %d new findings\n", res.Sweep, c.Repositories, c.Scanned,
		c.Unchanged, c.Empty, c.Failed, c.NewFindings)
	for _, o := range res.Outcomes {
		detail := o.Reason
		if o.Status == "scanned" || o.Status == "incomplete" {
			detail = fmt.Sprintf("%d findings (%d new), %d blobs read, %d known clean, %s",
				o.Findings, o.New, o.Blobs, o.Known, o.Duration.Round(time.Millisecond))
		}
		fmt.Fprintf(w, "  %-10s %s", o.Status, o.Repo.Name)
		if o.Repo.Name != o.Repo.URL {
			fmt.Fprintf(w, " (%s)", o.Repo.URL)
		}
		if detail != "" {
			fmt.Fprintf(w, ": %s", detail)
		}
		fmt.Fprintln(w)
	}
	for _, err := range res.SourceErrors {
		fmt.Fprintf(w, "  source failed: %v\n", err)
	}
}
