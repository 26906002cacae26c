// Package sweep scans every repository of an organisation, a user, a group or a list: it
// enumerates the repositories of each Source, keeps a bare mirror of each in a cache, skips
// those whose refs did not move since the last sweep, scans the others with gitscan (skipping
// blobs any repository already showed clean) and records the outcome in a store.Store.
//
// It sits above gitscan and store in the pipeline; the CLI reports what it recorded.
package sweep

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/http"

	"github.com/leakhound/leakhound/gitscan"
)

// Repository is one repository to sweep, as a source found it.
type Repository struct {
	// URL is the clone URL without credentials. It identifies the repository in the store,
	// the cache and the summary.
	URL string
	// Name is the full name ("org/repo", "group/sub/project"), which filters match.
	Name string
	// Source is the kind of source: "github", "gitlab" or "url".
	Source string
	// Fork and Archived are what the hosting service says; a plain URL is neither.
	Fork, Archived bool

	// cloneURL is the URL to clone, which may carry credentials a user put in a --repo URL.
	cloneURL string
	// auth is the token sent with clone and fetch requests; its String method masks it.
	auth transport.AuthMethod
}

// Source enumerates repositories. List calls yield once per repository, from the calling
// goroutine, and stops at the first error yield returns. A Source is used by one goroutine.
type Source interface {
	// Name describes the source in logs and errors ("github org acme").
	Name() string
	// List enumerates the source's repositories.
	List(ctx context.Context, yield func(Repository) error) error
}

// tokenAuth returns basic auth carrying token for a clone URL on host apiHost (or on
// cloneHost, the web host of the service), so that a token is only ever sent to the service
// that issued it. It returns nil for other hosts, non-HTTP URLs and an empty token.
func tokenAuth(cloneURL, user, token string, hosts ...string) transport.AuthMethod {
	u, err := url.Parse(cloneURL)
	if token == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil
	}
	for _, h := range hosts {
		if strings.EqualFold(u.Host, h) {
			return &http.BasicAuth{Username: user, Password: token}
		}
	}
	return nil
}

// repoFromURL makes a Repository for a plain URL. Credentials in the URL are moved out of it
// into auth, so they reach neither the cache's config nor the store.
func repoFromURL(raw string) (Repository, error) {
	shown := gitscan.StripCredentials(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return Repository{}, fmt.Errorf("repository URL %q: want scheme://host/path", shown)
	}
	r := Repository{URL: shown, cloneURL: shown, Source: "url", Name: nameFromURL(u)}
	if u.User != nil {
		pw, _ := u.User.Password()
		r.auth = &http.BasicAuth{Username: u.User.Username(), Password: pw}
	}
	return r, nil
}

// nameFromURL is a URL's path without its leading slash and .git suffix.
func nameFromURL(u *url.URL) string {
	p := strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
	if p == "" {
		return u.Host
	}
	if u.Scheme == "file" {
		return path.Base(p)
	}
	return p
}
