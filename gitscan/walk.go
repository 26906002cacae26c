package gitscan

import (
	"context"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// walk diffs each commit against its parents in order. It returns every introduced place in
// walk order, and the result slot of each blob met, once.
func (s *scan) walk(ctx context.Context, commits []*commitInfo, store *objectSource) ([]entry,
	[]resultID, error) {
	s.commits = commits
	w := &walker{s: s, seen: map[plumbing.Hash]resultID{}}
	if s.opts.KnownAtBoundary || s.opts.Jobs < 2 || len(commits) < 4*walkChunk {
		d := newDiffer(store)
		for i, c := range commits {
			if i%256 == 0 && ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			w.record(commitID(i), s.diffCommit(d, c))
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
		first   int // index of commits[0] in the walk
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
		for first := 0; first < len(commits); first += walkChunk {
			ch := &chunk{first: first, commits: commits[first:min(len(commits), first+walkChunk)],
				done: make(chan struct{})}
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
		for i := range ch.commits {
			w.record(commitID(ch.first+i), ch.out[i])
		}
	}
	return ctx.Err()
}

// walker is the state of a walk: what it has met and what it has recorded.
type walker struct {
	s       *scan
	seen    map[plumbing.Hash]resultID // resultClean for a blob known clean
	entries []entry
	blobs   []resultID // blobs to read, in the order met
}

// resultClean marks a blob that Options.Blobs knows is clean: it is not read, and its places
// are not recorded.
const resultClean = ^resultID(0)

// diffed is what one commit introduces, in the order it is recorded.
type diffed struct {
	renames []rename
	places  []placed
	errs    []error
}

// placed is a change to record; known marks a left-out parent's blob (KnownAtBoundary).
type placed struct {
	ch    change
	known bool
}

// diffCommit diffs a commit's tree against its parents', each change preceded, with
// KnownAtBoundary, by the same path in its left-out parents.
func (s *scan) diffCommit(d *differ, c *commitInfo) diffed {
	var r diffed
	s.opts.Progress.Commits.Add(1)
	if c.tree.IsZero() {
		return r // unreadable commit, already reported
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

// record adds a diffed commit's entries: its message's, renames, places and read errors.
func (w *walker) record(id commitID, r diffed) {
	s := w.s
	if c := s.commits[id]; c.msg != nil {
		w.entries = append(w.entries, entry{commit: id, res: s.newResult(plumbing.ZeroHash, c.msg)})
		c.msg = nil
	}
	for _, rn := range r.renames {
		w.entries = append(w.entries, entry{commit: id, path: s.paths.id(rn.to),
			from: s.paths.id(rn.from)})
	}
	for _, p := range r.places {
		w.place(id, p.ch, p.known)
	}
	for _, e := range r.errs {
		res := s.newResult(plumbing.ZeroHash, &outcome{err: e})
		w.entries = append(w.entries, entry{commit: id, res: res})
	}
}

// place records a blob the first time it is met, and its place.
func (w *walker) place(id commitID, ch change, known bool) {
	res, ok := w.seen[ch.blob]
	if !ok {
		if w.s.skipKnown(ch.blob) {
			res = resultClean
		} else {
			res = w.s.newResult(ch.blob, nil)
			w.blobs = append(w.blobs, res)
			w.s.opts.Progress.BlobsFound.Add(1)
		}
		w.seen[ch.blob] = res
	}
	if res == resultClean {
		return // nothing to attribute
	}
	w.entries = append(w.entries, entry{commit: id, path: w.s.paths.id(ch.path), res: res,
		known: known})
}
