package main

import (
	"errors"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/sweep"
)

// sourceOptions are the flags naming what a sweep covers, shared by sweep and sweep plan.
type sourceOptions struct {
	githubOrgs   []string
	githubUsers  []string
	gitlabGroups []string
	repos        []string
	reposFile    string
	githubAPIURL string
	gitlabURL    string
	filter       sweep.Filter
	maxWait      time.Duration
}

func (o *sourceOptions) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&o.githubOrgs, "github-org", nil, "sweep a GitHub organisation (repeatable)")
	f.StringArrayVar(&o.githubUsers, "github-user", nil, "sweep a GitHub user's repositories")
	f.StringArrayVar(&o.gitlabGroups, "gitlab-group", nil,
		"sweep a GitLab group and its subgroups, by full path (repeatable)")
	f.StringArrayVar(&o.repos, "repo", nil, "sweep this repository URL (repeatable)")
	f.StringVar(&o.reposFile, "repos-file", "", "sweep the repository URLs in FILE, one a line")
	bindHosts(cmd, &o.githubAPIURL, &o.gitlabURL)
	f.BoolVar(&o.filter.IncludeForks, "include-forks", false, "sweep forks too")
	f.BoolVar(&o.filter.IncludeArchived, "include-archived", false, "sweep archived ones too")
	f.StringArrayVar(&o.filter.Include, "include", nil,
		"sweep only repositories whose name matches this glob (repeatable)")
	f.StringArrayVar(&o.filter.Exclude, "exclude", nil,
		"leave out repositories whose name matches this glob (repeatable)")
	f.DurationVar(&o.maxWait, "max-rate-limit-wait", sweep.DefaultMaxRateLimitWait,
		"longest wait for an API rate limit before the source fails")
}

// bindHosts binds --github-api-url and --gitlab-url, which say where tokens may be sent.
func bindHosts(cmd *cobra.Command, githubAPIURL, gitlabURL *string) {
	f := cmd.Flags()
	f.StringVar(githubAPIURL, "github-api-url", "",
		"GitHub API root, for GitHub Enterprise (https://HOST/api/v3/)")
	f.StringVar(gitlabURL, "gitlab-url", "", "GitLab instance (default https://gitlab.com)")
}

func (o *sourceOptions) validate() error {
	if len(o.githubOrgs)+len(o.githubUsers)+len(o.gitlabGroups)+len(o.repos) == 0 &&
		o.reposFile == "" {
		return errors.New("no source: give --github-org, --github-user, --gitlab-group, " +
			"--repo or --repos-file")
	}
	return o.filter.Check()
}

// sources builds one source per flag, in flag order by kind.
func (o *sourceOptions) sources(env *environ, log *slog.Logger) ([]sweep.Source, error) {
	rl := sweep.RateLimitOptions{MaxWait: o.maxWait, Logger: log}
	gh := sweep.GitHubOptions{APIURL: o.githubAPIURL, Token: env.getenv("GITHUB_TOKEN"),
		RateLimit: rl}
	gl := sweep.GitLabOptions{URL: o.gitlabURL, Token: env.getenv("GITLAB_TOKEN"), RateLimit: rl}
	var out []sweep.Source
	add := func(src sweep.Source, err error) error {
		if err == nil {
			out = append(out, src)
		}
		return err
	}
	for _, org := range o.githubOrgs {
		if err := add(sweep.GitHubOrg(gh, org)); err != nil {
			return nil, err
		}
	}
	for _, u := range o.githubUsers {
		if err := add(sweep.GitHubUser(gh, u)); err != nil {
			return nil, err
		}
	}
	for _, g := range o.gitlabGroups {
		if err := add(sweep.GitLabGroup(gl, g)); err != nil {
			return nil, err
		}
	}
	if len(o.repos) > 0 {
		out = append(out, sweep.URLs(o.repos))
	}
	if o.reposFile != "" {
		out = append(out, sweep.ReposFile(o.reposFile))
	}
	return out, nil
}
