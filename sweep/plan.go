package sweep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/leakhound/leakhound/store"
)

// Planned is a sweep planned into the store's queue.
type Planned struct {
	// Sweep is the planned sweep's id.
	Sweep int64
	// Queued counts the jobs enqueued, one per repository kept by the filter.
	Queued int
	// Skipped are the repositories the filter left out, with the reason in each Outcome.
	Skipped []Outcome
	// SourceErrors are the sources that could not be listed in full.
	SourceErrors []error
}

// Plan begins a sweep in the store, lists the sources' repositories and enqueues one job
// per repository the filter keeps, for workers (Work) to claim. Of Options it reads
// Sources, Filter, Store, RulesVersion and Logger. A sweep with nothing to sweep is ended
// at once. Like Run, it fails for a store error or a cancelled context, and after
// enqueueing the rest for a source that could not be listed (ErrSources).
func Plan(ctx context.Context, opts Options) (*Planned, error) {
	s, err := begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	id := s.id
	repos, srcErrs := s.enumerate(ctx)
	p := &Planned{Sweep: id, SourceErrors: srcErrs}
	if err := ctx.Err(); err != nil {
		return p, err
	}
	var jobs []store.Repository
	for _, o := range s.filter(repos) {
		if o.Status == "skipped" {
			p.Skipped = append(p.Skipped, o)
			continue
		}
		jobs = append(jobs, store.Repository{URL: o.Repo.URL, Name: o.Repo.Name,
			Source: o.Repo.Source})
	}
	if p.Queued, err = s.opts.Store.Enqueue(ctx, id, jobs); err != nil {
		return p, err
	}
	if p.Queued == 0 {
		if err := s.opts.Store.EndSweep(ctx, id, time.Now(), store.SweepCounts{}); err != nil {
			return p, err
		}
	}
	s.log.Info("sweep planned", "sweep", id, "queued", p.Queued, "skipped", len(p.Skipped))
	if len(srcErrs) > 0 {
		return p, fmt.Errorf("plan sweep %d: %w: %w", id, ErrSources, errors.Join(srcErrs...))
	}
	return p, nil
}
