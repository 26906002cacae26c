package sweep

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v93/github"
)

// GitHubOptions configure the GitHub sources.
type GitHubOptions struct {
	// APIURL is the REST API root; "" means api.github.com. For GitHub Enterprise Server it
	// is https://HOST/api/v3/.
	APIURL string
	// Token authenticates API calls and https clones on the same service; it is never
	// logged. "" makes anonymous calls.
	Token string
	// HTTPClient makes the API calls; nil means a client with a one-minute timeout.
	HTTPClient *http.Client
	// RateLimit says how to wait for the API's rate limits.
	RateLimit RateLimitOptions
}

// defaultSecondaryWait is how long to wait after a secondary rate limit that names no time.
const defaultSecondaryWait = time.Minute

// gitHub lists the repositories of one organisation or user.
type gitHub struct {
	client *github.Client
	owner  string
	isOrg  bool
	hosts  []string // hosts a clone may send the token to
	token  string
	lim    *limiter
}

// GitHubOrg returns a source listing every repository of an organisation.
func GitHubOrg(o GitHubOptions, org string) (Source, error) {
	return newGitHub(o, org, true, o.RateLimit.limiter())
}

// GitHubUser returns a source listing the repositories a user owns.
func GitHubUser(o GitHubOptions, user string) (Source, error) {
	return newGitHub(o, user, false, o.RateLimit.limiter())
}

// newGitHub returns a source for owner's repositories; isOrg selects the organisation
// endpoint, otherwise the user one.
func newGitHub(o GitHubOptions, owner string, isOrg bool, lim *limiter) (*gitHub, error) {
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: time.Minute}
	}
	opts := []github.ClientOptionsFunc{github.WithHTTPClient(hc)}
	if o.Token != "" {
		opts = append(opts, github.WithAuthToken(o.Token))
	}
	hosts := []string{"github.com"}
	if o.APIURL != "" {
		base := o.APIURL
		opts = append(opts, github.WithURLs(&base, nil))
		u, err := url.Parse(o.APIURL)
		if err != nil {
			return nil, fmt.Errorf("github api url %q: %w", o.APIURL, err)
		}
		hosts = []string{u.Host}
	}
	c, err := github.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("github client: %w", err)
	}
	return &gitHub{client: c, owner: owner, isOrg: isOrg, hosts: hosts, token: o.Token,
		lim: lim}, nil
}

// Name describes the source.
func (g *gitHub) Name() string {
	if g.isOrg {
		return "github org " + g.owner
	}
	return "github user " + g.owner
}

// List pages through the owner's repositories, 100 at a time.
func (g *gitHub) List(ctx context.Context, yield func(Repository) error) error {
	page := 1
	for page != 0 {
		var repos []*github.Repository
		var resp *github.Response
		err := g.lim.do(ctx, func() error {
			var err error
			repos, resp, err = g.listPage(ctx, page)
			return gitHubError(err)
		})
		if err != nil {
			return fmt.Errorf("list %s: %w", g.Name(), err)
		}
		for _, r := range repos {
			if err := yield(g.repository(r)); err != nil {
				return err
			}
		}
		page = resp.NextPage
	}
	return nil
}

func (g *gitHub) listPage(ctx context.Context, page int) ([]*github.Repository,
	*github.Response, error) {
	lo := github.ListOptions{Page: page, PerPage: 100}
	if g.isOrg {
		return g.client.Repositories.ListByOrg(ctx, g.owner,
			&github.RepositoryListByOrgOptions{Type: "all", ListOptions: lo})
	}
	return g.client.Repositories.ListByUser(ctx, g.owner,
		&github.RepositoryListByUserOptions{Type: "owner", ListOptions: lo})
}

func (g *gitHub) repository(r *github.Repository) Repository {
	clone := r.GetCloneURL()
	return Repository{
		URL:      stripURL(clone),
		Name:     r.GetFullName(),
		Source:   "github",
		Fork:     r.GetFork(),
		Archived: r.GetArchived(),
		cloneURL: stripURL(clone),
		auth:     tokenAuth(clone, "x-access-token", g.token, g.hosts...),
	}
}

// gitHubError turns go-github's rate limit errors into a *RateLimitError.
func gitHubError(err error) error {
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return &RateLimitError{API: "github", RetryAt: rl.Rate.Reset.Time}
	}
	var ab *github.AbuseRateLimitError
	if errors.As(err, &ab) {
		wait := defaultSecondaryWait
		if ab.RetryAfter != nil {
			wait = *ab.RetryAfter
		}
		return &RateLimitError{API: "github", RetryAt: time.Now().Add(wait)}
	}
	return err
}

// stripURL removes credentials a service might put in a clone URL.
func stripURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = nil
	return strings.TrimSpace(u.String())
}
