package gitscan

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// tip is a commit a walk starts from and the ref that names it.
type tip struct {
	ref  string
	hash plumbing.Hash
}

// tips returns the commits named by the repository's refs: every branch, tag (annotated tags
// peeled), remote-tracking ref, the stash and its reflog, and a detached HEAD. With only
// non-empty, it keeps the refs matching one of them by full or short name. Refs that do not
// lead to a commit (a tag on a tree or blob) are skipped.
func (r *Repo) tips(only []string) ([]tip, error) {
	iter, err := r.Git.Storer.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	var out []tip
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() != plumbing.HashReference {
			return nil
		}
		name := ref.Name().String()
		if len(only) > 0 && !refSelected(name, only) {
			return nil
		}
		if h, ok := r.peel(ref.Hash()); ok {
			out = append(out, tip{ref: name, hash: h})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list refs: %w", err)
	}
	if len(only) == 0 {
		out = append(out, r.extraTips()...)
	}
	for _, o := range only {
		if !slices.ContainsFunc(out, func(t tip) bool { return refSelected(t.ref, []string{o}) }) {
			// Not a ref name: HEAD, a commit hash, or another revision.
			if h, err := r.ResolveCommit(o); err == nil {
				out = append(out, tip{ref: o, hash: h})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ref < out[j].ref })
	return out, nil
}

// extraTips returns a detached HEAD and older stash entries, which no ref names.
func (r *Repo) extraTips() []tip {
	var out []tip
	if head, err := r.Git.Storer.Reference(plumbing.HEAD); err == nil &&
		head.Type() == plumbing.HashReference {
		out = append(out, tip{ref: "HEAD", hash: head.Hash()})
	}
	for i, h := range reflogHashes(filepath.Join(r.commonDir, "logs", "refs", "stash")) {
		if c, ok := r.peel(h); ok {
			out = append(out, tip{ref: fmt.Sprintf("stash@{%d}", i), hash: c})
		}
	}
	return out
}

// reflogHashes returns the new-value hashes of a reflog file, newest first. A missing or
// unreadable reflog yields none.
func reflogHashes(path string) []plumbing.Hash {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []plumbing.Hash
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && plumbing.IsHash(f[1]) {
			out = append(out, plumbing.NewHash(f[1]))
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func refSelected(name string, only []string) bool {
	for _, o := range only {
		if name == o || name == "refs/heads/"+o || name == "refs/tags/"+o ||
			name == "refs/remotes/"+o || name == "refs/"+o {
			return true
		}
	}
	return false
}

// peel follows annotated tags to the commit they name.
func (r *Repo) peel(h plumbing.Hash) (plumbing.Hash, bool) {
	for range 10 {
		obj, err := r.object(plumbing.AnyObject, h)
		if err != nil {
			return h, false
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, true
		case plumbing.TagObject:
			tag, err := object.DecodeTag(r.Git.Storer, obj)
			if err != nil {
				return h, false
			}
			h = tag.Target
		default:
			return h, false
		}
	}
	return h, false
}

// ResolveCommit resolves a revision (a full or abbreviated hash, a branch or a tag) to a
// commit hash.
func (r *Repo) ResolveCommit(rev string) (plumbing.Hash, error) {
	h, err := r.Git.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: %w", rev, err)
	}
	c, ok := r.peel(*h)
	if !ok {
		return plumbing.ZeroHash, fmt.Errorf("resolve %q: not a commit", rev)
	}
	return c, nil
}
