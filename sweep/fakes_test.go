package sweep

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRepo is a repository a fake API lists.
type fakeRepo struct {
	name     string // full name
	cloneURL string
	fork     bool
	archived bool
}

// fakeAPI records what a fake service saw.
type fakeAPI struct {
	mu        sync.Mutex
	auth      []string
	limited   bool // the one rate-limit response has been sent
	requests  int
	pageSize  int
	repos     []fakeRepo
	rateLimit func(w http.ResponseWriter)
}

func (f *fakeAPI) page(w http.ResponseWriter, r *http.Request) ([]fakeRepo, int, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.auth = append(f.auth, r.Header.Get("Authorization")+r.Header.Get("Private-Token"))
	if !f.limited {
		f.limited = true
		f.rateLimit(w)
		return nil, 0, false
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	lo := min((page-1)*f.pageSize, len(f.repos))
	hi := min(lo+f.pageSize, len(f.repos))
	next := 0
	if hi < len(f.repos) {
		next = page + 1
	}
	return f.repos[lo:hi], next, true
}

// newFakeGitHub serves GET /orgs/ORG/repos in pages of two, refusing the first request
// with a primary rate limit that resets a second later.
func newFakeGitHub(t *testing.T, org string, repos []fakeRepo) (*httptest.Server, *fakeAPI) {
	f := &fakeAPI{pageSize: 2, repos: repos, rateLimit: func(w http.ResponseWriter) {
		w.Header().Set("X-RateLimit-Limit", "60")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Second).Unix()))
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"API rate limit exceeded"}`)
	}}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/orgs/"+org+"/repos" {
			http.NotFound(w, r)
			return
		}
		rs, next, ok := f.page(w, r)
		if !ok {
			return
		}
		if next > 0 {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d>; rel="next"`, srv.URL,
				r.URL.Path, next))
		}
		var out []map[string]any
		for _, x := range rs {
			out = append(out, map[string]any{"name": x.name[strings.LastIndex(x.name, "/")+1:],
				"full_name": x.name, "clone_url": x.cloneURL, "fork": x.fork,
				"archived": x.archived})
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, f
}

// newFakeGitLab serves GET /api/v4/groups/GROUP/projects in pages of two, refusing the
// first request with 429 and Retry-After.
func newFakeGitLab(t *testing.T, group string, repos []fakeRepo) (*httptest.Server, *fakeAPI) {
	f := &fakeAPI{pageSize: 2, repos: repos, rateLimit: func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"429 Too Many Requests"}`)
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v4/groups/"+group+"/projects" ||
			r.URL.Query().Get("include_subgroups") != "true" {
			http.NotFound(w, r)
			return
		}
		rs, next, ok := f.page(w, r)
		if !ok {
			return
		}
		if next > 0 {
			w.Header().Set("X-Next-Page", strconv.Itoa(next))
		}
		var out []map[string]any
		for i, x := range rs {
			p := map[string]any{"id": i + 1, "path_with_namespace": x.name,
				"http_url_to_repo": x.cloneURL, "archived": x.archived}
			if x.fork {
				p["forked_from_project"] = map[string]any{"id": 99}
			}
			out = append(out, p)
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, f
}
