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
	githubOrgs   []string
	githubUsers  []string
	gitlabGroups []string
	repos        []string
	reposFile    string
	githubAPIURL string
	gitlabURL    string
	filter       sweep.Filter
	cacheDir     string
	storePath    string
	newOnly      bool
	scanJobs     int
	maxWait      time.Duration
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
	o.bind(cmd)
	o.bindSweep(cmd)
	return cmd
}

const sweepExitCodes = `
Exit codes:
  0  no open finding
  1  open findings reported (or the value of --exit-code)
  2  the sweep itself failed (a source could not be listed, the store failed); a repository
     that cannot be cloned is listed in the summary and does not change the exit code`

func (o *sweepOptions) bindSweep(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Lookup("jobs").Usage = "repositories swept at once"
	f.Lookup("jobs").DefValue = strconv.Itoa(sweep.DefaultJobs)
	o.jobs = sweep.DefaultJobs
	f.StringArrayVar(&o.githubOrgs, "github-org", nil, "sweep a GitHub organisation (repeatable)")
	f.StringArrayVar(&o.githubUsers, "github-user", nil, "sweep a GitHub user's repositories")
	f.StringArrayVar(&o.gitlabGroups, "gitlab-group", nil,
		"sweep a GitLab group and its subgroups, by full path (repeatable)")
	f.StringArrayVar(&o.repos, "repo", nil, "sweep this repository URL (repeatable)")
	f.StringVar(&o.reposFile, "repos-file", "", "sweep the repository URLs in FILE, one a line")
	f.StringVar(&o.githubAPIURL, "github-api-url", "",
		"GitHub API root, for GitHub Enterprise (https://HOST/api/v3/)")
	f.StringVar(&o.gitlabURL, "gitlab-url", "", "GitLab instance (default https://gitlab.com)")
	f.BoolVar(&o.filter.IncludeForks, "include-forks", false, "sweep forks too")
	f.BoolVar(&o.filter.IncludeArchived, "include-archived", false, "sweep archived ones too")
	f.StringArrayVar(&o.filter.Include, "include", nil,
		"sweep only repositories whose name matches this glob (repeatable)")
	f.StringArrayVar(&o.filter.Exclude, "exclude", nil,
		"leave out repositories whose name matches this glob (repeatable)")
	f.StringVar(&o.cacheDir, "cache-dir", "",
		"where bare mirrors are kept (default USER_CACHE_DIR/leakhound/mirrors)")
	f.StringVar(&o.storePath, "store", "", "the sweep database (default "+
		"XDG_DATA_HOME/leakhound/leakhound.db)")
	f.BoolVar(&o.newOnly, "new-only", false,
		"report only findings first seen since the last finished sweep")
	f.IntVar(&o.scanJobs, "scan-jobs", sweep.DefaultScanJobs,
		"blobs of one repository scanned at once")
	f.DurationVar(&o.maxWait, "max-rate-limit-wait", sweep.DefaultMaxRateLimitWait,
		"longest wait for an API rate limit before the source fails")
}

func (o *sweepOptions) validate() error {
	if len(o.githubOrgs)+len(o.githubUsers)+len(o.gitlabGroups)+len(o.repos) == 0 &&
		o.reposFile == "" {
		return errors.New("no source: give --github-org, --github-user, --gitlab-group, " +
			"--repo or --repos-file")
	}
	if o.scanJobs < 1 {
		return fmt.Errorf("--scan-jobs %d: want at least 1", o.scanJobs)
	}
	return o.filter.Check()
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
	srcs, err := o.sources(env, s)
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

// sources builds one source per flag, in flag order by kind.
func (o *sweepOptions) sources(env *environ, s *session) ([]sweep.Source, error) {
	rl := sweep.RateLimitOptions{MaxWait: o.maxWait, Logger: s.log}
	gh := sweep.GitHubOptions{APIURL: o.githubAPIURL, Token: env.getenv("GITHUB_TOKEN"),
		RateLimit: rl}
	gl := sweep.GitLabOptions{URL: o.gitlabURL, Token: env.getenv("GITLAB_TOKEN"), RateLimit: rl}
	var out []sweep.Source
	add := func(src sweep.Source, err error) error {
		if err == nil {
			out = append(out, src)
		}
		return err
	}
	for _, org := range o.githubOrgs {
		if err := add(sweep.GitHubOrg(gh, org)); err != nil {
			return nil, err
		}
	}
	for _, u := range o.githubUsers {
		if err := add(sweep.GitHubUser(gh, u)); err != nil {
			return nil, err
		}
	}
	for _, g := range o.gitlabGroups {
		if err := add(sweep.GitLabGroup(gl, g)); err != nil {
			return nil, err
		}
	}
	if len(o.repos) > 0 {
		out = append(out, sweep.URLs(o.repos))
	}
	if o.reposFile != "" {
		out = append(out, sweep.ReposFile(o.reposFile))
	}
	return out, nil
}

// paths returns the store file and the mirror cache, defaulted under the user's data and
// cache directories.
func (o *sweepOptions) paths(env *environ) (string, string, error) {
	storePath, cacheDir := o.storePath, o.cacheDir
	if cacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return "", "", fmt.Errorf("--cache-dir: %w", err)
		}
		cacheDir = filepath.Join(dir, "leakhound", "mirrors")
	}
	if storePath == "" {
		p, err := defaultStorePath(env)
		if err != nil {
			return "", "", err
		}
		storePath = p
	}
	return storePath, cacheDir, nil
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
