package report

import "testing"

func TestParseWebRepo(t *testing.T) {
	tests := []struct {
		remote   string
		host     string
		url      string
		unlinked bool
	}{
		{remote: "https://github.com/acme/widgets.git", host: HostGitHub,
			url: "https://github.com/acme/widgets"},
		{remote: "https://github.com/acme/widgets/", host: HostGitHub,
			url: "https://github.com/acme/widgets"},
		{remote: "git@github.com:acme/widgets.git", host: HostGitHub,
			url: "https://github.com/acme/widgets"},
		{remote: "ssh://git@github.com:22/acme/widgets.git", host: HostGitHub,
			url: "https://github.com/acme/widgets"},
		{remote: "https://user:pw@github.com/acme/widgets.git", host: HostGitHub,
			url: "https://github.com/acme/widgets"},
		{remote: "git@github.example.com:acme/widgets.git", host: HostGitHub,
			url: "https://github.example.com/acme/widgets"},
		{remote: "https://gitlab.com/group/sub/proj.git", host: HostGitLab,
			url: "https://gitlab.com/group/sub/proj"},
		{remote: "git@gitlab.com:group/sub/proj.git", host: HostGitLab,
			url: "https://gitlab.com/group/sub/proj"},
		{remote: "https://gitlab.example.org:8443/team/app.git", host: HostGitLab,
			url: "https://gitlab.example.org:8443/team/app"},
		{remote: "https://someone@bitbucket.org/ws/repo.git", host: HostBitbucket,
			url: "https://bitbucket.org/ws/repo"},
		{remote: "git@bitbucket.org:ws/repo.git", host: HostBitbucket,
			url: "https://bitbucket.org/ws/repo"},
		{remote: "https://org@dev.azure.com/org/proj/_git/repo", host: HostAzure,
			url: "https://dev.azure.com/org/proj/_git/repo"},
		{remote: "git@ssh.dev.azure.com:v3/org/proj/repo", host: HostAzure,
			url: "https://dev.azure.com/org/proj/_git/repo"},
		{remote: "https://org.visualstudio.com/proj/_git/repo", host: HostAzure,
			url: "https://org.visualstudio.com/proj/_git/repo"},
		{remote: "org@vs-ssh.visualstudio.com:v3/org/proj/repo", host: HostAzure,
			url: "https://org.visualstudio.com/proj/_git/repo"},
		{remote: "", unlinked: true},
		{remote: "/srv/git/widgets.git", unlinked: true},
		{remote: "file:///srv/git/widgets.git", unlinked: true},
		{remote: "https://example.com/acme/widgets.git", unlinked: true},
		{remote: "git@github.com:widgets", unlinked: true},
		{remote: "https://dev.azure.com/org/proj", unlinked: true},
		{remote: `C:\src\widgets`, unlinked: true},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			got, ok := ParseWebRepo(tt.remote)
			if ok == tt.unlinked {
				t.Fatalf("ParseWebRepo(%q) ok = %v, want %v (got %+v)", tt.remote, ok,
					!tt.unlinked, got)
			}
			if got.Host != tt.host || got.URL != tt.url {
				t.Errorf("ParseWebRepo(%q) = %+v, want {%s %s}", tt.remote, got, tt.host,
					tt.url)
			}
		})
	}
}

func TestWebRepoLinks(t *testing.T) {
	const sha = "0123abcd"
	tests := []struct {
		repo         WebRepo
		commit, file string
	}{
		{WebRepo{HostGitHub, "https://github.com/o/r"},
			"https://github.com/o/r/commit/0123abcd",
			"https://github.com/o/r/blob/0123abcd/dir/a%20b.txt#L7"},
		{WebRepo{HostGitLab, "https://gitlab.com/g/r"},
			"https://gitlab.com/g/r/-/commit/0123abcd",
			"https://gitlab.com/g/r/-/blob/0123abcd/dir/a%20b.txt#L7"},
		{WebRepo{HostBitbucket, "https://bitbucket.org/w/r"},
			"https://bitbucket.org/w/r/commits/0123abcd",
			"https://bitbucket.org/w/r/src/0123abcd/dir/a%20b.txt#lines-7"},
		{WebRepo{HostAzure, "https://dev.azure.com/o/p/_git/r"},
			"https://dev.azure.com/o/p/_git/r/commit/0123abcd",
			"https://dev.azure.com/o/p/_git/r?line=7&path=%2Fdir%2Fa+b.txt&version=GC0123abcd"},
	}
	for _, tt := range tests {
		t.Run(tt.repo.Host, func(t *testing.T) {
			if got := tt.repo.CommitURL(sha); got != tt.commit {
				t.Errorf("CommitURL = %q, want %q", got, tt.commit)
			}
			if got := tt.repo.FileURL(sha, "dir/a b.txt", 7); got != tt.file {
				t.Errorf("FileURL = %q, want %q", got, tt.file)
			}
		})
	}
}
