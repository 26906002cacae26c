package gitscan

import (
	"fmt"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// change is a blob a commit introduces at a path: content that none of the commit's parents
// had at that path.
type change struct {
	path string
	blob plumbing.Hash
}

// differ computes the blobs each commit introduces. It caches recently read trees, since a
// commit's tree is read again as the parent of the next.
type differ struct {
	s     objectGetter
	trees map[plumbing.Hash]*object.Tree
	order []plumbing.Hash // insertion order, for eviction
	errs  []error
}

// maxCachedTrees bounds the tree cache; each tree holds its entries (about 100 bytes each).
const maxCachedTrees = 20000

func newDiffer(s objectGetter) *differ {
	return &differ{s: s, trees: map[plumbing.Hash]*object.Tree{}}
}

// introduced returns the blobs that tree introduces relative to all of parents: a blob counts
// when no parent holds the same content at the same path. For a merge this keeps exactly what
// the merge itself wrote, such as a conflict resolution. Unreadable trees are recorded in
// d.errs and skipped.
func (d *differ) introduced(tree plumbing.Hash, parents []plumbing.Hash) []change {
	var out []change
	d.walk(&out, "", tree, parents)
	return out
}

func (d *differ) walk(out *[]change, dir string, tree plumbing.Hash, parents []plumbing.Hash) {
	t := d.tree(tree)
	if t == nil {
		return
	}
	pts := make([]*object.Tree, 0, len(parents))
	for _, p := range parents {
		if p == tree {
			return
		}
		if pt := d.tree(p); pt != nil {
			pts = append(pts, pt)
		}
	}
	for _, e := range t.Entries {
		d.entry(out, dir, e, pts)
	}
}

func (d *differ) entry(out *[]change, dir string, e object.TreeEntry, pts []*object.Tree) {
	var sub []plumbing.Hash
	for _, pt := range pts {
		pe := findEntry(pt, e.Name)
		if pe == nil {
			continue
		}
		if pe.Hash == e.Hash && pe.Mode == e.Mode {
			return // a parent has this exact content here
		}
		if pe.Mode == filemode.Dir {
			sub = append(sub, pe.Hash)
		}
	}
	p := path.Join(dir, e.Name)
	switch e.Mode {
	case filemode.Dir:
		d.walk(out, p, e.Hash, sub)
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		for _, pt := range pts {
			if pe := findEntry(pt, e.Name); pe != nil && pe.Hash == e.Hash && pe.Mode.IsFile() {
				return // only the mode changed
			}
		}
		*out = append(*out, change{path: p, blob: e.Hash})
	}
	// Symlinks and submodules hold no file content to scan.
}

// findEntry finds a name in a tree's sorted entries.
func findEntry(t *object.Tree, name string) *object.TreeEntry {
	lo, hi := 0, len(t.Entries)
	for lo < hi {
		m := (lo + hi) / 2
		if entryLess(t.Entries[m], name) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	for i := lo; i < len(t.Entries) && i <= lo+1; i++ {
		if t.Entries[i].Name == name {
			return &t.Entries[i]
		}
	}
	for i := range t.Entries {
		if t.Entries[i].Name == name {
			return &t.Entries[i]
		}
	}
	return nil
}

// entryLess orders like a plain string compare, which matches git's order except where a
// directory name is a prefix of a sibling; findEntry falls back to a scan for those.
func entryLess(e object.TreeEntry, name string) bool {
	return e.Name < name
}

func (d *differ) tree(h plumbing.Hash) *object.Tree {
	if h.IsZero() {
		return nil
	}
	if t, ok := d.trees[h]; ok {
		return t
	}
	obj, err := d.s.EncodedObject(plumbing.TreeObject, h)
	var t *object.Tree
	if err == nil {
		t = &object.Tree{}
		err = t.Decode(obj)
	}
	if err != nil {
		d.errs = append(d.errs, fmt.Errorf("read tree %s: %w", h, err))
		t = nil
	}
	d.remember(h, t)
	return t
}

func (d *differ) remember(h plumbing.Hash, t *object.Tree) {
	if len(d.order) >= maxCachedTrees {
		delete(d.trees, d.order[0])
		d.order = d.order[1:]
	}
	d.trees[h] = t
	d.order = append(d.order, h)
}

// blobAt returns the file blob at a slash-separated path under tree.
func (d *differ) blobAt(tree plumbing.Hash, p string) (plumbing.Hash, bool) {
	for {
		t := d.tree(tree)
		if t == nil {
			return plumbing.ZeroHash, false
		}
		name, rest, more := strings.Cut(p, "/")
		e := findEntry(t, name)
		switch {
		case e == nil:
			return plumbing.ZeroHash, false
		case !more:
			return e.Hash, e.Mode.IsFile() && e.Mode != filemode.Symlink
		case e.Mode != filemode.Dir:
			return plumbing.ZeroHash, false
		}
		tree, p = e.Hash, rest
	}
}
