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

// rename is a file a single-parent commit moved: from was removed and to added, either with
// the same content or, failing that, as the only removed and added files of one base name.
type rename struct {
	from, to string
}

// differ computes the blobs each commit introduces. It caches recently read trees, since a
// commit's tree is read again as the parent of the next.
type differ struct {
	rd      *objectSource
	removed []change // files the last single-parent diff removed
	single  bool     // the commit being diffed has one parent
	trees   map[plumbing.Hash]*object.Tree
	order   []plumbing.Hash // insertion order, for eviction
	errs    []error
}

// maxCachedTrees bounds the tree cache; each tree holds its entries (about 100 bytes each).
const maxCachedTrees = 1000

func newDiffer(rd *objectSource) *differ {
	return &differ{rd: rd, trees: map[plumbing.Hash]*object.Tree{}}
}

// introduced returns the blobs that tree introduces relative to all of parents: a blob counts
// when no parent holds the same content at the same path. For a merge this keeps exactly what
// the merge itself wrote, such as a conflict resolution. Unreadable trees are recorded in
// d.errs and skipped.
func (d *differ) introduced(tree plumbing.Hash, parents []plumbing.Hash) []change {
	var out []change
	d.removed = d.removed[:0]
	d.single = len(parents) == 1
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
	if len(pts) == 1 {
		d.walkOne(out, dir, t, pts[0])
		return
	}
	for _, e := range t.Entries {
		d.entry(out, dir, e, pts)
	}
}

// walkOne diffs a tree against its only parent tree by merging their sorted entries, which is
// linear where looking each entry up is not; files of the parent that the tree no longer has
// are noted for rename detection when the commit has one parent.
func (d *differ) walkOne(out *[]change, dir string, t, parent *object.Tree) {
	pe := parent.Entries
	j := 0
	for _, e := range t.Entries {
		for j < len(pe) && gitLess(&pe[j], &e) {
			d.noteGone(dir, pe[j])
			j++
		}
		var match *object.TreeEntry
		if j < len(pe) && pe[j].Name == e.Name && pe[j].Mode == filemode.Dir == (e.Mode == filemode.Dir) {
			match = &pe[j]
			j++
		}
		d.entryOne(out, dir, e, match)
	}
	for ; j < len(pe); j++ {
		d.noteGone(dir, pe[j])
	}
}

// noteGone records the files under a parent's entry that a single-parent commit removed.
func (d *differ) noteGone(dir string, pe object.TreeEntry) {
	if d.single {
		d.allFiles(path.Join(dir, pe.Name), pe, 0)
	}
}

// entryOne is entry for a tree with one parent tree, whose entry of the same name and kind
// is pe (nil if none).
func (d *differ) entryOne(out *[]change, dir string, e object.TreeEntry, pe *object.TreeEntry) {
	if pe != nil && pe.Hash == e.Hash && pe.Mode == e.Mode {
		return // the parent has this exact content here
	}
	switch e.Mode {
	case filemode.Dir:
		if pe != nil {
			d.walk(out, path.Join(dir, e.Name), e.Hash, []plumbing.Hash{pe.Hash})
		} else {
			d.walk(out, path.Join(dir, e.Name), e.Hash, nil)
		}
	case filemode.Regular, filemode.Executable, filemode.Deprecated:
		if pe != nil && pe.Hash == e.Hash && pe.Mode.IsFile() {
			return // only the mode changed
		}
		*out = append(*out, change{path: path.Join(dir, e.Name), blob: e.Hash})
	}
	// Symlinks and submodules hold no file content to scan.
}

// gitLess orders tree entries as git sorts them: by name, a directory's name compared as if
// it ended in a slash.
func gitLess(a, b *object.TreeEntry) bool {
	an, bn := a.Name, b.Name
	n := min(len(an), len(bn))
	if c := strings.Compare(an[:n], bn[:n]); c != 0 {
		return c < 0
	}
	return entryByte(a, n) < entryByte(b, n)
}

// entryByte returns the byte of an entry's sort key at i, past the end of its name: a slash
// for a directory, otherwise nothing (zero sorts first).
func entryByte(e *object.TreeEntry, i int) int {
	if i < len(e.Name) {
		return int(e.Name[i])
	}
	if i == len(e.Name) && e.Mode == filemode.Dir {
		return '/'
	}
	return 0
}

// maxRemovedDepth bounds how deep a removed directory is listed for rename detection.
const maxRemovedDepth = 32

func (d *differ) allFiles(p string, e object.TreeEntry, depth int) {
	switch {
	case e.Mode.IsFile() && e.Mode != filemode.Symlink:
		d.removed = append(d.removed, change{path: p, blob: e.Hash})
	case e.Mode == filemode.Dir && depth < maxRemovedDepth:
		if t := d.tree(e.Hash); t != nil {
			for _, ce := range t.Entries {
				d.allFiles(path.Join(p, ce.Name), ce, depth+1)
			}
		}
	}
}

// renames pairs the files the last diff removed with those it added: first by identical
// content, then by a base name that exactly one removed and one added file share. Renames
// with a new name and new content are not detected.
func (d *differ) renames(added []change) []rename {
	if len(d.removed) == 0 || len(added) == 0 {
		return nil
	}
	byBlob := map[plumbing.Hash]string{}
	for _, r := range d.removed {
		byBlob[r.blob] = r.path
	}
	var out []rename
	used := map[string]bool{}
	var rest []change
	for _, a := range added {
		if from, ok := byBlob[a.blob]; ok && !used[from] {
			used[from] = true
			out = append(out, rename{from: from, to: a.path})
			continue
		}
		rest = append(rest, a)
	}
	return append(out, pairByBase(d.removed, rest, used)...)
}

func pairByBase(removed, added []change, used map[string]bool) []rename {
	count := map[string]int{}
	from := map[string]string{}
	for _, r := range removed {
		if !used[r.path] {
			b := path.Base(r.path)
			count[b]++
			from[b] = r.path
		}
	}
	for _, a := range added {
		count[path.Base(a.path)] += 100
	}
	var out []rename
	for _, a := range added {
		if b := path.Base(a.path); count[b] == 101 {
			out = append(out, rename{from: from[b], to: a.path})
		}
	}
	return out
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
	data, err := d.rd.readMax(h, plumbing.TreeObject, 0) // its errors name the tree
	var t *object.Tree
	if err == nil {
		if t, err = parseTree(data); err != nil {
			err = fmt.Errorf("read tree %s: %w", h, err)
		}
	}
	if err != nil {
		d.errs = append(d.errs, err)
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
