package sweep

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/internal/fixture"
	"github.com/leakhound/leakhound/internal/pgtest"
	"github.com/leakhound/leakhound/store"
)

// world is a set of local bare repositories behind a fake GitHub and a fake GitLab.
type world struct {
	dir            string
	github, gitlab string // API URLs
	ghAPI, glAPI   *fakeAPI
	ghKey, glKey   string // API tokens
	planted        map[string]planted
}

// planted is a synthetic credential committed to a repository.
type planted struct {
	repoURL, path, commit, raw string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{dir: t.TempDir(), planted: map[string]planted{},
		ghKey: "ghs" + strings.Repeat("K", 9) + "apikey", glKey: "glpat" + strings.Repeat("L", 9)}
	url := func(name string) string { return "file://" + filepath.Join(w.dir, name+".git") }
	w.plant(t, "api", "config/prod.env", 1)
	w.bare(t, "web", []fixture.Commit{{Files: map[string]string{"index.html": "<p>hi</p>\n"}}})
	w.plant(t, "api-fork", "config/prod.env", 2)
	w.plant(t, "old", "old.txt", 3)
	fixture.Git(t, w.dir, "init", "-q", "--bare", "empty.git")
	w.plant(t, "svc", "deploy/values.yaml", 4)
	w.plant(t, "lib", "src/keys.go", 5)

	gh, ghAPI := newFakeGitHub(t, "acme", []fakeRepo{
		{name: "acme/api", cloneURL: url("api")},
		{name: "acme/web", cloneURL: url("web")},
		{name: "acme/api-fork", cloneURL: url("api-fork"), fork: true},
		{name: "acme/old", cloneURL: url("old"), archived: true},
		{name: "acme/empty", cloneURL: url("empty")},
		{name: "acme/gone", cloneURL: url("gone")},
	})
	gl, glAPI := newFakeGitLab(t, "acme-gl", []fakeRepo{
		{name: "acme-gl/sub/svc", cloneURL: url("svc")},
		{name: "acme-gl/sub/deeper/lib", cloneURL: url("lib")},
		{name: "acme-gl/web", cloneURL: url("web")}, // the same URL as on GitHub
	})
	w.github, w.gitlab, w.ghAPI, w.glAPI = gh.URL+"/api/v3/", gl.URL, ghAPI, glAPI
	return w
}

func (w *world) bare(t *testing.T, name string, commits []fixture.Commit) []string {
	return fixture.BareRepo(t, filepath.Join(w.dir, name+".git"), commits)
}

// plant makes a repository whose second commit adds a credential at path.
func (w *world) plant(t *testing.T, name, path string, seed uint64) {
	raw := fixture.GitHubPAT(seed)
	hs := w.bare(t, name, []fixture.Commit{
		{Files: map[string]string{"README.md": "# " + name + "\n"}},
		{Files: map[string]string{path: "GH=" + raw + "\n"}, Message: "add config"},
		{Files: map[string]string{"README.md": "# " + name + "\nmore\n"}},
	})
	u := "file://" + filepath.Join(w.dir, name+".git")
	w.planted[u] = planted{repoURL: u, path: path, commit: hs[1], raw: raw}
}

func (w *world) sources(t *testing.T, log *slog.Logger) []Source {
	rl := RateLimitOptions{Logger: log}
	gh, err := GitHubOrg(GitHubOptions{APIURL: w.github, Token: w.ghKey, RateLimit: rl}, "acme")
	if err != nil {
		t.Fatal(err)
	}
	gl, err := GitLabGroup(GitLabOptions{URL: w.gitlab, Token: w.glKey, RateLimit: rl},
		"acme-gl")
	if err != nil {
		t.Fatal(err)
	}
	return []Source{gh, gl}
}

// forEachStore runs test on a new store of each backend: a SQLite file and a PostgreSQL
// database.
func forEachStore(t *testing.T, test func(t *testing.T, st store.Store)) {
	targets := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "store.db") },
		"postgres": func(t *testing.T) string { return pgtest.URL(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			st, err := store.Open(context.Background(), targets[name](t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			test(t, st)
		})
	}
}

func testEngine(t *testing.T) *detectors.Engine {
	eng, err := detectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func outcomes(res *Result) map[string]string {
	out := map[string]string{}
	for _, o := range res.Outcomes {
		out[o.Repo.Name] = o.Status
	}
	return out
}

// TestSweepFindsPlantedSecrets sweeps a fake GitHub organisation and GitLab group twice. The
// first sweep waits out a rate limit on each API, pages through both, leaves out the fork
// and the archived repository, records the empty and the missing one, and finds each planted
// credential in the right repository, path and commit. The second finds every repository
// unchanged.
func TestSweepFindsPlantedSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out two rate limits")
	}
	forEachStore(t, testSweepFindsPlantedSecrets)
}

func testSweepFindsPlantedSecrets(t *testing.T, st store.Store) {
	ctx := context.Background()
	w := newWorld(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := Options{Sources: w.sources(t, log), Store: st, Engine: testEngine(t),
		RulesVersion: "test-1", CacheDir: filepath.Join(w.dir, "cache"), Jobs: 3, Logger: log}

	res, err := Run(ctx, opts)
	if err != nil {
		t.Fatalf("first sweep: %v", err)
	}
	want := map[string]string{"acme/api": "scanned", "acme/web": "scanned",
		"acme/api-fork": "skipped", "acme/old": "skipped", "acme/empty": "empty",
		"acme/gone": "failed", "acme-gl/sub/svc": "scanned", "acme-gl/sub/deeper/lib": "scanned"}
	if got := outcomes(res); !equalMaps(got, want) {
		t.Errorf("first sweep outcomes:\n got %v\nwant %v", got, want)
	}
	checkFindings(t, st, w, []string{"api", "svc", "lib"})
	if !strings.Contains(logs.String(), "api rate limited, waiting") ||
		w.ghAPI.requests < 4 || w.glAPI.requests < 3 {
		t.Errorf("rate limits: got %d github and %d gitlab requests, logs:\n%s",
			w.ghAPI.requests, w.glAPI.requests, logs.String())
	}
	for _, a := range append(w.ghAPI.auth, w.glAPI.auth...) {
		if !strings.Contains(a, w.ghKey) && !strings.Contains(a, w.glKey) {
			t.Errorf("an API request carried auth %q, want a token", a)
		}
	}

	opts.Sources = w.sources(t, log)
	res2, err := Run(ctx, opts)
	if err != nil {
		t.Fatalf("second sweep: %v", err)
	}
	for name, status := range outcomes(res2) {
		if want[name] == "scanned" && status != "unchanged" {
			t.Errorf("second sweep: %s %s, want unchanged", name, status)
		}
	}
	if res2.Counts.NewFindings != 0 {
		t.Errorf("second sweep: %d new findings, want 0", res2.Counts.NewFindings)
	}
	seen, _ := st.Findings(ctx, store.Filter{SeenIn: res2.Sweep})
	if len(seen) != 3 {
		t.Errorf("second sweep: %d findings seen, want 3", len(seen))
	}
	if strings.Contains(logs.String(), w.ghKey) || strings.Contains(logs.String(), w.glKey) {
		t.Errorf("a token reached the log")
	}
}

// checkFindings wants exactly one finding per named repository, at the planted place.
func checkFindings(t *testing.T, st store.Store, w *world, names []string) {
	t.Helper()
	fs, err := st.Findings(context.Background(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != len(names) {
		t.Errorf("got %d findings, want %d: %+v", len(fs), len(names), fs)
	}
	byRepo := map[string]store.Finding{}
	for _, f := range fs {
		byRepo[f.Repository] = f
	}
	for _, n := range names {
		p := w.planted["file://"+filepath.Join(w.dir, n+".git")]
		f, ok := byRepo[p.repoURL]
		if !ok {
			t.Errorf("%s: no finding", n)
			continue
		}
		if f.Path != p.path || f.Commit != p.commit || f.RuleID != "github-pat" ||
			f.Line != 1 || f.Status != store.StatusOpen {
			t.Errorf("%s: got %s:%d in %s (%s, %s); want %s:1 in %s", n, f.Path, f.Line,
				f.Commit, f.RuleID, f.Status, p.path, p.commit)
		}
		if f.Redacted != p.raw[:4]+"********" || strings.Contains(f.Redacted, p.raw) {
			t.Errorf("%s: stored secret %q is not redacted", n, f.Redacted)
		}
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSweepSkipsCleanBlobsAcrossRepos sweeps a repository and its copy: the copy's clean
// blobs are not scanned again, yet its finding is attributed to it. A new commit then makes
// only that repository scan again.
func TestSweepSkipsCleanBlobsAcrossRepos(t *testing.T) {
	forEachStore(t, testSweepSkipsCleanBlobsAcrossRepos)
}

func testSweepSkipsCleanBlobsAcrossRepos(t *testing.T, st store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	raw := fixture.GitHubPAT(9)
	commits := []fixture.Commit{
		{Files: map[string]string{"a.txt": "one\n", "b.txt": "two\n"}},
		{Files: map[string]string{"c.env": "K=" + raw + "\n"}},
	}
	fixture.BareRepo(t, filepath.Join(dir, "orig.git"), commits)
	fixture.BareRepo(t, filepath.Join(dir, "copy.git"), commits)
	urls := []string{"file://" + filepath.Join(dir, "orig.git"),
		"file://" + filepath.Join(dir, "copy.git")}
	opts := Options{Sources: []Source{URLs(urls)}, Store: st, Engine: testEngine(t),
		RulesVersion: "v", CacheDir: filepath.Join(dir, "cache"), Jobs: 1}
	res, err := Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	o1, o2 := res.Outcomes[0], res.Outcomes[1]
	if o1.Blobs != 3 || o2.Blobs != 1 || o2.Known != 2 || o1.New != 1 || o2.New != 1 {
		t.Errorf("got orig %+v, copy %+v; want copy to read 1 blob, skip 2, 1 new finding",
			o1, o2)
	}

	work := filepath.Join(dir, "w")
	fixture.Git(t, dir, "clone", "-q", urls[1], work)
	fixture.AddCommits(t, work, []fixture.Commit{{Files: map[string]string{"d.txt": "x\n"}}})
	fixture.Git(t, work, "push", "-q", "origin", "HEAD")
	res, err = Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	o1, o2 = res.Outcomes[0], res.Outcomes[1]
	if o1.Status != "unchanged" || o2.Status != "scanned" || o2.Findings != 1 || o2.New != 0 {
		t.Errorf("after a push: got orig %+v, copy %+v", o1, o2)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache")); err != nil {
		t.Errorf("mirror cache: %v", err)
	}
}

// TestSweepMirrorsRepoWithDanglingHEAD sweeps a repository whose HEAD names a branch that
// does not exist, which a plain clone refuses.
func TestSweepMirrorsRepoWithDanglingHEAD(t *testing.T) {
	forEachStore(t, testSweepMirrorsRepoWithDanglingHEAD)
}

func testSweepMirrorsRepoWithDanglingHEAD(t *testing.T, st store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	bare := filepath.Join(dir, "r.git")
	fixture.BareRepo(t, bare, []fixture.Commit{{Files: map[string]string{
		"k.env": "K=" + fixture.GitHubPAT(7) + "\n"}}})
	fixture.Git(t, bare, "symbolic-ref", "HEAD", "refs/heads/nowhere")
	res, err := Run(ctx, Options{Sources: []Source{URLs([]string{"file://" + bare})},
		Store: st, Engine: testEngine(t), RulesVersion: "v", CacheDir: filepath.Join(dir, "c")})
	if err != nil {
		t.Fatal(err)
	}
	if o := res.Outcomes[0]; o.Status != "scanned" || o.Findings != 1 {
		t.Errorf("got %+v, want scanned with 1 finding", o)
	}
}
