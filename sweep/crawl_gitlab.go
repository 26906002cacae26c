package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	gitlab "gitlab.com/gitlab-org/api/client-go/v2"
)

// GitLabOptions configure the GitLab sources.
type GitLabOptions struct {
	// URL is the GitLab instance; "" means gitlab.com. The API is under /api/v4/.
	URL string
	// Token authenticates API calls and https clones on the same instance; it is never
	// logged. "" makes anonymous calls.
	Token string
	// HTTPClient makes the API calls; nil means a client with a one-minute timeout.
	HTTPClient *http.Client
	// RateLimit says how to wait for the API's rate limits.
	RateLimit RateLimitOptions
}

// gitLab lists the projects of one group and its subgroups.
type gitLab struct {
	client *gitlab.Client
	group  string
	hosts  []string
	token  string
	lim    *limiter
}

// GitLabGroup returns a source listing every project of a group and its subgroups; group
// is the group's full path ("acme/platform") or numeric id.
func GitLabGroup(o GitLabOptions, group string) (Source, error) {
	return newGitLab(o, group, o.RateLimit.limiter())
}

// newGitLab returns a source for a group's projects, subgroups included. The client's own
// retries are off: rate limits are waited for by lim, with a log note, like GitHub's.
func newGitLab(o GitLabOptions, group string, lim *limiter) (*gitLab, error) {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	base := o.URL
	if base == "" {
		base = "https://gitlab.com"
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("gitlab url %q: want https://HOST", base)
	}
	c, err := gitlab.NewClient(o.Token, gitlab.WithBaseURL(base), gitlab.WithHTTPClient(hc),
		gitlab.WithoutRetries(), gitlab.WithURLWarningLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		return nil, fmt.Errorf("gitlab client: %w", err)
	}
	return &gitLab{client: c, group: group, hosts: []string{u.Host}, token: o.Token,
		lim: lim}, nil
}

// Name describes the source.
func (g *gitLab) Name() string {
	return "gitlab group " + g.group
}

// List pages through the group's projects, subgroups included, 100 at a time.
func (g *gitLab) List(ctx context.Context, yield func(Repository) error) error {
	opt := &gitlab.ListGroupProjectsOptions{
		IncludeSubGroups: gitlab.Ptr(true),
		ListOptions:      gitlab.ListOptions{PerPage: 100, Page: 1},
	}
	for opt.Page != 0 {
		var ps []*gitlab.Project
		var resp *gitlab.Response
		err := g.lim.do(ctx, func() error {
			var err error
			ps, resp, err = g.client.Groups.ListGroupProjects(g.group, opt,
				gitlab.WithContext(ctx))
			return gitLabError(err)
		})
		if err != nil {
			return fmt.Errorf("list %s: %w", g.Name(), err)
		}
		for _, p := range ps {
			if err := yield(g.repository(p)); err != nil {
				return err
			}
		}
		opt.Page = int64(resp.NextPage)
	}
	return nil
}

func (g *gitLab) repository(p *gitlab.Project) Repository {
	clone := stripURL(p.HTTPURLToRepo)
	return Repository{
		URL:      clone,
		Name:     p.PathWithNamespace,
		Source:   "gitlab",
		Fork:     p.ForkedFromProject != nil,
		Archived: p.Archived,
		cloneURL: clone,
		auth:     tokenAuth(clone, "oauth2", g.token, g.hosts...),
	}
}

// gitLabError turns a 429 response into a *RateLimitError, reading when to retry from
// RateLimit-Reset (Unix seconds) or Retry-After (seconds).
func gitLabError(err error) error {
	var er *gitlab.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil ||
		er.Response.StatusCode != http.StatusTooManyRequests {
		return err
	}
	h := er.Response.Header
	at := time.Now().Add(defaultSecondaryWait)
	if s, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		at = time.Unix(s, 0)
	} else if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		at = time.Now().Add(time.Duration(s) * time.Second)
	}
	return &RateLimitError{API: "gitlab", RetryAt: at}
}
