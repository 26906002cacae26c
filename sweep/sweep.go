package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/store"
)

// Defaults for Options.
const (
	// DefaultJobs is how many repositories are swept at once. Each holds its commit graph
	// and ScanJobs blobs in memory, so memory grows with Jobs, not with the sweep's size.
	DefaultJobs = 4
	// DefaultScanJobs is how many blobs of one repository are scanned at once.
	DefaultScanJobs = 2
	// DefaultMaxRateLimitWait is the longest wait for an API rate limit before a source
	// gives up.
	DefaultMaxRateLimitWait = time.Hour
)

// ErrSources is wrapped by Run's error when a source could not be listed in full; the
// repositories it did list were still swept.
var ErrSources = errors.New("some sources could not be listed")

// Options control a sweep. Sources, Store and Engine are required.
type Options struct {
	// Sources enumerate the repositories; they are listed one after another before any
	// repository is swept, and a URL listed twice is swept once.
	Sources []Source
	// Filter decides which repositories are swept.
	Filter Filter
	// Store records the sweep. Run does not close it.
	Store store.Store
	// Engine holds the rules.
	Engine *detectors.Engine
	// RulesVersion identifies everything that changes what a scan finds (the rules, the
	// size limit); blobs and repositories scanned under another version are scanned again.
	RulesVersion string
	// CacheDir holds the bare mirrors.
	CacheDir string
	// Jobs is how many repositories are swept at once; 0 means DefaultJobs.
	Jobs int
	// ScanJobs is how many blobs of one repository are scanned at once; 0 means
	// DefaultScanJobs.
	ScanJobs int
	// MaxFileSize is the largest blob scanned, in bytes; 0 means gitscan's default.
	MaxFileSize int64
	// Logger receives the sweep's records; nil discards them. It never receives a token
	// or a secret.
	Logger *slog.Logger
}

// Outcome is what became of one repository.
type Outcome struct {
	Repo Repository
	// Status is "scanned", "incomplete", "unchanged", "empty", "failed" or "skipped".
	Status string
	// Reason says why a repository was skipped or failed.
	Reason string
	// Findings counts the findings the scan saw, New those first recorded by it.
	Findings, New int
	// Commits counts the commits walked; Bytes the blob bytes read.
	Commits int
	Bytes   int64
	// Blobs counts the blobs read; Known those skipped as already scanned clean.
	Blobs, Known int
	Duration     time.Duration
}

// Result is a finished sweep.
type Result struct {
	// Sweep is the sweep's id in the store.
	Sweep int64
	// Outcomes has one entry per repository listed, in listing order.
	Outcomes []Outcome
	// Counts are the totals recorded in the store.
	Counts store.SweepCounts
	// SourceErrors are the sources that could not be listed in full.
	SourceErrors []error
}

// sweeper is the state of one Run.
type sweeper struct {
	opts    Options
	log     *slog.Logger
	id      int64
	mirrors *mirrors
}

// begin checks the options and begins a sweep in the store, for Run and Plan.
func begin(ctx context.Context, opts Options) (*sweeper, error) {
	opts = opts.withDefaults()
	if err := opts.Filter.Check(); err != nil {
		return nil, err
	}
	id, err := opts.Store.BeginSweep(ctx, time.Now(), opts.RulesVersion)
	if err != nil {
		return nil, err
	}
	return &sweeper{opts: opts, log: opts.Logger, id: id,
		mirrors: &mirrors{dir: filepath.Clean(opts.CacheDir)}}, nil
}

// Run sweeps the sources' repositories and records the sweep in the store. A repository
// that fails is recorded with its reason and the sweep goes on; Run fails for a store error,
// a cancelled context (the sweep is then left unfinished, and the next one resumes it) and,
// after sweeping the rest, for a source that could not be listed (ErrSources).
func Run(ctx context.Context, opts Options) (*Result, error) {
	s, err := begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	id := s.id
	s.log.Info("sweep started", "sweep", id)
	res := &Result{Sweep: id}
	repos, srcErrs := s.enumerate(ctx)
	res.SourceErrors = srcErrs
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Outcomes = s.filter(repos)
	if err := s.sweepAll(ctx, res.Outcomes); err != nil {
		return res, err
	}
	res.Counts = count(res.Outcomes)
	if err := opts.Store.EndSweep(ctx, id, time.Now(), res.Counts); err != nil {
		return res, err
	}
	s.log.Info("sweep finished", "sweep", id, "repositories", res.Counts.Repositories)
	if len(srcErrs) > 0 {
		return res, fmt.Errorf("sweep %d: %w: %w", id, ErrSources, errors.Join(srcErrs...))
	}
	return res, nil
}

func (o Options) withDefaults() Options {
	if o.Jobs <= 0 {
		o.Jobs = DefaultJobs
	}
	if o.ScanJobs <= 0 {
		o.ScanJobs = DefaultScanJobs
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// enumerate lists every source, dropping repeated URLs. A source that fails part way keeps
// what it listed.
func (s *sweeper) enumerate(ctx context.Context) ([]Repository, []error) {
	var out []Repository
	var errs []error
	seen := map[string]bool{}
	for _, src := range s.opts.Sources {
		n := 0
		err := src.List(ctx, func(r Repository) error {
			n++
			if !seen[r.URL] {
				seen[r.URL] = true
				out = append(out, r)
			}
			return nil
		})
		if err != nil {
			s.log.Warn("source not listed in full", "source", src.Name(), "error", err)
			errs = append(errs, err)
		}
		s.log.Info("source listed", "source", src.Name(), "repositories", n)
	}
	return out, errs
}

// filter makes one outcome per repository, "skipped" for those the filter drops.
func (s *sweeper) filter(repos []Repository) []Outcome {
	out := make([]Outcome, len(repos))
	for i, r := range repos {
		out[i].Repo = r
		if ok, why := s.opts.Filter.Keep(&r); !ok {
			out[i].Status, out[i].Reason = "skipped", why
		}
	}
	return out
}

// sweepAll sweeps the repositories not skipped, Jobs at a time, filling in their outcomes.
func (s *sweeper) sweepAll(ctx context.Context, outs []Outcome) error {
	g, ctx := errgroup.WithContext(ctx)
	work := make(chan int)
	g.Go(func() error {
		defer close(work)
		for i := range outs {
			if outs[i].Status == "skipped" {
				continue
			}
			select {
			case work <- i:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	for range s.opts.Jobs {
		g.Go(func() error {
			for i := range work {
				if err := s.sweepRepo(ctx, &outs[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func count(outs []Outcome) store.SweepCounts {
	var c store.SweepCounts
	for _, o := range outs {
		switch o.Status {
		case "skipped":
			continue
		case "scanned", "incomplete":
			c.Scanned++
		case "unchanged":
			c.Unchanged++
		case "empty":
			c.Empty++
		case "failed":
			c.Failed++
		}
		c.Repositories++
		c.NewFindings += o.New
	}
	return c
}
