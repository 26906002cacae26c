package gitscan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
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
		atPath: map[string][]ruleSecret{}, paths: newPathTable()}
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

	traces traceStore
	paths  *pathTable
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

// blobResult is the outcome of scanning one blob, shared by every place that holds it.
type blobResult struct {
	hash    plumbing.Hash
	matches []detectors.Match
	err     error
	errSeen bool // the error was reported already
}

// entry is one place to attribute: a blob a commit introduced at a path, or a commit's
// message (no path, res pre-filled). A walk records one per changed file, hundreds of
// thousands on a large history, so paths are numbers into the scan's path table.
type entry struct {
	commit *commitInfo
	res    *blobResult
	path   pathID
	from   pathID // for a rename entry (res nil): the path the file moved from
	known  bool   // a left-out parent's blob: its secrets are marked seen, not reported
}

// pathID numbers a path in a scan's path table; 0 is no path.
type pathID uint32

// pathTable interns the paths a walk meets.
type pathTable struct {
	names []string // by pathID; names[0] is ""
	ids   map[string]pathID
}

func newPathTable() *pathTable {
	return &pathTable{names: []string{""}, ids: map[string]pathID{"": 0}}
}

// id returns p's number, adding it if new.
func (t *pathTable) id(p string) pathID {
	if id, ok := t.ids[p]; ok {
		return id
	}
	id := pathID(len(t.names))
	t.names = append(t.names, p)
	t.ids[p] = id
	return id
}

// name returns the path numbered id.
func (t *pathTable) name(id pathID) string {
	return t.names[id]
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
	s.sortByPackOffset(blobs)
	if !store.o.opened {
		store.o.openPacks() // before the workers borrow them
	}
	s.opts.Logger.Debug("history walked", "places", len(entries), "new_blobs", len(blobs),
		"duration", time.Since(started).Round(time.Millisecond))

	jobs := make(chan []*blobResult, s.opts.Jobs)
	var wg sync.WaitGroup
	for range s.opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.work(ctx, jobs)
		}()
	}
	go func() {
		defer close(jobs)
		for len(blobs) > 0 {
			n := min(len(blobs), blobBatch)
			if send(ctx, jobs, blobs[:n]) != nil {
				return
			}
			blobs = blobs[n:]
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

// blobBatch is how many blobs, adjacent in their pack, a worker takes at a time: enough for
// the delta chains inside a batch to share one worker's base cache.
const blobBatch = 256

// walk diffs each commit against its parents in order. It returns every introduced place in
// walk order, and each blob met, once.
func (s *scan) walk(ctx context.Context, commits []*commitInfo, store *objectSource) ([]entry,
	[]*blobResult, error) {
	w := &walker{s: s, seen: map[plumbing.Hash]*blobResult{}}
	if s.opts.KnownAtBoundary || s.opts.Jobs < 2 || len(commits) < 4*walkChunk {
		d := newDiffer(store)
		for i, c := range commits {
			if i%256 == 0 && ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			w.record(c, s.diffCommit(d, c))
		}
		return w.entries, w.blobs, nil
	}
	if err := s.walkParallel(ctx, commits, store, w); err != nil {
		return nil, nil, err
	}
	return w.entries, w.blobs, nil
}

// walkChunk is how many consecutive commits a walk goroutine diffs at a time: enough for the
// trees one commit reads to be in the goroutine's cache for the next.
const walkChunk = 256

// walkParallel diffs chunks of commits on Options.Jobs goroutines and records the results in
// walk order on the caller's. At most 2*Jobs chunks are in flight, so memory stays bounded.
func (s *scan) walkParallel(ctx context.Context, commits []*commitInfo, store *objectSource,
	w *walker) error {
	if !store.o.opened {
		store.o.openPacks() // before the goroutines borrow them
	}
	type chunk struct {
		commits []*commitInfo
		out     []diffed
		done    chan struct{}
	}
	work := make(chan *chunk)
	ordered := make(chan *chunk, 2*s.opts.Jobs)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	go func() {
		defer close(work)
		defer close(ordered)
		for len(commits) > 0 {
			n := min(len(commits), walkChunk)
			ch := &chunk{commits: commits[:n], done: make(chan struct{})}
			commits = commits[n:]
			if send(ctx, ordered, ch) != nil || send(ctx, work, ch) != nil {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range s.opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rd := s.repo.newStorer()
			rd.o = store.o.borrow()
			rd.o.cache.max = treeCacheBytes
			d := newDiffer(rd)
			for ch := range work {
				ch.out = make([]diffed, len(ch.commits))
				for i, c := range ch.commits {
					if ctx.Err() == nil {
						ch.out[i] = s.diffCommit(d, c)
					}
				}
				close(ch.done)
			}
		}()
	}
	defer wg.Wait()

	for ch := range ordered {
		select {
		case <-ch.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		for i, c := range ch.commits {
			w.record(c, ch.out[i])
		}
	}
	return ctx.Err()
}

// walker is the state of a walk: what it has met and what it has recorded.
type walker struct {
	s       *scan
	seen    map[plumbing.Hash]*blobResult
	entries []entry
	blobs   []*blobResult
}

// diffed is what one commit introduces, in the order it is recorded.
type diffed struct {
	msg     entry
	hasMsg  bool
	renames []rename
	places  []placed
	errs    []error
}

// placed is a change to record; known marks a left-out parent's blob (KnownAtBoundary).
type placed struct {
	ch    change
	known bool
}

// diffCommit scans a commit's message and diffs its tree against its parents', each preceded,
// with KnownAtBoundary, by the same path in its left-out parents.
func (s *scan) diffCommit(d *differ, c *commitInfo) diffed {
	var r diffed
	s.opts.Progress.Commits.Add(1)
	if c.tree.IsZero() {
		return r // unreadable commit, already reported
	}
	if c.msg != nil {
		r.msg, r.hasMsg = entry{commit: c, res: c.msg}, true
	}
	var boundary []plumbing.Hash
	if s.opts.KnownAtBoundary {
		boundary = s.boundaryTrees(c)
	}
	changes := d.introduced(c.tree, s.parentTrees(c))
	r.renames = d.renames(changes)
	for _, ch := range changes {
		for _, bt := range boundary {
			if h, ok := d.blobAt(bt, ch.path); ok && h != ch.blob {
				r.places = append(r.places, placed{change{path: ch.path, blob: h}, true})
			}
		}
		r.places = append(r.places, placed{ch, false})
	}
	r.errs = append(r.errs, d.errs...)
	d.errs = d.errs[:0]
	return r
}

// record adds a diffed commit's entries.
func (w *walker) record(c *commitInfo, r diffed) {
	if r.hasMsg {
		w.entries = append(w.entries, r.msg)
	}
	for _, rn := range r.renames {
		w.entries = append(w.entries, entry{commit: c, path: w.s.paths.id(rn.to),
			from: w.s.paths.id(rn.from)})
	}
	for _, p := range r.places {
		w.place(c, p.ch, p.known)
	}
	for _, e := range r.errs {
		w.entries = append(w.entries, errorEntry(c, e))
	}
}

// place records a blob the first time it is met, and its place.
func (w *walker) place(c *commitInfo, ch change, known bool) {
	res := w.seen[ch.blob]
	if res == nil {
		var known bool
		if res, known = w.s.skipKnown(ch.blob); !known {
			res = &blobResult{hash: ch.blob}
			w.blobs = append(w.blobs, res)
			w.s.opts.Progress.BlobsFound.Add(1)
		}
		w.seen[ch.blob] = res
	}
	w.entries = append(w.entries, entry{commit: c, path: w.s.paths.id(ch.path), res: res,
		known: known})
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

// sortByPackOffset orders blobs as they lie in their packs, so that delta bases are read
// just before the deltas built on them; blobs not in a pack go last.
func (s *scan) sortByPackOffset(blobs []*blobResult) {
	type pos struct {
		pack int
		off  int64
	}
	at := make(map[*blobResult]pos, len(blobs))
	for _, b := range blobs {
		p, off := s.order.packOrder(b.hash)
		at[b] = pos{p, off}
	}
	slices.SortStableFunc(blobs, func(a, b *blobResult) int {
		pa, pb := at[a], at[b]
		return cmp.Or(cmp.Compare(pa.pack, pb.pack), cmp.Compare(pa.off, pb.off))
	})
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

// scanMessage scans a commit's message as the graph loads it, so that no message is kept:
// it sets c.msg only when there is something to record, as for few commits.
func scanMessage(sc *detectors.Scanner, c *commitInfo, message string) {
	matches, err := sc.Scan("", []byte(message))
	if len(matches) == 0 && err == nil {
		return
	}
	c.subject = maskSecrets(c.subject, matches)
	c.msg = &blobResult{matches: matches, err: err}
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

func errorEntry(c *commitInfo, err error) entry {
	res := &blobResult{err: err}
	return entry{commit: c, res: res}
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
func (s *scan) attribute(entries []entry) error {
	for _, e := range entries {
		if e.res == nil {
			s.alias(s.paths.name(e.from), s.paths.name(e.path))
			continue
		}
		if e.res.err != nil {
			if !e.res.errSeen {
				e.res.errSeen = true
				s.addError(s.placeError(e, e.res.err))
			}
			if e.res.matches == nil {
				continue
			}
		}
		for i := range e.res.matches {
			if e.known {
				m := &e.res.matches[i]
				s.seen[finding.Fingerprint(m.Rule.ID, s.paths.name(e.path), m.Secret)] = true
				continue
			}
			if err := s.report(e, &e.res.matches[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *scan) placeError(e entry, err error) error {
	if e.path == 0 {
		return fmt.Errorf("commit %s: %w", e.commit.hash, err)
	}
	return fmt.Errorf("%s in commit %s: %w", s.paths.name(e.path), e.commit.hash, err)
}

func (s *scan) addError(err error) {
	s.st.Errors = append(s.st.Errors, err.Error())
	s.opts.Logger.Debug("object unreadable, scan continues", "error", err.Error())
}

func (s *scan) report(e entry, m *detectors.Match) error {
	path := s.paths.name(e.path)
	if path != "" && s.eng.PathAllowed(m.Rule, path) {
		return nil
	}
	fp := finding.Fingerprint(m.Rule.ID, path, m.Secret)
	if s.seen[fp] {
		return nil
	}
	s.seen[fp] = true
	if path != "" {
		s.atPath[path] = append(s.atPath[path], ruleSecret{m.Rule.ID, m.Secret})
	}
	s.st.Findings++
	f := m.Finding(path)
	c := e.commit
	f.Commit = c.hash.String()
	f.Author, f.Email, f.Message = c.author, c.email, c.subject
	f.Date = c.when.UTC().Truncate(time.Second)
	return s.emit(f)
}
