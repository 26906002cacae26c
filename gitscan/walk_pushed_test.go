package gitscan

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/finding"
)

const zeroSHA = "0000000000000000000000000000000000000000"

// pushRepo makes a repository whose main, holding an old secret, is pushed to a bare remote
// "origin", and returns it with main's commit.
func pushRepo(t *testing.T) (*testRepo, string) {
	r := newTestRepo(t)
	remote := filepath.Join(t.TempDir(), "remote.git")
	runGit(t, r.dir, r.env, "init", "-q", "--bare", remote)
	r.git("remote", "add", "origin", remote)
	r.write("old.txt", "k = "+testKey+"\n")
	r.commit("old secret")
	r.write("b.txt", "b\n")
	main := r.commit("c2")
	r.git("push", "-q", "origin", "main")
	return r, main
}

// scanPush plans and scans a push of lines and returns the findings.
func (r *testRepo) scanPush(lines string) ([]*finding.Finding, *Stats, error) {
	r.t.Helper()
	repo, err := Open(r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	defer repo.Close()
	ups, err := ParsePushUpdates(strings.NewReader(lines))
	if err != nil {
		return nil, nil, err
	}
	plan, err := repo.PlanPush(ups, "origin")
	if err != nil {
		return nil, nil, err
	}
	if len(plan.Tips) == 0 {
		return nil, &Stats{}, nil
	}
	var got []*finding.Finding
	st, err := repo.Scan(context.Background(), testEngine(r.t), Options{Commits: plan.Tips,
		Exclude: plan.Exclude, KnownAtBoundary: true}, func(f *finding.Finding) error {
		got = append(got, f)
		return nil
	})
	return got, st, err
}

func TestScanPush(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(r *testRepo, main string) string // returns the pre-push lines
		want    []string                              // "path:line@commit-subject"
		commits int
	}{
		{"new branch", func(r *testRepo, main string) string {
			r.git("checkout", "-q", "-b", "feature")
			r.write("c.txt", "c\n")
			r.commit("f1")
			r.write("new.txt", "x\nk = "+testKey2+"\n")
			tip := r.commit("f2")
			return "refs/heads/feature " + tip + " refs/heads/feature " + zeroSHA
		}, []string{"new.txt:2@f2"}, 2},
		{"update", func(r *testRepo, main string) string {
			r.write("new.txt", testKey2+"\n")
			tip := r.commit("u1")
			return "refs/heads/main " + tip + " refs/heads/main " + main
		}, []string{"new.txt:1@u1"}, 1},
		{"edit beside an old secret", func(r *testRepo, main string) string {
			r.write("old.txt", "k = "+testKey+"\nmore\n")
			tip := r.commit("e1")
			return "refs/heads/main " + tip + " refs/heads/main " + main
		}, nil, 1},
		{"force push", func(r *testRepo, main string) string {
			r.git("reset", "-q", "--hard", "HEAD~1")
			r.write("forced.txt", testKey2+"\n")
			tip := r.commit("rewritten")
			return "refs/heads/main " + tip + " refs/heads/main " + main
		}, []string{"forced.txt:1@rewritten"}, 1},
		{"deletion", func(r *testRepo, main string) string {
			return "(delete) " + zeroSHA + " refs/heads/main " + main
		}, nil, 0},
		{"nothing new", func(r *testRepo, main string) string {
			return "refs/heads/main " + main + " refs/heads/main " + main
		}, nil, 0},
		{"annotated tag on a pushed commit", func(r *testRepo, main string) string {
			r.git("tag", "-a", "-m", "v1", "v1")
			tag := r.git("rev-parse", "v1")
			return "refs/tags/v1 " + tag + " refs/tags/v1 " + zeroSHA
		}, nil, 0},
		{"tag on a new commit", func(r *testRepo, main string) string {
			r.git("checkout", "-q", "--detach")
			r.write("t.txt", testKey2+"\n")
			r.commit("tagged")
			r.git("tag", "-a", "-m", "v2", "v2")
			tag := r.git("rev-parse", "v2")
			return "refs/tags/v2 " + tag + " refs/tags/v2 " + zeroSHA
		}, []string{"t.txt:1@tagged"}, 1},
		{"push to a URL without tracking refs", func(r *testRepo, main string) string {
			r.git("update-ref", "-d", "refs/remotes/origin/main")
			return "refs/heads/main " + main + " refs/heads/other " + zeroSHA
		}, []string{"old.txt:1@old secret"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, main := pushRepo(t)
			lines := tt.setup(r, main)
			got, st, err := r.scanPush(lines + "\n")
			if err != nil {
				t.Fatalf("scan push: %v", err)
			}
			var gotS []string
			for _, f := range got {
				gotS = append(gotS, fmt.Sprintf("%s:%d@%s", f.Path, f.Line, f.Message))
			}
			if fmt.Sprint(gotS) != fmt.Sprint(tt.want) {
				t.Errorf("got findings %v, want %v", gotS, tt.want)
			}
			if st.Commits != tt.commits {
				t.Errorf("got %d commits scanned, want %d", st.Commits, tt.commits)
			}
		})
	}
}

func TestScanPushFailsClosed(t *testing.T) {
	r, main := pushRepo(t)
	missing := strings.Repeat("ab", 20)
	for _, lines := range []string{
		"refs/heads/main " + missing + " refs/heads/main " + main + "\n",
		"refs/heads/main garbage\n",
	} {
		if _, _, err := r.scanPush(lines); err == nil {
			t.Errorf("push %q: got no error, want one", lines)
		}
	}
}
