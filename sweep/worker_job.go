package sweep

import (
	"context"
	"errors"
	"time"

	"github.com/leakhound/leakhound/store"
)

// work sweeps one claimed job's repository under a heartbeat and finishes the job. It
// returns an error only for what should stop the worker: a store error or ctx ending.
func (w *worker) work(ctx context.Context, j *store.Job) error {
	log := w.opts.Logger.With("job", j.ID, "repository", j.Repo.URL)
	log.Info("job claimed", "sweep", j.Sweep, "attempt", j.Attempts)
	repo, err := w.opts.Credentials.jobRepository(&j.Repo)
	if err != nil {
		return err
	}
	jctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := w.heartbeat(jctx, j, cancel)
	s := &sweeper{opts: w.opts.Options, log: w.opts.Logger, id: j.Sweep, mirrors: w.mirrors}
	out := &Outcome{Repo: repo}
	err = s.sweepRepo(jctx, out)
	stop()
	if errors.Is(context.Cause(jctx), store.ErrLeaseLost) && ctx.Err() == nil {
		w.lost.Add(1)
		log.Warn("job lost to another worker")
		return nil
	}
	if err != nil {
		return err
	}
	err = w.opts.Store.Finish(ctx, j, store.JobResult{Failed: out.Status == "failed",
		Outcome: out.Status, NewFindings: out.New, Error: out.Reason})
	if errors.Is(err, store.ErrLeaseLost) {
		w.lost.Add(1)
		log.Warn("job lost to another worker after its results were saved")
		return nil
	}
	if err == nil {
		w.jobs.Add(1)
		log.Info("job finished", "outcome", out.Status, "new", out.New)
	}
	return err
}

// heartbeat renews j's lease every third of the lease until the returned stop is called.
// A lease lost to another worker cancels the job with ErrLeaseLost; other errors are
// logged and retried at the next beat, as the lease may still hold.
func (w *worker) heartbeat(ctx context.Context, j *store.Job,
	cancel context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(w.opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			err := w.opts.Store.Heartbeat(ctx, j, w.opts.Lease)
			switch {
			case errors.Is(err, store.ErrLeaseLost):
				cancel(store.ErrLeaseLost)
				return
			case err != nil && ctx.Err() == nil:
				w.opts.Logger.Warn("lease not renewed", "job", j.ID, "error", err)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
