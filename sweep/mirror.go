package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/http"
)

// ErrEmpty is returned by a mirror sync for a repository without commits.
var ErrEmpty = errors.New("repository is empty")

// mirrors is a cache of bare mirror clones, one directory per repository URL.
type mirrors struct {
	dir string
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// path returns the mirror directory of a URL: a readable slug and a hash of the URL, so two
// URLs never share a directory.
func (m *mirrors) path(u string) string {
	sum := sha256.Sum256([]byte(u))
	slug := unsafeChars.ReplaceAllString(u, "_")
	slug = strings.Trim(slug[max(0, len(slug)-60):], "_")
	return filepath.Join(m.dir, slug+"-"+hex.EncodeToString(sum[:6])+".git")
}

// sync brings r's mirror up to date: a fetch of every ref if the mirror exists, a bare
// mirror clone otherwise. A clone goes to a temporary directory renamed into place when
// complete, so a sweep killed mid-clone leaves no half mirror behind. A fetch killed
// mid-write can still leave a mirror that opens but cannot fetch (an empty ref file, say):
// when a fetch fails, the mirror, which is only a cache, is cloned afresh, and the fetch's
// error is returned only if that fails too. It returns the mirror's directory.
func (m *mirrors) sync(ctx context.Context, r *Repository) (string, error) {
	dir := m.path(r.URL)
	if g, err := git.PlainOpen(dir); err == nil {
		err = g.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: r.auth,
			Force: true, Prune: true})
		if err == nil || errors.Is(err, git.NoErrAlreadyUpToDate) {
			return dir, nil
		}
		if errors.Is(err, transport.ErrEmptyRemoteRepository) {
			return "", ErrEmpty
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if cerr := m.clone(ctx, r, dir); cerr == nil || errors.Is(cerr, ErrEmpty) {
			return dir, cerr
		}
		return "", fmt.Errorf("fetch %s: %s", r.URL, scrubAuth(err.Error(), r))
	}
	return dir, m.clone(ctx, r, dir)
}

func (m *mirrors) clone(ctx context.Context, r *Repository, dir string) error {
	if err := os.MkdirAll(m.dir, 0o700); err != nil {
		return fmt.Errorf("clone %s: %w", r.URL, err)
	}
	tmp, err := os.MkdirTemp(m.dir, ".clone-")
	if err != nil {
		return fmt.Errorf("clone %s: %w", r.URL, err)
	}
	defer os.RemoveAll(tmp)
	if err := initMirror(ctx, tmp, r); err != nil {
		return err
	}
	os.RemoveAll(dir) // a mirror that would not open
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("clone %s: %w", r.URL, err)
	}
	return nil
}

// initMirror makes a bare mirror of r in dir: an empty repository whose origin fetches
// every ref, then a fetch. Unlike a clone it does not need the remote's HEAD to name an
// existing branch.
func initMirror(ctx context.Context, dir string, r *Repository) error {
	g, err := git.PlainInit(dir, true)
	if err != nil {
		return fmt.Errorf("clone %s: %w", r.URL, err)
	}
	_, err = g.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{r.cloneURL},
		Fetch: []config.RefSpec{"+refs/*:refs/*"}, Mirror: true})
	if err != nil {
		return fmt.Errorf("clone %s: %w", r.URL, err)
	}
	err = g.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", Auth: r.auth, Force: true})
	switch {
	case errors.Is(err, transport.ErrEmptyRemoteRepository):
		return ErrEmpty
	case err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate):
		return fmt.Errorf("clone %s: %s", r.URL, scrubAuth(err.Error(), r))
	}
	return nil
}

// scrubAuth removes the token of r from an error message, should a library ever echo it.
func scrubAuth(msg string, r *Repository) string {
	if b, ok := r.auth.(*http.BasicAuth); ok && b.Password != "" {
		msg = strings.ReplaceAll(msg, b.Password, "*****")
	}
	return msg
}

// refTips returns a mirror's refs as a JSON object of ref name to commit hash, in name order.
func refTips(dir string) (string, error) {
	g, err := git.PlainOpen(dir)
	if err != nil {
		return "", fmt.Errorf("read refs %s: %w", dir, err)
	}
	iter, err := g.Storer.IterReferences()
	if err != nil {
		return "", fmt.Errorf("read refs %s: %w", dir, err)
	}
	tips := map[string]string{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference {
			tips[ref.Name().String()] = ref.Hash().String()
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read refs %s: %w", dir, err)
	}
	b, err := json.Marshal(tips)
	return string(b), err
}
