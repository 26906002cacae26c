package gitscan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// DefaultMaxFileSize is the largest blob scanned unless Options say otherwise.
const DefaultMaxFileSize = 10 << 20

// Options control a history scan. The zero value scans every ref with default limits.
type Options struct {
	// Refs limits the walk to these refs (full names or short branch and tag names).
	Refs []string
	// SinceCommit leaves out this commit and its ancestors.
	SinceCommit string
	// Range is "A..B": the commits reachable from B but not from A. It replaces Refs.
	Range string
	// MaxDepth limits how many commits are walked from each tip; 0 walks all.
	MaxDepth int
	// MaxFileSize is the largest blob scanned, in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Jobs is how many goroutines read and scan blobs; 0 means one per CPU.
	Jobs int
	// Logger receives debug and warning records; nil discards them.
	Logger *slog.Logger
	// Progress, if set, is updated as the scan goes; another goroutine may read it.
	Progress *Progress
	// Blobs, if set, is asked before each unique blob is read and told of each blob found
	// clean; see BlobCache.
	Blobs BlobCache
}

// Progress counts a running scan's work. Its fields are updated atomically.
type Progress struct {
	// BlobsFound is how many unique blobs the walk has met so far.
	BlobsFound atomic.Int64
	// BlobsDone is how many of them have been read and scanned or skipped.
	BlobsDone atomic.Int64
	// Bytes is how many blob bytes have been read.
	Bytes atomic.Int64
}

// Stats summarise a finished scan.
type Stats struct {
	Refs    []string
	Commits int
	Blobs   int
	Bytes   int64
	// Skipped counts blobs not matched, by reason: "binary", "lfs-pointer", "too-large",
	// "already-scanned" (known clean to Options.Blobs).
	Skipped  map[string]int
	Findings int
	// Errors name the objects that could not be read; the scan went on without them.
	Errors []string
	// Shallow is set when the repository is a shallow clone: history before its boundary
	// is absent and was not scanned.
	Shallow bool
	// Empty is set when the repository has no commits.
	Empty bool
}

// ErrIncomplete is wrapped by the error Scan returns when some objects could not be read;
// the findings emitted are still valid.
var ErrIncomplete = errors.New("scan incomplete")

// Scan walks the history Options select and calls emit, from the calling goroutine, once per
// finding: once per (rule, path, secret), attributed to the first commit in topological order
// (parents first, then author date) that introduced it. Each unique blob is read and scanned
// once. Commit messages are scanned as findings without a path.
//
// Objects that cannot be read are listed in Stats.Errors and the returned error wraps
// ErrIncomplete; any other error (no refs to read, an unknown revision, emit failing, ctx
// cancelled) ends the scan.
func (r *Repo) Scan(ctx context.Context, eng *detectors.Engine, opts Options,
	emit func(*finding.Finding) error) (*Stats, error) {
	opts = opts.withDefaults()
	st := &Stats{Skipped: map[string]int{}}

	tips, lim, err := r.plan(opts)
	if err != nil {
		return st, err
	}
	for _, t := range tips {
		st.Refs = append(st.Refs, t.ref)
	}
	if len(tips) == 0 {
		st.Empty = true
		return st, nil
	}

	g := r.loadGraph(tips, lim)
	st.Shallow = g.shallow
	commits := g.order()
	st.Commits = len(commits)
	opts.Logger.Debug("history loaded", "commits", len(commits), "refs", len(tips))

	s := &scan{repo: r, eng: eng, opts: opts, st: st, emit: emit, seen: map[string]bool{}}
	for _, e := range g.errs {
		s.addError(e)
	}
	err = s.run(ctx, commits)
	if err == nil && len(st.Errors) > 0 {
		err = fmt.Errorf("%w: %d objects could not be read", ErrIncomplete, len(st.Errors))
	}
	return st, err
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Progress == nil {
		o.Progress = &Progress{}
	}
	return o
}

// plan resolves the options into the tips to walk from and the limits of the walk.
func (r *Repo) plan(opts Options) ([]tip, walkLimits, error) {
	lim := walkLimits{maxDepth: opts.MaxDepth}
	var tips []tip
	var err error
	if opts.Range != "" {
		from, to, ok := cutRange(opts.Range)
		if !ok {
			return nil, lim, fmt.Errorf("range %q: want A..B", opts.Range)
		}
		a, err := r.ResolveCommit(from)
		if err != nil {
			return nil, lim, err
		}
		b, err := r.ResolveCommit(to)
		if err != nil {
			return nil, lim, err
		}
		tips = []tip{{ref: to, hash: b}}
		lim.exclude = r.ancestors(a)
		return tips, lim, nil
	}
	if tips, err = r.tips(opts.Refs); err != nil {
		return nil, lim, err
	}
	if len(opts.Refs) > 0 && len(tips) == 0 {
		return nil, lim, fmt.Errorf("refs %v: none found", opts.Refs)
	}
	if opts.SinceCommit != "" {
		h, err := r.ResolveCommit(opts.SinceCommit)
		if err != nil {
			return nil, lim, err
		}
		lim.exclude = r.ancestors(h)
	}
	return tips, lim, nil
}

func cutRange(s string) (string, string, bool) {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == '.' {
			a, b := s[:i], s[i+2:]
			return a, b, a != "" && b != ""
		}
	}
	return "", "", false
}

// scan is the state of one Scan call.
type scan struct {
	repo *Repo
	eng  *detectors.Engine
	opts Options
	st   *Stats
	emit func(*finding.Finding) error

	mu   sync.Mutex // guards st.Skipped, st.Blobs, st.Bytes from the blob workers
	seen map[string]bool
}

// blobResult is the outcome of scanning one blob, shared by every place that holds it.
// done is closed once the other fields are set.
type blobResult struct {
	hash    plumbing.Hash
	done    chan struct{}
	matches []detectors.Match
	err     error
	errSeen bool // the error was reported already
}

// entry is one place to attribute: a blob a commit introduced at a path, or a commit's
// message (path empty, res pre-filled).
type entry struct {
	commit *commitInfo
	path   string
	res    *blobResult
}

// run starts the walker and the blob workers and attributes their results in order on the
// calling goroutine.
func (s *scan) run(ctx context.Context, commits []*commitInfo) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan *blobResult, 256)
	entries := make(chan entry, 4096)
	var wg sync.WaitGroup
	for range s.opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, jobs)
		}()
	}
	walkErr := make(chan error, 1)
	go func() {
		defer close(entries)
		defer close(jobs)
		walkErr <- s.walk(ctx, commits, jobs, entries)
	}()

	err := s.attribute(ctx, entries)
	cancel()
	wg.Wait()
	return errors.Join(err, <-walkErr)
}

// walk diffs each commit against its parents in order, sends each blob it has not met to the
// workers, and every introduced place, in order, to the attributer.
func (s *scan) walk(ctx context.Context, commits []*commitInfo, jobs chan<- *blobResult,
	entries chan<- entry) error {
	d := newDiffer(s.repo.Git.Storer)
	msgScanner := s.eng.NewScanner()
	blobs := map[plumbing.Hash]*blobResult{}
	for _, c := range commits {
		if c.tree.IsZero() {
			continue // unreadable commit, already reported
		}
		if err := send(ctx, entries, s.messageEntry(msgScanner, c)); err != nil {
			return err
		}
		for _, ch := range d.introduced(c.tree, s.parentTrees(c)) {
			res := blobs[ch.blob]
			if res == nil {
				var known bool
				if res, known = s.skipKnown(ch.blob); !known {
					res = &blobResult{hash: ch.blob, done: make(chan struct{})}
					s.opts.Progress.BlobsFound.Add(1)
					if err := send(ctx, jobs, res); err != nil {
						return err
					}
				}
				blobs[ch.blob] = res
			}
			if err := send(ctx, entries, entry{commit: c, path: ch.path, res: res}); err != nil {
				return err
			}
		}
		for _, e := range d.errs {
			if err := send(ctx, entries, errorEntry(c, e)); err != nil {
				return err
			}
		}
		d.errs = d.errs[:0]
	}
	return nil
}

// parentTrees returns the trees of all of a commit's parents that can be read, walked or not,
// so that a range or depth limit diffs its first commit against its real parent.
func (s *scan) parentTrees(c *commitInfo) []plumbing.Hash {
	out := make([]plumbing.Hash, 0, len(c.parentH))
	for i, h := range c.parentH {
		if i < len(c.parents) && c.parents[i].hash == h && !c.parents[i].tree.IsZero() {
			out = append(out, c.parents[i].tree)
			continue
		}
		if pc, err := s.repo.readCommit(h); err == nil {
			out = append(out, pc.TreeHash)
		}
	}
	return out
}

func (s *scan) messageEntry(sc *detectors.Scanner, c *commitInfo) entry {
	res := &blobResult{done: make(chan struct{})}
	res.matches, res.err = sc.Scan("", []byte(c.message))
	c.message = ""
	close(res.done)
	return entry{commit: c, res: res}
}

func errorEntry(c *commitInfo, err error) entry {
	res := &blobResult{done: make(chan struct{}), err: err}
	close(res.done)
	return entry{commit: c, path: "", res: res}
}

func send[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// attribute turns results into findings in walk order, so that the first place a secret
// appears is the one reported.
func (s *scan) attribute(ctx context.Context, entries <-chan entry) error {
	for e := range entries {
		select {
		case <-e.res.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if e.res.err != nil {
			if !e.res.errSeen {
				e.res.errSeen = true
				s.addError(placeError(e, e.res.err))
			}
			if e.res.matches == nil {
				continue
			}
		}
		for i := range e.res.matches {
			if err := s.report(e, &e.res.matches[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func placeError(e entry, err error) error {
	if e.path == "" {
		return fmt.Errorf("commit %s: %w", e.commit.hash, err)
	}
	return fmt.Errorf("%s in commit %s: %w", e.path, e.commit.hash, err)
}

func (s *scan) addError(err error) {
	s.st.Errors = append(s.st.Errors, err.Error())
	s.opts.Logger.Warn("object unreadable, scan continues", "error", err.Error())
}

func (s *scan) report(e entry, m *detectors.Match) error {
	if e.path != "" && s.eng.PathAllowed(m.Rule, e.path) {
		return nil
	}
	fp := finding.Fingerprint(m.Rule.ID, e.path, m.Secret)
	if s.seen[fp] {
		return nil
	}
	s.seen[fp] = true
	s.st.Findings++
	f := m.Finding(e.path)
	c := e.commit
	f.Commit = c.hash.String()
	f.Author, f.Email, f.Message = c.author, c.email, c.subject
	f.Date = c.when.UTC().Truncate(time.Second)
	return s.emit(f)
}
