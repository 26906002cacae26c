package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/leakhound/leakhound/store"
)

// Worker defaults.
const (
	// DefaultLease is how long a claimed job stays a worker's without a heartbeat: how long
	// a dead worker's repository waits before another worker takes it over.
	DefaultLease = 30 * time.Second
	// DefaultPoll is how often an idle worker asks the queue for work.
	DefaultPoll = 2 * time.Second
	// DefaultMaxAttempts is how many leases a job may run out before it is failed: a
	// repository that kills every worker that takes it must not hold up its sweep forever.
	DefaultMaxAttempts = 3
)

// WorkerOptions control a worker. Of Options, Store, Engine, RulesVersion, CacheDir, Jobs
// (jobs worked at once), ScanJobs, MaxFileSize and Logger are used.
type WorkerOptions struct {
	Options
	// ID names the worker in the queue; it must differ between the workers sharing a store.
	ID string
	// Lease is how long a claim lasts without a heartbeat; 0 means DefaultLease. A worker
	// renews its claims every third of it.
	Lease time.Duration
	// Poll is how often an idle worker asks for work; 0 means DefaultPoll.
	Poll time.Duration
	// MaxAttempts is how many leases a job may run out before it is failed; 0 means
	// DefaultMaxAttempts.
	MaxAttempts int
	// ExitWhenIdle stops the worker once no job is queued or running in the store. Without
	// it the worker runs until ctx is cancelled.
	ExitWhenIdle bool
	// Credentials are sent when cloning the repositories of GitHub and GitLab sources.
	Credentials Credentials
}

// WorkStats count what a worker did.
type WorkStats struct {
	// Jobs counts the jobs it finished; Lost those whose lease it lost to another worker.
	Jobs, Lost int
}

// Work claims jobs from the store's queue and sweeps their repositories, Jobs at a time,
// until ctx is cancelled or, with ExitWhenIdle, the queue is empty. Each claim is renewed
// while its repository is swept; a claim lost to another worker cancels that repository's
// sweep. Work returns the first store error, which leaves the job's lease to run out.
func Work(ctx context.Context, o WorkerOptions) (*WorkStats, error) {
	o = o.withDefaults()
	w := &worker{opts: o, mirrors: &mirrors{dir: filepath.Clean(o.CacheDir)}}
	g, ctx := errgroup.WithContext(ctx)
	for range o.Jobs {
		g.Go(func() error { return w.loop(ctx) })
	}
	err := g.Wait()
	st := &WorkStats{Jobs: int(w.jobs.Load()), Lost: int(w.lost.Load())}
	if errors.Is(err, errIdle) {
		err = nil
	}
	return st, err
}

func (o WorkerOptions) withDefaults() WorkerOptions {
	o.Options = o.Options.withDefaults()
	if o.ID == "" {
		host, _ := os.Hostname()
		o.ID = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	return o
}

// errIdle stops a worker's loops once the queue is empty.
var errIdle = errors.New("queue empty")

// worker is the state of one Work call, shared by its loops.
type worker struct {
	opts       WorkerOptions
	mirrors    *mirrors
	jobs, lost atomic.Int64
}

// loop claims and works jobs one at a time until ctx ends or the queue is empty.
func (w *worker) loop(ctx context.Context) error {
	for {
		j, err := w.opts.Store.Claim(ctx, w.opts.ID, w.opts.Lease, w.opts.MaxAttempts)
		switch {
		case errors.Is(err, store.ErrNoJob):
			if err := w.idle(ctx); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		if err := w.work(ctx, j); err != nil {
			return err
		}
	}
}

// idle waits Poll before the next claim, or returns errIdle if the worker is to exit
// when nothing is queued or running. A running job may yet be handed back by a lease
// running out, so a worker waits for the running ones too.
func (w *worker) idle(ctx context.Context) error {
	if w.opts.ExitWhenIdle {
		n, err := w.opts.Store.Pending(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return errIdle
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(w.opts.Poll):
		return nil
	}
}
