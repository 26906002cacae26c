package gitscan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
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
	// Blobs, if set, is asked before each unique blob is read and told of each blob found
	// clean; see BlobCache.
	Blobs BlobCache
	// FullScan scans every blob whole. By default a blob stored as a delta against a blob
	// already scanned is scanned incrementally: only the lines its delta does not copy are
	// read again (detectors.Scanner.ScanDelta). The findings are the same either way.
	FullScan bool
}

// Progress counts a running scan's work. Its fields are updated atomically.
type Progress struct {
	// Commits is how many commits the walk has diffed so far.
	Commits atomic.Int64
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
	Skipped map[string]int
	// Incremental counts the blobs scanned from their delta base's results rather than whole.
	Incremental int
	Findings    int
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

	msc := eng.NewScanner()
	g := r.loadGraph(tips, lim, func(c *commitInfo, message string) {
		scanMessage(msc, c, message)
	})
	st.Shallow = g.shallow
	commits := g.order()
	st.Commits = len(commits)
	opts.Logger.Debug("history loaded", "commits", len(commits), "refs", len(tips))

	s := &scan{repo: r, eng: eng, opts: opts, st: st, emit: emit, seen: map[string]bool{},
		atPath: map[string][]ruleSecret{}, paths: newPathTable(), blobs: []plumbing.Hash{{}},
		outcomes: map[resultID]*outcome{}}
	for _, e := range g.errs {
		s.addError(e)
	}
	err = s.run(ctx, commits)
	if err == nil && len(st.Errors) > 0 {
		what := "objects"
		if len(st.Errors) == 1 {
			what = "object"
		}
		err = fmt.Errorf("%w: %d %s could not be read", ErrIncomplete, len(st.Errors), what)
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
			return nil, lim, fmt.Errorf("since commit: %w", err)
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

	// order is the walker's object reader: it sorts blobs by pack offset, and the blob
	// workers borrow its packs.
	order *objectReader

	mu   sync.Mutex // guards st.Skipped, st.Blobs, st.Bytes from the blob workers
	seen map[string]bool

	// atPath lists the rule and secret of each finding reported at a path, so a rename can
	// carry them to the new path instead of reporting them again there.
	atPath map[string][]ruleSecret

	paths *pathTable

	// commits are the walked commits in walk order, numbered by commitID. blobs holds the hash
	// of each result slot (the zero hash for a message or an error), numbered by resultID from
	// 1; outcomes holds the few slots with matches or an error. Walk entries refer to all three
	// by number, so that the hundreds of thousands of them hold no pointers for the collector
	// to trace.
	commits  []*commitInfo
	blobs    []plumbing.Hash
	outcomes map[resultID]*outcome

	// metas and msgScanner serve commitMeta during attribution.
	metas      map[commitID]meta
	msgScanner *detectors.Scanner
}

type ruleSecret struct {
	rule   string
	secret string
}

// alias marks everything found at from as already reported at to.
func (s *scan) alias(from, to string) {
	for _, k := range s.atPath[from] {
		fp := finding.Fingerprint(k.rule, to, k.secret)
		if !s.seen[fp] {
			s.seen[fp] = true
			s.atPath[to] = append(s.atPath[to], k)
		}
	}
}

// run walks the history, scans the blobs it met in pack order on the workers, then
// attributes the results in walk order on the caller's goroutine.
func (s *scan) run(ctx context.Context, commits []*commitInfo) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The walker's reader opens the packs once; the blob workers borrow them, so each pack
	// index is mapped once per scan rather than once per goroutine.
	store := s.repo.newStorer()
	defer store.o.close()
	store.o.cache.max = treeCacheBytes
	s.order = store.o

	started := time.Now()
	entries, blobs, err := s.walk(ctx, commits, store)
	if err != nil {
		return err
	}
	s.paths.ids = nil                               // attribution only reads names
	store.o.cache = deltaCache{max: treeCacheBytes} // the walk's trees are not read again
	f := s.plantForest(blobs)                       // opens the packs before the workers borrow them
	s.opts.Logger.Debug("history walked", "places", len(entries), "new_blobs", len(blobs),
		"delta_trees", len(f.roots), "duration", time.Since(started).Round(time.Millisecond))

	jobs := make(chan blobJob, s.opts.Jobs)
	var wg sync.WaitGroup
	for range s.opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, f, jobs)
		}()
	}
	go func() {
		defer close(jobs)
		for _, r := range f.roots {
			if send(ctx, jobs, blobJob{root: r}) != nil {
				return
			}
		}
		for _, id := range f.loose {
			if send(ctx, jobs, blobJob{root: -1, loose: id}) != nil {
				return
			}
		}
	}()

	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	s.opts.Logger.Debug("blobs scanned", "blobs", s.st.Blobs, "incremental", s.st.Incremental,
		"duration", time.Since(started).Round(time.Millisecond))
	return s.attribute(entries)
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

// scanMessage scans a commit's message as the graph loads it, so that no message is kept
// (the author and subject of a commit with findings are read again when they are reported):
// it sets c.msg only when there is something to record, as for few commits.
func scanMessage(sc *detectors.Scanner, c *commitInfo, message string) {
	matches, err := sc.Scan("", []byte(message))
	if len(matches) == 0 && err == nil {
		return
	}
	c.msg = &outcome{matches: matches, err: err}
}

// secretMask replaces a secret found in a commit message wherever the message is shown (the
// subject line of every finding of that commit), so that only the finding's own secret field,
// which reports redact, carries it.
const secretMask = "[REDACTED]"

// maskSecrets returns s with every matched secret replaced by secretMask.
func maskSecrets(s string, matches []detectors.Match) string {
	for _, m := range matches {
		if m.Secret != "" {
			s = strings.ReplaceAll(s, m.Secret, secretMask)
		}
	}
	return s
}

func send[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *scan) addError(err error) {
	s.st.Errors = append(s.st.Errors, err.Error())
	s.opts.Logger.Debug("object unreadable, scan continues", "error", err.Error())
}
