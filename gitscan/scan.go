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
	// Commits are revisions (hashes, branches, tags) to walk from instead of refs; with
	// Exclude, they select the commits a push sends. They replace Refs.
	Commits []string
	// Exclude leaves out these commits and their ancestors; it applies with Commits.
	Exclude []string
	// KnownAtBoundary treats a secret that a left-out parent already holds at the same path
	// as known: it is not reported when a walked commit changes another line of that file.
	// A pre-push hook sets it, since the remote has that parent.
	KnownAtBoundary bool
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
	// Skipped counts blobs not matched, by reason: "binary", "lfs-pointer", "too-large".
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
	if len(opts.Commits) > 0 {
		return r.planCommits(opts, lim)
	}
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

// planCommits resolves Options.Commits and Options.Exclude.
func (r *Repo) planCommits(opts Options, lim walkLimits) ([]tip, walkLimits, error) {
	var tips []tip
	var want, hide []plumbing.Hash
	for _, c := range opts.Commits {
		h, err := r.resolveFast(c)
		if err != nil {
			return nil, lim, err
		}
		tips = append(tips, tip{ref: c, hash: h})
		want = append(want, h)
	}
	for _, c := range opts.Exclude {
		if plumbing.IsHash(c) {
			hide = append(hide, plumbing.NewHash(c)) // peeled by the walk if need be
			continue
		}
		h, err := r.ResolveCommit(c)
		if err != nil {
			return nil, lim, err
		}
		hide = append(hide, h)
	}
	lim.exclude = r.hiddenAncestors(want, hide)
	return tips, lim, nil
}

// resolveFast resolves a full hash by reading the object, and anything else as
// ResolveCommit does.
func (r *Repo) resolveFast(rev string) (plumbing.Hash, error) {
	if !plumbing.IsHash(rev) {
		return r.ResolveCommit(rev)
	}
	h, ok := r.peel(plumbing.NewHash(rev))
	if !ok {
		return plumbing.ZeroHash, fmt.Errorf("resolve %s: not a readable commit", rev)
	}
	return h, nil
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
	known  bool // a left-out parent's blob: its secrets are marked seen, not reported
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
	store := s.repo.newStorer()
	defer store.o.close()
	w := &walker{s: s, d: newDiffer(store), jobs: jobs, entries: entries,
		blobs: map[plumbing.Hash]*blobResult{}}
	msgScanner := s.eng.NewScanner()
	for _, c := range commits {
		if c.tree.IsZero() {
			continue // unreadable commit, already reported
		}
		if err := send(ctx, entries, s.messageEntry(msgScanner, c)); err != nil {
			return err
		}
		if err := w.commit(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// walker is the state of the goroutine that diffs commits.
type walker struct {
	s       *scan
	d       *differ
	jobs    chan<- *blobResult
	entries chan<- entry
	blobs   map[plumbing.Hash]*blobResult
}

// commit sends the places one commit introduces, each preceded, with KnownAtBoundary, by the
// same path in its left-out parents.
func (w *walker) commit(ctx context.Context, c *commitInfo) error {
	var boundary []plumbing.Hash
	if w.s.opts.KnownAtBoundary {
		boundary = w.s.boundaryTrees(c)
	}
	for _, ch := range w.d.introduced(c.tree, w.s.parentTrees(c)) {
		for _, bt := range boundary {
			if h, ok := w.d.blobAt(bt, ch.path); ok && h != ch.blob {
				if err := w.place(ctx, c, change{path: ch.path, blob: h}, true); err != nil {
					return err
				}
			}
		}
		if err := w.place(ctx, c, ch, false); err != nil {
			return err
		}
	}
	for _, e := range w.d.errs {
		if err := send(ctx, w.entries, errorEntry(c, e)); err != nil {
			return err
		}
	}
	w.d.errs = w.d.errs[:0]
	return nil
}

// place sends a blob to the workers the first time it is met, and its place to the
// attributer.
func (w *walker) place(ctx context.Context, c *commitInfo, ch change, known bool) error {
	res := w.blobs[ch.blob]
	if res == nil {
		res = &blobResult{hash: ch.blob, done: make(chan struct{})}
		w.blobs[ch.blob] = res
		w.s.opts.Progress.BlobsFound.Add(1)
		if err := send(ctx, w.jobs, res); err != nil {
			return err
		}
	}
	return send(ctx, w.entries, entry{commit: c, path: ch.path, res: res, known: known})
}

// boundaryTrees returns the trees of a commit's parents that the walk leaves out.
func (s *scan) boundaryTrees(c *commitInfo) []plumbing.Hash {
	var out []plumbing.Hash
	for _, h := range c.parentH {
		walked := false
		for _, p := range c.parents {
			walked = walked || p.hash == h
		}
		if walked {
			continue
		}
		if pc, err := s.repo.readCommit(h); err == nil {
			out = append(out, pc.TreeHash)
		}
	}
	return out
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
			if e.known {
				s.seen[finding.Fingerprint(e.res.matches[i].Rule.ID, e.path,
					e.res.matches[i].Secret)] = true
				continue
			}
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
