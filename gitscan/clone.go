package gitscan

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/http"
)

// TokenEnv lists the environment variables read, in order, for an https clone token.
var TokenEnv = []string{"LEAKHOUND_GIT_TOKEN", "GITHUB_TOKEN", "GITLAB_TOKEN"}

// CloneOptions control how a URL is cloned.
type CloneOptions struct {
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// TempDir is where the clone goes; "" means the system default.
	TempDir string
}

// Clone makes a temporary bare mirror of the repository at rawURL (every ref) and opens it.
// Close removes the clone. An https token comes from the environment (TokenEnv); credentials
// in the URL itself are used but never shown: errors and Display carry the URL without them.
func Clone(ctx context.Context, rawURL string, opts CloneOptions) (*Repo, error) {
	shown := StripCredentials(rawURL)
	dir, err := os.MkdirTemp(opts.TempDir, "leakhound-clone-")
	if err != nil {
		return nil, fmt.Errorf("clone %s: %w", shown, err)
	}
	cleanup := func() { os.RemoveAll(dir) }

	_, err = git.PlainCloneContext(ctx, dir, true, &git.CloneOptions{
		URL:    rawURL,
		Auth:   cloneAuth(rawURL, opts.Getenv),
		Mirror: true,
	})
	if errors.Is(err, transport.ErrEmptyRemoteRepository) {
		// An empty remote is an empty repository, as a local one is: clean, with a note.
		os.RemoveAll(dir)
		_, err = git.PlainInit(dir, true)
	}
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("clone %s: %s", shown, scrub(err.Error(), rawURL, shown))
	}
	r, err := Open(dir)
	if err != nil {
		cleanup()
		return nil, err
	}
	r.Display, r.Remote, r.cleanup = shown, shown, cleanup
	return r, nil
}

// cloneAuth returns basic auth carrying a token from the environment for https URLs without
// credentials of their own.
func cloneAuth(rawURL string, getenv func(string) string) transport.AuthMethod {
	if getenv == nil {
		getenv = os.Getenv
	}
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return nil
	}
	for _, name := range TokenEnv {
		if tok := getenv(name); tok != "" {
			return &http.BasicAuth{Username: "x-access-token", Password: tok}
		}
	}
	return nil
}

// scrub replaces the raw URL, which may hold credentials, with its shown form in a message.
func scrub(msg, raw, shown string) string {
	if raw == shown {
		return msg
	}
	return strings.ReplaceAll(msg, raw, shown)
}
