package gitscan

import (
	"bufio"
	"container/heap"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// PushUpdate is one line git writes to a pre-push hook's standard input: a local ref and
// the commit it would set the remote ref to. A zero LocalHash deletes the remote ref; a zero
// RemoteHash creates it.
type PushUpdate struct {
	LocalRef   string
	LocalHash  plumbing.Hash
	RemoteRef  string
	RemoteHash plumbing.Hash
}

// ParsePushUpdates reads a pre-push hook's standard input. A malformed line is an error, so
// that a hook fails closed rather than scanning less than is pushed.
func ParsePushUpdates(r io.Reader) ([]PushUpdate, error) {
	var out []PushUpdate
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 || !plumbing.IsHash(f[1]) || !plumbing.IsHash(f[3]) {
			return nil, fmt.Errorf("read push line %d: want <local ref> <local sha> "+
				"<remote ref> <remote sha>", n)
		}
		out = append(out, PushUpdate{LocalRef: f[0], LocalHash: plumbing.NewHash(f[1]),
			RemoteRef: f[2], RemoteHash: plumbing.NewHash(f[3])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read push lines: %w", err)
	}
	return out, nil
}

// PushPlan is what a push sends, as commits for Options.Commits and Options.Exclude.
type PushPlan struct {
	// Tips are the commits the remote refs are set to.
	Tips []string
	// Exclude are commits the remote has already: the remote refs' old values that exist
	// here and the remote-tracking refs of the remote.
	Exclude []string
}

// PlanPush works out the commits a push sends that the remote does not have. A deletion
// sends nothing. A new ref sends what no remote-tracking ref of remote (refs/remotes/REMOTE/*)
// reaches; an update or a forced update sends what neither the old value nor those refs
// reach. A local value that is missing or does not lead to a commit is an error, so that the
// hook fails closed. remote may be a URL, which has no remote-tracking refs.
func (r *Repo) PlanPush(updates []PushUpdate, remote string) (*PushPlan, error) {
	plan := &PushPlan{}
	for _, u := range updates {
		if u.LocalHash.IsZero() {
			continue
		}
		c, ok := r.peel(u.LocalHash)
		if !ok {
			return nil, fmt.Errorf("plan push of %s: %s does not lead to a readable commit",
				u.LocalRef, u.LocalHash)
		}
		plan.Tips = append(plan.Tips, c.String())
		if u.RemoteHash.IsZero() {
			continue
		}
		if old, ok := r.peel(u.RemoteHash); ok {
			plan.Exclude = append(plan.Exclude, old.String())
		}
	}
	if len(plan.Tips) == 0 {
		return plan, nil
	}
	tracking, err := r.remoteTracking(remote)
	if err != nil {
		return nil, fmt.Errorf("plan push: %w", err)
	}
	plan.Exclude = append(plan.Exclude, tracking...)
	return plan, nil
}

// remoteTracking returns the commits the refs/remotes/REMOTE/* refs name.
func (r *Repo) remoteTracking(remote string) ([]string, error) {
	iter, err := r.Git.Storer.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	prefix := "refs/remotes/" + remote + "/"
	var out []string
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference ||
			!strings.HasPrefix(ref.Name().String(), prefix) {
			return nil
		}
		out = append(out, ref.Hash().String()) // read, and peeled if a tag, by the walk
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	return out, nil
}

// hiddenAncestors returns the commits reachable from exclude that a walk from tips can meet,
// without walking all of exclude's history: commits are visited newest first by committer
// date, as git rev-list does, and the walk stops once everything left to visit is reachable
// from exclude, plus a few more steps against clock skew. A commit this misses is scanned,
// never skipped.
func (r *Repo) hiddenAncestors(tips, exclude []plumbing.Hash) map[plumbing.Hash]bool {
	if len(exclude) == 0 {
		return nil
	}
	w := &hideWalk{r: r, state: map[plumbing.Hash]int{}}
	for _, h := range exclude {
		w.push(h, hidden)
	}
	for _, h := range tips {
		w.push(h, wanted)
	}
	slop := hideSlop
	for w.q.Len() > 0 {
		if w.allHidden() {
			if slop--; slop <= 0 {
				break
			}
		} else {
			slop = hideSlop
		}
		w.step()
	}
	out := map[plumbing.Hash]bool{}
	for h, s := range w.state {
		if s&hidden != 0 {
			out[h] = true
		}
	}
	return out
}

// hideSlop is how many commits the hidden walk goes on after all it has left is hidden, as
// git's rev-list does, so that a commit dated before its parent is still found hidden.
const hideSlop = 5

const (
	wanted = 1 << iota
	hidden
)

type hideWalk struct {
	r     *Repo
	state map[plumbing.Hash]int
	q     dateQueue
}

func (w *hideWalk) push(h plumbing.Hash, flag int) {
	old := w.state[h]
	if old&flag != 0 || old&hidden != 0 {
		return
	}
	w.state[h] = old | flag
	c, err := w.r.readCommit(h)
	if err != nil {
		if p, ok := w.r.peel(h); ok && p != h { // a tag
			w.push(p, flag)
		}
		return // an unreadable commit ends its line; the scan reports it
	}
	heap.Push(&w.q, dated{h: h, when: c.Committer.When.Unix(), parents: c.ParentHashes})
}

func (w *hideWalk) step() {
	d := heap.Pop(&w.q).(dated)
	flag := w.state[d.h] & (wanted | hidden)
	if flag&hidden != 0 {
		flag = hidden
	}
	for _, p := range d.parents {
		w.push(p, flag)
	}
}

func (w *hideWalk) allHidden() bool {
	for _, d := range w.q {
		if w.state[d.h]&hidden == 0 {
			return false
		}
	}
	return true
}

type dated struct {
	h       plumbing.Hash
	when    int64
	parents []plumbing.Hash
}

// dateQueue pops the newest commit first.
type dateQueue []dated

func (q dateQueue) Len() int           { return len(q) }
func (q dateQueue) Less(i, j int) bool { return q[i].when > q[j].when }
func (q dateQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *dateQueue) Push(x any)        { *q = append(*q, x.(dated)) }
func (q *dateQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
