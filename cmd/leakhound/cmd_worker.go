package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/store"
	"github.com/leakhound/leakhound/sweep"
)

// workerOptions are the flags of leakhound worker.
type workerOptions struct {
	storePath    string
	cacheDir     string
	config       string
	maxFileSize  int64
	jobs         int
	scanJobs     int
	id           string
	lease        time.Duration
	poll         time.Duration
	exitWhenIdle bool
	githubAPIURL string
	gitlabURL    string
	logLevel     string
}

func newWorkerCmd(env *environ) *cobra.Command {
	o := &workerOptions{}
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Sweep the repositories leakhound sweep plan queued, with other workers",
		Long: "Claim jobs from the queue in --store, mirror and scan each job's repository, " +
			"and record its findings in the store. Any number of workers, on any number of " +
			"machines, may share a postgres:// store: each job goes to one worker, a blob " +
			"found clean by one is skipped by all, and a finding is stored once. A worker " +
			"renews its claims every third of --lease; the job of a worker that dies goes " +
			"to another once its lease runs out.\n\n" +
			"Tokens come from GITHUB_TOKEN and GITLAB_TOKEN and are sent only to the host " +
			"they belong to (--github-api-url, --gitlab-url).\n\nExit codes:\n" +
			"  0  stopped: the queue was empty (--exit-when-idle) or the worker was " +
			"interrupted\n  2  the store failed",
		Example: "  leakhound worker --store postgres://leakhound@db/leakhound\n" +
			"  leakhound worker --store sweep.db --exit-when-idle --lease 1m",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := runWorker(cmd.Context(), env, o); err != nil {
				return &exitStatus{code: exitError, err: err}
			}
			return nil
		},
	}
	f := cmd.Flags()
	bindStore(f, &o.storePath)
	bindCacheDir(cmd, &o.cacheDir)
	bindHosts(cmd, &o.githubAPIURL, &o.gitlabURL)
	f.StringVarP(&o.config, "config", "c", "", "rules config (TOML); default built-in rules")
	f.Int64Var(&o.maxFileSize, "max-file-size", 10<<20, "largest blob scanned, in bytes")
	f.IntVarP(&o.jobs, "jobs", "j", 1, "repositories swept at once")
	f.IntVar(&o.scanJobs, "scan-jobs", sweep.DefaultScanJobs,
		"blobs of one repository scanned at once")
	f.StringVar(&o.id, "id", "", "this worker's name in the queue (default HOST-PID)")
	f.DurationVar(&o.lease, "lease", sweep.DefaultLease,
		"how long a claim outlives a dead worker")
	f.DurationVar(&o.poll, "poll", sweep.DefaultPoll, "how often an idle worker looks for work")
	f.BoolVar(&o.exitWhenIdle, "exit-when-idle", false,
		"stop once no job is queued or running")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return cmd
}

func (o *workerOptions) validate() error {
	if o.jobs < 1 || o.scanJobs < 1 {
		return fmt.Errorf("--jobs %d, --scan-jobs %d: want at least 1", o.jobs, o.scanJobs)
	}
	if o.lease < 3*time.Millisecond || o.poll <= 0 {
		return fmt.Errorf("--lease %s, --poll %s: want positive durations", o.lease, o.poll)
	}
	_, err := parseLevel(o.logLevel)
	return err
}

func runWorker(ctx context.Context, env *environ, o *workerOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	log := (&commonOptions{logLevel: o.logLevel}).logger(env.stderr)
	eng, _, err := loadEngine(o.config, "")
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
	cacheDir, err := cacheDirOrDefault(o.cacheDir)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer st.Close()
	stats, err := sweep.Work(ctx, sweep.WorkerOptions{
		Options: sweep.Options{Store: st, Engine: eng, RulesVersion: rv, CacheDir: cacheDir,
			Jobs: o.jobs, ScanJobs: o.scanJobs, MaxFileSize: o.maxFileSize, Logger: log},
		ID: o.id, Lease: o.lease, Poll: o.poll, ExitWhenIdle: o.exitWhenIdle,
		Credentials: sweep.Credentials{
			GitHub: sweep.GitHubOptions{APIURL: o.githubAPIURL, Token: env.getenv("GITHUB_TOKEN")},
			GitLab: sweep.GitLabOptions{URL: o.gitlabURL, Token: env.getenv("GITLAB_TOKEN")},
		},
	})
	if stats != nil {
		fmt.Fprintf(env.stderr, "leakhound: worker: %d jobs finished, %d lost to other "+
			"workers\n", stats.Jobs, stats.Lost)
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}
