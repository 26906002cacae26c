package report

import (
	"fmt"
	"net/url"
	"strings"
)

// Hosting services WebRepo links to.
const (
	HostGitHub    = "github"
	HostGitLab    = "gitlab"
	HostBitbucket = "bitbucket"
	HostAzure     = "azure"
)

// WebRepo is a repository's page on a hosting service, from which reports link to commits
// and files.
type WebRepo struct {
	// Host is one of HostGitHub, HostGitLab, HostBitbucket and HostAzure.
	Host string
	// URL is the https address of the repository's web page, without credentials, a
	// trailing slash or ".git".
	URL string
}

// ParseWebRepo derives a repository's web page from a git remote URL in https, ssh or scp
// form ("git@host:owner/repo.git"). It knows github.com and GitHub Enterprise hosts named
// github.*, gitlab.com and hosts whose name contains "gitlab", bitbucket.org, and Azure
// DevOps (dev.azure.com, ssh.dev.azure.com and *.visualstudio.com). It reports false for
// other hosts, local paths and remotes it cannot read.
func ParseWebRepo(remote string) (WebRepo, bool) {
	host, p, ok := splitRemote(strings.TrimSpace(remote))
	if !ok {
		return WebRepo{}, false
	}
	p = strings.TrimSuffix(strings.Trim(p, "/"), ".git")
	switch kind := hostKind(host); kind {
	case HostAzure:
		return azureWebRepo(host, p)
	case "":
		return WebRepo{}, false
	default:
		if strings.Count(p, "/") < 1 {
			return WebRepo{}, false
		}
		return WebRepo{Host: kind, URL: "https://" + host + "/" + p}, true
	}
}

// splitRemote returns the host (lower case, without user or port) and path of a remote.
func splitRemote(remote string) (host, path string, ok bool) {
	if strings.Contains(remote, "://") {
		u, err := url.Parse(remote)
		if err != nil || u.Hostname() == "" {
			return "", "", false
		}
		switch u.Scheme {
		case "https", "http":
			// A web server's port is the web page's port too.
			return strings.ToLower(u.Host), u.Path, true
		case "ssh", "git", "git+ssh", "ssh+git":
			return strings.ToLower(u.Hostname()), u.Path, true
		}
		return "", "", false
	}
	// scp-like syntax: [user@]host:path, where the host has no slash before the colon.
	hostPart, path, found := strings.Cut(remote, ":")
	if !found || strings.Contains(hostPart, "/") {
		return "", "", false
	}
	if i := strings.LastIndex(hostPart, "@"); i >= 0 {
		hostPart = hostPart[i+1:]
	}
	return strings.ToLower(hostPart), path, hostPart != ""
}

func hostKind(host string) string {
	host, _, _ = strings.Cut(host, ":")
	switch {
	case host == "github.com" || strings.HasPrefix(host, "github."):
		return HostGitHub
	case host == "bitbucket.org":
		return HostBitbucket
	case host == "dev.azure.com" || host == "ssh.dev.azure.com" ||
		strings.HasSuffix(host, ".visualstudio.com"):
		return HostAzure
	case strings.Contains(host, "gitlab"):
		return HostGitLab
	}
	return ""
}

// azureWebRepo handles Azure DevOps remotes: https paths are already "org/project/_git/repo";
// ssh paths are "v3/org/project/repo".
func azureWebRepo(host, p string) (WebRepo, bool) {
	parts := strings.Split(p, "/")
	if parts[0] == "v3" && len(parts) == 4 {
		org, project, repo := parts[1], parts[2], parts[3]
		if strings.HasPrefix(host, "vs-ssh.") || strings.HasSuffix(host, ".visualstudio.com") {
			return WebRepo{Host: HostAzure, URL: fmt.Sprintf(
				"https://%s.visualstudio.com/%s/_git/%s", org, project, repo)}, true
		}
		return WebRepo{Host: HostAzure, URL: fmt.Sprintf(
			"https://dev.azure.com/%s/%s/_git/%s", org, project, repo)}, true
	}
	if !strings.Contains(p, "/_git/") || host == "ssh.dev.azure.com" {
		return WebRepo{}, false
	}
	return WebRepo{Host: HostAzure, URL: "https://" + host + "/" + p}, true
}

// CommitURL returns the web page of a commit.
func (w WebRepo) CommitURL(sha string) string {
	sha = url.PathEscape(sha)
	switch w.Host {
	case HostGitLab:
		return w.URL + "/-/commit/" + sha
	case HostBitbucket:
		return w.URL + "/commits/" + sha
	}
	return w.URL + "/commit/" + sha
}

// FileURL returns the web page of a file at a commit, scrolled to a line when line > 0.
// The path is slash-separated and relative to the repository root.
func (w WebRepo) FileURL(sha, path string, line int) string {
	sha, esc := url.PathEscape(sha), escapePath(path)
	var u, anchor string
	switch w.Host {
	case HostGitLab:
		u, anchor = w.URL+"/-/blob/"+sha+"/"+esc, "#L"
	case HostBitbucket:
		u, anchor = w.URL+"/src/"+sha+"/"+esc, "#lines-"
	case HostAzure:
		q := url.Values{"path": {"/" + path}, "version": {"GC" + sha}}
		if line > 0 {
			q.Set("line", fmt.Sprint(line))
		}
		return w.URL + "?" + q.Encode()
	default:
		u, anchor = w.URL+"/blob/"+sha+"/"+esc, "#L"
	}
	if line > 0 {
		u += anchor + fmt.Sprint(line)
	}
	return u
}

// escapePath percent-encodes each segment of a slash-separated path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}
