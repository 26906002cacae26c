package gitscan

import (
	"container/heap"
	"fmt"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// commitInfo is what the walk keeps of a commit: enough to diff it and to attribute findings
// to it. The full message is dropped once it has been scanned.
type commitInfo struct {
	hash    plumbing.Hash
	tree    plumbing.Hash
	parents []*commitInfo // parents inside the walked set
	parentH []plumbing.Hash
	when    time.Time
	msg     *outcome // what the message holds, if anything; until the walk records it

	children []*commitInfo
	pending  int // parents not yet ordered, during the topological sort
}

// graph is the set of commits a walk covers.
type graph struct {
	commits map[plumbing.Hash]*commitInfo
	errs    []error // commits that could not be read
	shallow bool
}

// walkLimits bound which commits a graph holds.
type walkLimits struct {
	exclude  map[plumbing.Hash]bool // ancestors of a --since-commit or range start
	maxDepth int                    // commits per tip, 0 for all
}

// loadGraph reads every commit reachable from tips, breadth first so that with a depth limit
// each commit gets its least depth, and passes each to message with its message, which is
// not kept. Commits that cannot be read are recorded in errs and treated as roots; the
// parents of a shallow clone's boundary are not looked for.
func (r *Repo) loadGraph(tips []tip, lim walkLimits,
	message func(c *commitInfo, message string)) *graph {
	g := &graph{commits: map[plumbing.Hash]*commitInfo{}}
	shallow := r.shallowSet()
	g.shallow = len(shallow) > 0

	type item struct {
		h     plumbing.Hash
		depth int
	}
	var queue []item
	for _, t := range tips {
		queue = append(queue, item{t.hash, 1})
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if g.commits[it.h] != nil || lim.exclude[it.h] {
			continue
		}
		c, err := r.readCommit(it.h)
		if err != nil {
			g.errs = append(g.errs, err)
			g.commits[it.h] = &commitInfo{hash: it.h}
			continue
		}
		ci := newCommitInfo(c)
		g.commits[it.h] = ci
		if message != nil {
			message(ci, c.Message)
		}
		if shallow[it.h] || (lim.maxDepth > 0 && it.depth >= lim.maxDepth) {
			continue
		}
		for _, p := range c.ParentHashes {
			queue = append(queue, item{p, it.depth + 1})
		}
	}
	g.link()
	return g
}

func newCommitInfo(c *object.Commit) *commitInfo {
	return &commitInfo{
		hash:    c.Hash,
		tree:    c.TreeHash,
		parentH: c.ParentHashes,
		when:    c.Author.When,
	}
}

// link fills parents and children with the walked commits.
func (g *graph) link() {
	for _, ci := range g.commits {
		for _, p := range ci.parentH {
			if pc := g.commits[p]; pc != nil {
				ci.parents = append(ci.parents, pc)
				pc.children = append(pc.children, ci)
			}
		}
	}
}

func (r *Repo) readCommit(h plumbing.Hash) (*object.Commit, error) {
	obj, err := r.object(plumbing.CommitObject, h)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	c, err := object.DecodeCommit(r.Git.Storer, obj)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	return c, nil
}

func (r *Repo) shallowSet() map[plumbing.Hash]bool {
	hs, err := r.Git.Storer.Shallow()
	if err != nil || len(hs) == 0 {
		return nil
	}
	out := make(map[plumbing.Hash]bool, len(hs))
	for _, h := range hs {
		out[h] = true
	}
	return out
}

// ancestors returns from and every commit reachable from it.
func (r *Repo) ancestors(from plumbing.Hash) map[plumbing.Hash]bool {
	seen := map[plumbing.Hash]bool{}
	stack := []plumbing.Hash{from}
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		if c, err := r.readCommit(h); err == nil {
			stack = append(stack, c.ParentHashes...)
		}
	}
	return seen
}

// order returns the walked commits parents first; among commits ready at the same time the
// older (by author date, then hash) comes first, so attribution is deterministic.
func (g *graph) order() []*commitInfo {
	var ready commitHeap
	for _, c := range g.commits {
		c.pending = len(c.parents)
		if c.pending == 0 {
			ready = append(ready, c)
		}
	}
	heap.Init(&ready)
	out := make([]*commitInfo, 0, len(g.commits))
	for ready.Len() > 0 {
		c := heap.Pop(&ready).(*commitInfo)
		out = append(out, c)
		for _, ch := range c.children {
			if ch.pending--; ch.pending == 0 {
				heap.Push(&ready, ch)
			}
		}
		c.children = nil // not needed once ordered
	}
	return out
}

type commitHeap []*commitInfo

func (h commitHeap) Len() int { return len(h) }
func (h commitHeap) Less(i, j int) bool {
	if !h[i].when.Equal(h[j].when) {
		return h[i].when.Before(h[j].when)
	}
	return h[i].hash.String() < h[j].hash.String()
}
func (h commitHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *commitHeap) Push(x any)   { *h = append(*h, x.(*commitInfo)) }
func (h *commitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
