package gitscan

import (
	"cmp"
	"context"
	"slices"

	"github.com/leakhound/leakhound/detectors"
)

// The blobs of a pack form a forest: each delta hangs under its base, and whole objects are
// roots. Scanning a root and then, depth first, every delta below it inflates each object once
// and applies each delta to a base still in hand, where reading blobs one by one in pack order
// through a bounded base cache rebuilt evicted bases from their chains again and again
// (prometheus inflated 2.5 times what its pack holds). It also hands each delta its base's
// trace directly, for an incremental scan. Memory holds the bases on the path from the root
// being scanned; a base is dropped as soon as its last delta is built, so a chain of versions
// of one file costs about two versions at a time.

// forestNode is one packed object on the way to a blob the walk met. Nodes use indexes, not
// pointers, so that the forest is not traced by the collector.
type forestNode struct {
	id       resultID // the blob's result slot; 0 for a base only needed to build others
	pack     int32    // index in the reader's packs
	off      int64
	firstKid int32 // first node built on this one, -1 if none
	nextSib  int32 // next node built on the same base, -1 if none
}

// forest is the delta forest of the blobs to scan, plus the blobs found in no pack (loose or
// missing), which are read one by one.
type forest struct {
	nodes []forestNode
	roots []int32 // in pack order
	loose []resultID
}

// plantForest locates each blob in the packs and follows its delta bases up to a whole
// object, reading object headers only. Bases that cannot be followed (a REF_DELTA base in no
// pack, an unreadable header) make their node a root read with the object reader, which
// resolves such chains itself.
func (s *scan) plantForest(ids []resultID) *forest {
	o := s.order
	if !o.opened {
		o.openPacks()
	}
	packIdx := make(map[*pack]int32, len(o.packs))
	for i, p := range o.packs {
		packIdx[p] = int32(i)
	}
	f := &forest{}
	at := make(map[cacheKey]int32, len(ids))
	add := func(k cacheKey, id resultID) int32 {
		if i, ok := at[k]; ok {
			if id != 0 {
				f.nodes[i].id = id
			}
			return i
		}
		i := int32(len(f.nodes))
		f.nodes = append(f.nodes, forestNode{id: id, pack: packIdx[k.p], off: k.off,
			firstKid: -1, nextSib: -1})
		at[k] = i
		return i
	}
	var pending []int32
	for _, id := range ids {
		p, off, ok := o.locate(s.blobs[id])
		if !ok {
			f.loose = append(f.loose, id)
			continue
		}
		pending = append(pending, add(cacheKey{p, off}, id))
	}
	// Headers are read in pack order, through the reader's window.
	o.win.enabled = true
	defer func() { o.win.enabled = false }()
	linked := make([]bool, len(f.nodes))
	for len(pending) > 0 {
		slices.SortFunc(pending, func(a, b int32) int {
			na, nb := &f.nodes[a], &f.nodes[b]
			return cmp.Or(cmp.Compare(na.pack, nb.pack), cmp.Compare(na.off, nb.off))
		})
		var next []int32
		for _, i := range pending {
			for int(i) >= len(linked) {
				linked = append(linked, false)
			}
			if linked[i] {
				continue
			}
			linked[i] = true
			n := f.nodes[i]
			p := o.packs[n.pack]
			e, err := p.header(o.win.on(p), n.off)
			if err != nil || !isDelta(e.kind) {
				f.roots = append(f.roots, i)
				continue
			}
			bk := o.baseKey(p, e)
			if bk.p == nil || bk == (cacheKey{p, n.off}) {
				f.roots = append(f.roots, i)
				continue
			}
			_, known := at[bk]
			b := add(bk, 0)
			f.nodes[i].nextSib = f.nodes[b].firstKid
			f.nodes[b].firstKid = i
			if !known {
				next = append(next, b)
			}
		}
		pending = next
	}
	slices.SortFunc(f.roots, func(a, b int32) int {
		na, nb := &f.nodes[a], &f.nodes[b]
		return cmp.Or(cmp.Compare(na.pack, nb.pack), cmp.Compare(na.off, nb.off))
	})
	f.orphans()
	return f
}

// orphans moves the blobs no root leads to (only a corrupt pack, whose REF_DELTA bases form a
// cycle, has them) to the blobs read one by one, which reports them.
func (f *forest) orphans() {
	seen := make([]bool, len(f.nodes))
	stack := slices.Clone(f.roots)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		seen[i] = true
		for k := f.nodes[i].firstKid; k >= 0; k = f.nodes[k].nextSib {
			if !seen[k] {
				stack = append(stack, k)
			}
		}
	}
	for i, n := range f.nodes {
		if !seen[i] && n.id != 0 {
			f.loose = append(f.loose, n.id)
		}
	}
}

// treeWorker scans the subtrees under the roots it is given.
type treeWorker struct {
	s  *scan
	f  *forest
	rd *objectSource
	sc *detectors.Scanner
}

// scanTree reads root whole and scans it and everything built on it, depth first.
func (w *treeWorker) scanTree(ctx context.Context, root int32) {
	n := &w.f.nodes[root]
	p := w.rd.o.packs[n.pack]
	_, data, err := w.rd.o.readPacked(p, n.off, 0)
	if err != nil {
		w.fallback(ctx, root)
		return
	}
	w.visit(ctx, root, data, nil, nil)
}

// visit scans node i, whose content is data and which copies copies of a base whose trace is
// base (nil: scan it whole), then builds and visits the nodes built on it.
func (w *treeWorker) visit(ctx context.Context, i int32, data []byte, base *detectors.Trace,
	copies []detectors.Copy) {
	if ctx.Err() != nil {
		return
	}
	n := &w.f.nodes[i]
	var tr *detectors.Trace
	if n.id != 0 {
		tr = w.s.scanData(w.sc, n.id, data, base, copies)
	}
	o := w.rd.o
	for k := n.firstKid; k >= 0; k = w.f.nodes[k].nextSib {
		kid := &w.f.nodes[k]
		p := o.packs[kid.pack]
		e, err := p.header(o.win.on(p), kid.off)
		var raw []byte
		if err == nil {
			raw, err = o.inflateDelta(p, e, 0)
		}
		var kidData []byte
		var kidCopies []detectors.Copy
		if err == nil {
			kidData, kidCopies, err = applyDeltaCopies(data, raw, nil)
		}
		if w.f.nodes[k].nextSib < 0 {
			data = nil // the last delta on this base: let it go before descending
		}
		if err != nil {
			w.fallback(ctx, k)
			continue
		}
		w.visit(ctx, k, kidData, tr, kidCopies)
	}
}

// fallback scans node i and every node built on it one by one through the object reader, which
// resolves each chain itself (and falls back to go-git), for a subtree whose base could not be
// built here.
func (w *treeWorker) fallback(ctx context.Context, i int32) {
	stack := []int32{i}
	for len(stack) > 0 && ctx.Err() == nil {
		j := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := &w.f.nodes[j]
		if n.id != 0 {
			w.s.scanOne(w.rd, w.sc, n.id)
		}
		for k := n.firstKid; k >= 0; k = w.f.nodes[k].nextSib {
			stack = append(stack, k)
		}
	}
}
