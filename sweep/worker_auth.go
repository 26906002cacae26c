package sweep

import (
	"fmt"
	"net/url"

	"github.com/leakhound/leakhound/store"
)

// Credentials are what a worker clones with. A job holds no credential, so a worker sends
// its own tokens, to the hosts they belong to, as the sources that listed the repository
// would have.
type Credentials struct {
	// GitHub holds the token for repositories a GitHub source listed, and the API URL
	// naming its host; HTTPClient and RateLimit are unused.
	GitHub GitHubOptions
	// GitLab does the same for GitLab sources.
	GitLab GitLabOptions
}

// jobRepository makes the Repository a job names, with the credentials for its source.
func (c *Credentials) jobRepository(r *store.Repository) (Repository, error) {
	repo := Repository{URL: r.URL, Name: r.Name, Source: r.Source, cloneURL: r.URL}
	switch r.Source {
	case "github":
		host := "github.com"
		if c.GitHub.APIURL != "" {
			u, err := url.Parse(c.GitHub.APIURL)
			if err != nil {
				return repo, fmt.Errorf("github api url %q: %w", c.GitHub.APIURL, err)
			}
			host = u.Host
		}
		repo.auth = tokenAuth(r.URL, "x-access-token", c.GitHub.Token, host)
	case "gitlab":
		base := c.GitLab.URL
		if base == "" {
			base = "https://gitlab.com"
		}
		u, err := url.Parse(base)
		if err != nil {
			return repo, fmt.Errorf("gitlab url %q: %w", base, err)
		}
		repo.auth = tokenAuth(r.URL, "oauth2", c.GitLab.Token, u.Host)
	}
	return repo, nil
}
