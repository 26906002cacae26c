package gitscan

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// StagedOptions control ScanStaged. The zero value is usable.
type StagedOptions struct {
	// IndexFile is the index to read instead of the worktree's own, as git names it in
	// GIT_INDEX_FILE for `git commit -a` and `git commit PATH`; "" reads the worktree's.
	IndexFile string
	// MaxFileSize is the largest staged blob scanned, in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// ScanStaged scans what the next commit would add: each blob the index holds that differs from
// HEAD's at the same path, reporting only matches on lines added relative to HEAD's version
// of the file, or of the file it was renamed from. Line numbers are those of the staged file.
// With no HEAD (the first commit), every staged line is added. The worktree is never read, so
// a partly staged file is scanned as staged. Symbolic links, submodules, deletions and mode
// changes add no content; binary and larger-than-MaxFileSize blobs are counted in
// Stats.Skipped.
//
// emit is called from the calling goroutine once per finding, without commit fields. Any
// object or index that cannot be read ends the scan with an error: a hook must not pass what
// it did not read.
func (r *Repo) ScanStaged(ctx context.Context, eng *detectors.Engine, opts StagedOptions,
	emit func(*finding.Finding) error) (*Stats, error) {
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = DefaultMaxFileSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	st := &Stats{Skipped: map[string]int{}}
	idx, err := readIndex(r.indexPath(opts.IndexFile))
	if err != nil {
		return st, err
	}
	head, err := r.headTree()
	if err != nil {
		return st, err
	}
	sd := &stagedDiff{repo: r, idx: idx}
	if err := sd.dir("", head, idx.entries); err != nil {
		return st, err
	}
	opts.Logger.Debug("staged changes", "files", len(sd.changed), "deleted", len(sd.deleted))
	ss := &stagedScan{sd: sd, sc: eng.NewScanner(), eng: eng, opts: opts, st: st, emit: emit,
		seen: map[string]bool{}}
	for _, c := range sd.changed {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if err := ss.file(c); err != nil {
			return st, err
		}
	}
	return st, nil
}

// indexPath resolves the index file to read.
func (r *Repo) indexPath(override string) string {
	if override == "" {
		return filepath.Join(r.gitDir, "index")
	}
	if abs, err := filepath.Abs(override); err == nil {
		return abs
	}
	return override
}

// headCommit returns the commit HEAD names; ok is false when HEAD names a branch that does not
// exist yet.
func (r *Repo) headCommit() (h plumbing.Hash, ok bool, err error) {
	ref, err := storer.ResolveReference(r.Git.Storer, plumbing.HEAD)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, false, nil
	}
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read HEAD: %w", err)
	}
	return ref.Hash(), true, nil
}

// headTree returns the tree of the commit HEAD names, or nil when HEAD names no commit yet
// (an unborn branch).
func (r *Repo) headTree() (*object.Tree, error) {
	h, ok, err := r.headCommit()
	if err != nil || !ok {
		return nil, err
	}
	c, err := r.readCommit(h)
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	return r.readTree(c.TreeHash)
}

func (r *Repo) readTree(h plumbing.Hash) (*object.Tree, error) {
	obj, err := r.object(plumbing.TreeObject, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	t := &object.Tree{}
	if err := t.Decode(obj); err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	return t, nil
}

// stagedChange is a staged file whose content differs from HEAD's at its path. base is HEAD's
// blob there, zero when HEAD has no file at the path.
type stagedChange struct {
	path string
	blob plumbing.Hash
	base plumbing.Hash
}

// stagedDiff compares the index with HEAD's tree. Directories whose cache-tree hash equals
// HEAD's tree are skipped unread, so staging one file reads only the trees on its path.
type stagedDiff struct {
	repo    *Repo
	idx     *stagedIndex
	changed []stagedChange
	deleted []change // files HEAD has that the index lacks: rename sources
	delDirs []change // directories HEAD has that the index lacks, expanded on demand
}

// dir compares the index entries under prefix ("" or "dir/") with tree, which is nil when
// HEAD has no directory there.
func (sd *stagedDiff) dir(prefix string, tree *object.Tree, entries []indexEntry) error {
	if tree != nil {
		if h, ok := sd.idx.trees[prefix]; ok && h == tree.Hash {
			return nil
		}
	}
	seen := map[string]bool{}
	for i := 0; i < len(entries); {
		rest := entries[i].path[len(prefix):]
		name, _, isDir := cutSlash(rest)
		seen[name] = true
		if !isDir {
			sd.file(prefix, name, tree, entries[i])
			i++
			continue
		}
		j := i + 1
		sub := prefix + name + "/"
		for j < len(entries) && len(entries[j].path) > len(sub) &&
			entries[j].path[:len(sub)] == sub {
			j++
		}
		st, err := sd.subtree(tree, name)
		if err != nil {
			return err
		}
		if err := sd.dir(sub, st, entries[i:j]); err != nil {
			return err
		}
		i = j
	}
	sd.collectDeleted(prefix, tree, seen)
	return nil
}

func cutSlash(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// file records an index entry directly in the directory whose HEAD tree is tree.
func (sd *stagedDiff) file(prefix, name string, tree *object.Tree, e indexEntry) {
	if e.stage != 0 || e.intentToAdd || !isFileMode(e.mode) {
		return // conflicts cannot be committed; links and submodules hold no text
	}
	var base plumbing.Hash
	if tree != nil {
		if te := findEntry(tree, name); te != nil && isFileMode(te.Mode) {
			if te.Hash == e.hash {
				return // unchanged, or only its mode changed
			}
			base = te.Hash
		}
	}
	sd.changed = append(sd.changed, stagedChange{path: prefix + name, blob: e.hash, base: base})
}

func isFileMode(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Deprecated
}

// subtree returns HEAD's tree for name under tree, or nil if it has none.
func (sd *stagedDiff) subtree(tree *object.Tree, name string) (*object.Tree, error) {
	if tree == nil {
		return nil, nil
	}
	te := findEntry(tree, name)
	if te == nil || te.Mode != filemode.Dir {
		return nil, nil
	}
	return sd.repo.readTree(te.Hash)
}

// collectDeleted records what tree holds that the index does not.
func (sd *stagedDiff) collectDeleted(prefix string, tree *object.Tree, seen map[string]bool) {
	if tree == nil {
		return
	}
	for _, te := range tree.Entries {
		if seen[te.Name] {
			continue
		}
		c := change{path: prefix + te.Name, blob: te.Hash}
		switch {
		case te.Mode == filemode.Dir:
			sd.delDirs = append(sd.delDirs, c)
		case isFileMode(te.Mode):
			sd.deleted = append(sd.deleted, c)
		}
	}
}

// renameSources returns every file HEAD has that the index lacks, reading deleted
// directories on first call.
func (sd *stagedDiff) renameSources() ([]change, error) {
	for len(sd.delDirs) > 0 {
		d := sd.delDirs[0]
		sd.delDirs = sd.delDirs[1:]
		t, err := sd.repo.readTree(d.blob)
		if err != nil {
			return nil, err
		}
		sd.collectDeleted(d.path+"/", t, nil)
	}
	return sd.deleted, nil
}

// sameBase reports whether two paths share their last element.
func sameBase(a, b string) bool {
	return path.Base(a) == path.Base(b)
}
