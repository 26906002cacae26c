package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakhound/leakhound/internal/fixture"
	"github.com/leakhound/leakhound/report"
	"github.com/leakhound/leakhound/store"
)

// plantRepo makes a bare repository whose second commit adds a synthetic credential at
// cfg/NAME.env among a few ordinary files, and returns its URL and that commit.
func plantRepo(t *testing.T, dir, name string, seed uint64) (string, string) {
	t.Helper()
	files := map[string]string{}
	for i := range 20 {
		files[fmt.Sprintf("src/f%02d.go", i)] = fmt.Sprintf("package src\n\nvar x%d = %d\n", i, seed)
	}
	hs := fixture.BareRepo(t, filepath.Join(dir, name+".git"), []fixture.Commit{
		{Files: files},
		{Files: map[string]string{"cfg/" + name + ".env": "GH=" + fixture.GitHubPAT(seed) + "\n"}},
		{Files: map[string]string{"src/f00.go": "package src\n"}},
	})
	return "file://" + filepath.Join(dir, name+".git"), hs[1]
}

// fakeHosts serves one GitHub organisation and one GitLab group, one repository each, and
// records the Authorization headers it saw.
func fakeHosts(t *testing.T, ghRepo, glRepo string, auth *[]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*auth = append(*auth, r.Header.Get("Authorization")+r.Header.Get("Private-Token"))
		switch r.URL.Path {
		case "/api/v3/orgs/acme/repos":
			fmt.Fprintf(w, `[{"full_name":"acme/api","clone_url":%q}]`, ghRepo)
		case "/api/v4/groups/grp/projects":
			fmt.Fprintf(w, `[{"id":1,"path_with_namespace":"grp/svc","http_url_to_repo":%q}]`,
				glRepo)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestSweepKeepsTokensOut sweeps with both API tokens set, debug logging on, a repository
// URL carrying a password that cannot be cloned, and reports in two formats: neither token,
// the password nor a planted credential appears in stderr, stdout, a report or the store.
func TestSweepKeepsTokensOut(t *testing.T) {
	dir := t.TempDir()
	ghURL, _ := plantRepo(t, dir, "api", 21)
	glURL, _ := plantRepo(t, dir, "svc", 22)
	var auth []string
	srv := fakeHosts(t, ghURL, glURL, &auth)
	ghKey := "ghs_" + strings.Repeat("Q", 8) + "tok" + "567"
	glKey := "glpat-" + strings.Repeat("W", 8) + "tok"
	pw := "pw" + strings.Repeat("E", 10)
	env := map[string]string{"GITHUB_TOKEN": ghKey, "GITLAB_TOKEN": glKey}
	storePath := filepath.Join(dir, "s.db")
	run := func(format, reportPath string) (int, string) {
		var out, errb bytes.Buffer
		code := execute(context.Background(), &environ{stdin: strings.NewReader(""),
			stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }},
			[]string{"sweep", "--github-org", "acme", "--github-api-url", srv.URL + "/api/v3/",
				"--gitlab-group", "grp", "--gitlab-url", srv.URL,
				"--repo", "http://bob:" + pw + "@127.0.0.1:1/x.git",
				"--store", storePath, "--cache-dir", filepath.Join(dir, "cache"),
				"--log-level", "debug", "-f", format, "-r", reportPath, "-r", "-"})
		return code, out.String() + errb.String()
	}
	code1, out1 := run("json", filepath.Join(dir, "r.json"))
	code2, out2 := run("text", filepath.Join(dir, "r.txt"))
	if code1 != exitFindings || code2 != exitFindings {
		t.Fatalf("exit codes %d and %d, want 1 twice; output:\n%s\n%s", code1, code2, out1,
			out2)
	}
	if !strings.Contains(out1, "failed     x (http://127.0.0.1:1/x.git)") ||
		!strings.Contains(out2, "unchanged  acme/api") {
		t.Errorf("summaries do not list every repository:\n%s\n%s", out1, out2)
	}
	texts := map[string]string{"output 1": out1, "output 2": out2}
	for _, p := range []string{"r.json", "r.txt", "s.db", "s.db-wal", "s.db-shm"} {
		b, _ := os.ReadFile(filepath.Join(dir, p))
		texts[p] = string(b)
	}
	leaks := map[string]string{"github token": ghKey, "gitlab token": glKey, "password": pw,
		"planted credential": fixture.GitHubPAT(21)}
	for where, text := range texts {
		for what, s := range leaks {
			if strings.Contains(text, s) {
				t.Errorf("%s holds the %s", where, what)
			}
		}
	}
	if !strings.Contains(strings.Join(auth, " "), ghKey) ||
		!strings.Contains(strings.Join(auth, " "), glKey) {
		t.Errorf("the APIs never saw their tokens: %q", auth)
	}
}

// TestSweepResumesAfterKill starts sweeps of a built binary and kills each with SIGKILL at a
// different moment, then lets one finish: every repository is scanned, and every planted
// credential is recorded once, attributed to its commit, and reported by the last sweep.
func TestSweepResumesAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs several sweeps")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "leakhound")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const n = 16
	commits := map[string]string{}
	var list strings.Builder
	for i := range n {
		u, c := plantRepo(t, dir, fmt.Sprintf("r%02d", i), uint64(100+i))
		commits[u] = c
		fmt.Fprintln(&list, u)
	}
	listPath := filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(listPath, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	storePath := filepath.Join(dir, "s.db")
	args := []string{"sweep", "--repos-file", listPath, "--store", storePath, "--cache-dir",
		filepath.Join(dir, "cache"), "--jobs", "2", "--log-level", "info", "--new-only",
		"-f", "json"}
	for _, kill := range []string{"started", "repository scanned", "40ms", "150ms",
		"repository scanned"} {
		killSweep(t, bin, args, kill)
	}
	// The last sweep reports every open finding it saw, not only new ones: on a fast machine
	// one of the sweeps above may have finished before its kill, and then nothing is new.
	final := slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "--new-only" })
	out, err := exec.Command(bin, final...).Output()
	if code := exitCode(err); code != exitFindings {
		t.Fatalf("final sweep: exit %d (%v), want 1", code, err)
	}
	var reported []report.Record
	if err := json.Unmarshal(out, &reported); err != nil || len(reported) != n {
		t.Errorf("final sweep reported %d findings (%v), want %d", len(reported), err, n)
	}
	checkStore(t, storePath, commits)
}

// killSweep starts a sweep and kills it when its stderr shows when, or after when as a
// duration.
func killSweep(t *testing.T, bin string, args []string, when string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if d, err := time.ParseDuration(when); err == nil {
		time.Sleep(d)
	} else {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() && !strings.Contains(sc.Text(), when) {
		}
	}
	cmd.Process.Kill() // SIGKILL
	go io.Copy(io.Discard, stderr)
	cmd.Wait()
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// checkStore wants every repository scanned and one finding per repository at its commit.
func checkStore(t *testing.T, path string, commits map[string]string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs, err := st.Findings(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != len(commits) {
		t.Errorf("got %d findings, want %d", len(fs), len(commits))
	}
	byRepo := map[string]int{}
	for _, f := range fs {
		byRepo[f.Repository]++
		if f.Commit != commits[f.Repository] {
			t.Errorf("%s: finding in commit %s, want %s", f.Repository, f.Commit,
				commits[f.Repository])
		}
	}
	for u := range commits {
		r, err := st.Repository(ctx, u)
		if err != nil || r.Status != store.RepoScanned || byRepo[u] != 1 {
			t.Errorf("%s: got %+v, %v, %d findings; want scanned with 1", u, r, err, byRepo[u])
		}
	}
}
