// Package gitscan reads git repositories for the detectors: the full history of every ref
// (Scan), and later the staged index and pushed ranges. It is a source in the pipeline: it
// produces finding.Finding values and knows nothing of reports.
package gitscan

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Repo is an opened repository. Close removes anything Open created, such as the temporary
// bare clone of a URL.
type Repo struct {
	// Git is the go-git handle, used by the walker.
	Git *git.Repository
	// Display is how the repository is named in reports and logs: the path, or the URL
	// without credentials.
	Display string
	// Remote is the origin URL without credentials, or "" if none is configured.
	Remote string
	// commonDir is the directory holding objects and refs (the .git directory of the main
	// worktree for a linked worktree).
	commonDir string
	// gitDir is the worktree's own git directory, holding HEAD and the index; it is
	// commonDir except in a linked worktree.
	gitDir  string
	cleanup func()

	objsMu sync.Mutex
	objs   *objectSource // shared by the goroutines that have none of their own
}

// Close releases the repository and removes a temporary clone.
func (r *Repo) Close() error {
	r.objsMu.Lock()
	if r.objs != nil {
		r.objs.o.close()
		r.objs = nil
	}
	r.objsMu.Unlock()
	if r.cleanup != nil {
		r.cleanup()
	}
	return nil
}

// objectGetter reads objects by hash; t may be plumbing.AnyObject.
type objectGetter interface {
	EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error)
}

// newStorer opens a private object source on the repository, so that each scanning goroutine
// reads packfiles through its own descriptors and caches.
func (r *Repo) newStorer() *objectSource {
	return &objectSource{
		o:        newObjectReader(filepath.Join(r.commonDir, "objects")),
		fallback: r.newGoGitStorer,
	}
}

// newGoGitStorer opens go-git's own object storage, for objects the direct reader cannot
// decode.
func (r *Repo) newGoGitStorer() storer.EncodedObjectStorer {
	fs := osfs.New(r.commonDir, osfs.WithBoundOS())
	return filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(8<<20),
		filesystem.Options{})
}

// object reads one object through the repository's shared source. It is safe for concurrent
// use.
func (r *Repo) object(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	r.objsMu.Lock()
	defer r.objsMu.Unlock()
	if r.objs == nil {
		r.objs = r.newStorer()
	}
	return r.objs.EncodedObject(t, h)
}

// Open opens a repository at a local path (a worktree, a linked worktree, or a bare
// repository).
func Open(path string) (*Repo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open repository %s: no such file or directory", path)
	}
	g, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		// A directory inside a working tree names the repository around it, as for git.
		if top, ok := enclosingWorktree(abs); ok {
			abs = top
			g, err = git.PlainOpenWithOptions(abs,
				&git.PlainOpenOptions{EnableDotGitCommonDir: true})
		}
	}
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("open repository %s: not a git repository", path)
		}
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	gitDir, common, err := gitDirs(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository %s: %w", path, err)
	}
	return &Repo{Git: g, Display: path, Remote: originURL(g), commonDir: common,
		gitDir: gitDir}, nil
}

// enclosingWorktree returns the nearest parent of dir that holds a .git file or directory.
func enclosingWorktree(dir string) (string, bool) {
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		if d == filepath.Dir(d) {
			return "", false
		}
	}
}

// gitDirs finds the worktree's git directory and the directory that holds the objects: path
// itself for a bare repository, path/.git for a worktree, and what .git's gitdir and
// commondir files name for a linked worktree or a submodule.
func gitDirs(path string) (gitDir, common string, err error) {
	dotgit := filepath.Join(path, ".git")
	fi, err := os.Stat(dotgit)
	switch {
	case err != nil:
		return path, path, nil // bare
	case fi.IsDir():
		return dotgit, dotgit, nil
	}
	gitDir, err = readPointer(dotgit, "gitdir: ", path)
	if err != nil {
		return "", "", err
	}
	if _, err := os.Stat(filepath.Join(gitDir, "commondir")); err != nil {
		return gitDir, gitDir, nil
	}
	common, err = readPointer(filepath.Join(gitDir, "commondir"), "", gitDir)
	return gitDir, common, err
}

// readPointer reads a one-line file naming a directory, relative to base unless absolute.
func readPointer(file, prefix, base string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if !strings.HasPrefix(s, prefix) {
		return "", fmt.Errorf("%s: unexpected content", file)
	}
	dir := strings.TrimPrefix(s, prefix)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	return filepath.Clean(dir), nil
}

func originURL(g *git.Repository) string {
	rem, err := g.Remote("origin")
	if err != nil || len(rem.Config().URLs) == 0 {
		return ""
	}
	return StripCredentials(rem.Config().URLs[0])
}

// StripCredentials removes any user name and password from a URL, so it can be shown.
// Strings that are not URLs with a scheme are returned unchanged.
func StripCredentials(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}

// IsURL reports whether target names a remote repository rather than a local path.
func IsURL(target string) bool {
	for _, p := range []string{"https://", "http://", "ssh://", "git://", "file://"} {
		if strings.HasPrefix(target, p) {
			return true
		}
	}
	at, colon := strings.Index(target, "@"), strings.Index(target, ":")
	return at > 0 && colon > at && !strings.Contains(target[:at], "/") // user@host:path
}

// OpenWorktree opens the repository that holds dir, looking in dir and then its parents for
// a .git directory or file, as git does, and returns it with the worktree's top directory.
// If no parent holds one, dir is opened as a bare repository and is its own top.
func OpenWorktree(dir string) (*Repo, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", fmt.Errorf("open repository %s: %w", dir, err)
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			r, err := Open(d)
			return r, d, err
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	r, err := Open(abs)
	return r, abs, err
}
