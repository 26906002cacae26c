package gitscan

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/plumbing"
)

// MaterializeHeadFiles copies the files with the given names at the root of HEAD's tree into a
// new temporary directory, which the caller removes. It serves repositories without a working
// tree (bare repositories, clones of URLs), whose configuration files exist only as blobs:
// the CLI then reads them as it would in a checkout. Names missing from HEAD are skipped; a
// repository without HEAD yields an empty directory.
func (r *Repo) MaterializeHeadFiles(names []string) (string, error) {
	dir, err := os.MkdirTemp("", "leakhound-head-")
	if err != nil {
		return "", fmt.Errorf("read HEAD files: %w", err)
	}
	head, err := r.Git.Head()
	if err != nil {
		return dir, nil
	}
	c, err := r.readCommit(head.Hash())
	if err != nil {
		return dir, nil
	}
	src := r.newStorer()
	defer src.o.close()
	d := newDiffer(src)
	for _, name := range names {
		h, ok := d.blobAt(c.TreeHash, name)
		if !ok {
			continue
		}
		data, err := src.readMax(h, plumbing.BlobObject, DefaultMaxFileSize)
		if err != nil {
			return dir, fmt.Errorf("read %s at HEAD: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return dir, fmt.Errorf("read %s at HEAD: %w", name, err)
		}
	}
	return dir, nil
}

// WorktreeRoot returns the top directory of the repository's working tree, if it has one.
func (r *Repo) WorktreeRoot() (string, bool) {
	wt, err := r.Git.Worktree()
	if err != nil {
		return "", false
	}
	return wt.Filesystem.Root(), true
}
