package gitscan

import (
	"testing"
)

func TestRefsOfEveryKind(t *testing.T) {
	tests := []struct {
		name  string
		build func(r *testRepo) (commitOf func() string, path string)
	}{
		{"stash", func(r *testRepo) (func() string, string) {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.write("a.txt", "a\nkey="+fakeKey(60)+"\n")
			r.git("stash", "push", "-q", "-m", "wip")
			return func() string { return r.git("rev-parse", "refs/stash") }, "a.txt"
		}},
		{"older stash entry", func(r *testRepo) (func() string, string) {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.write("b.txt", "key="+fakeKey(61)+"\n")
			r.git("add", "b.txt")
			r.git("stash", "push", "-q", "-m", "first")
			c := r.git("rev-parse", "refs/stash")
			r.write("a.txt", "a changed\n")
			r.git("stash", "push", "-q", "-m", "second")
			// The finding is in the stash's index commit, the second parent of stash@{1}.
			return func() string { return r.git("rev-parse", c+"^2") }, "b.txt"
		}},
		{"remote-tracking ref", func(r *testRepo) (func() string, string) {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.git("checkout", "-q", "-b", "tmp")
			r.write("r.txt", "key="+fakeKey(62)+"\n")
			c := r.commit("remote work")
			r.git("update-ref", "refs/remotes/origin/feature", c)
			r.git("checkout", "-q", "main")
			r.git("branch", "-q", "-D", "tmp")
			return func() string { return c }, "r.txt"
		}},
		{"detached HEAD", func(r *testRepo) (func() string, string) {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.git("checkout", "-q", "--detach")
			r.write("d.txt", "key="+fakeKey(63)+"\n")
			c := r.commit("detached")
			return func() string { return c }, "d.txt"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			commitOf, path := tt.build(r)
			got, _, err := scanRepo(t, r.dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Path != path || got[0].Commit != commitOf() {
				t.Errorf("findings = %v, want one at %s in %s", wheres(got), path, commitOf())
			}
		})
	}
}

func TestShallowClone(t *testing.T) {
	src := newTestRepo(t)
	src.write("old.txt", "key="+fakeKey(70)+"\n")
	src.commit("old")
	src.write("new.txt", "key="+fakeKey(71)+"\n")
	c := src.commit("new")

	dst := newTestRepo(t)
	dst.git("fetch", "-q", "--depth=1", "file://"+src.dir, "main:shallow")
	got, st, err := scanRepo(t, dst.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Shallow {
		t.Error("Shallow = false, want true")
	}
	// The boundary commit holds both files; history before it is absent.
	if len(got) != 2 || got[0].Commit != c || got[1].Commit != c {
		t.Errorf("findings = %v, want new.txt and old.txt in %s", wheres(got), c)
	}
}
