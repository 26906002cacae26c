package sweep

import "testing"

func TestFilterKeep(t *testing.T) {
	tests := []struct {
		name   string
		f      Filter
		r      Repository
		want   bool
		reason string
	}{
		{"plain", Filter{}, Repository{Name: "acme/api"}, true, ""},
		{"fork", Filter{}, Repository{Name: "acme/api", Fork: true}, false, "fork"},
		{"fork kept", Filter{IncludeForks: true}, Repository{Name: "a/b", Fork: true}, true, ""},
		{"archived", Filter{}, Repository{Name: "a/b", Archived: true}, false, "archived"},
		{"include base", Filter{Include: []string{"api-*"}}, Repository{Name: "acme/api-x"},
			true, ""},
		{"include miss", Filter{Include: []string{"api-*"}}, Repository{Name: "acme/web"},
			false, "not included"},
		{"include full", Filter{Include: []string{"acme/*"}}, Repository{Name: "acme/web"},
			true, ""},
		{"exclude", Filter{Exclude: []string{"*-test"}}, Repository{Name: "g/s/x-test"},
			false, "excluded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := tt.f.Keep(&tt.r)
			if got != tt.want || why != tt.reason {
				t.Errorf("got %v %q, want %v %q", got, why, tt.want, tt.reason)
			}
		})
	}
	if err := (&Filter{Include: []string{"["}}).Check(); err == nil {
		t.Errorf("malformed glob: got no error")
	}
}

// TestRepoFromURLMovesCredentials checks that credentials in a --repo URL never reach the
// URL that identifies the repository.
func TestRepoFromURLMovesCredentials(t *testing.T) {
	r, err := repoFromURL("https://bob:hunter2hunter2@git.example.com/team/app.git")
	if err != nil {
		t.Fatal(err)
	}
	if r.URL != "https://git.example.com/team/app.git" || r.cloneURL != r.URL ||
		r.Name != "team/app" || r.auth == nil {
		t.Errorf("got %+v", r)
	}
	if a := tokenAuth("https://evil.example/x", "u", "tok", "github.com"); a != nil {
		t.Errorf("token offered to another host")
	}
}
