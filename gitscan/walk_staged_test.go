package gitscan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScanStaged(t *testing.T) {
	key := "aws_key = " + testKey + "\n"
	tests := []struct {
		name  string
		setup func(r *testRepo)
		want  []string
	}{
		{"initial commit", func(r *testRepo) {
			r.write("a.txt", "hello\n"+key)
			r.git("add", "a.txt")
		}, []string{"a.txt:2"}},
		{"initial commit clean", func(r *testRepo) {
			r.write("a.txt", "hello\n")
			r.git("add", "a.txt")
		}, nil},
		{"secret only in worktree", func(r *testRepo) {
			r.write("a.txt", "one\n")
			r.commit("c1")
			r.write("a.txt", "one\ntwo\n")
			r.git("add", "a.txt")
			r.write("a.txt", "one\ntwo\n"+key)
		}, nil},
		{"secret staged, removed from worktree", func(r *testRepo) {
			r.write("a.txt", "one\n")
			r.commit("c1")
			r.write("a.txt", "one\n"+key)
			r.git("add", "a.txt")
			r.write("a.txt", "one\n")
		}, []string{"a.txt:2"}},
		{"old secret on untouched line", func(r *testRepo) {
			r.write("a.txt", key+"x\n")
			r.commit("c1")
			r.write("a.txt", key+"x\ny\n")
			r.git("add", "a.txt")
		}, nil},
		{"new secret below old one", func(r *testRepo) {
			r.write("a.txt", key+"x\n")
			r.commit("c1")
			r.write("a.txt", key+"x\nk2 = "+testKey2+"\n")
			r.git("add", "a.txt")
		}, []string{"a.txt:3"}},
		{"rename of file with old secret", func(r *testRepo) {
			r.write("dir/a.txt", "x\n"+key)
			r.commit("c1")
			r.mkdir("other")
			r.git("mv", "dir/a.txt", "other/b.txt")
		}, nil},
		{"rename and edit of file with old secret", func(r *testRepo) {
			r.write("a.txt", "x\ny\nz\n"+key)
			r.commit("c1")
			r.git("mv", "a.txt", "b.txt")
			r.write("b.txt", "x\ny\nz\n"+key+"w\n")
			r.git("add", "b.txt")
		}, nil},
		{"copy of old secret to a new file", func(r *testRepo) {
			r.write("a.txt", "x\ny\nz\n"+key)
			r.commit("c1")
			r.write("b.txt", key)
			r.git("add", "b.txt")
		}, []string{"b.txt:1"}},
		{"fifty files, secret in the last", func(r *testRepo) {
			r.write("keep.txt", "x\n")
			r.commit("c1")
			for i := range 50 {
				body := fmt.Sprintf("file %d\n", i)
				if i == 49 {
					body += key
				}
				r.write(fmt.Sprintf("d%d/f%02d.txt", i%7, i), body)
			}
			r.git("add", "-A")
		}, []string{"d0/f49.txt:2"}},
		{"diff.noprefix and external diff set", func(r *testRepo) {
			r.git("config", "diff.noprefix", "true")
			r.git("config", "diff.external", "false")
			r.git("config", "color.ui", "always")
			r.write("a.txt", "x\n")
			r.commit("c1")
			r.write("a.txt", "x\n"+key)
			r.git("add", "a.txt")
		}, []string{"a.txt:2"}},
		{"mode change only", func(r *testRepo) {
			r.write("run.sh", key)
			r.commit("c1")
			r.git("update-index", "--chmod=+x", "run.sh")
		}, nil},
		{"deletion", func(r *testRepo) {
			r.write("a.txt", key)
			r.commit("c1")
			r.git("rm", "-q", "a.txt")
		}, nil},
		{"binary file", func(r *testRepo) {
			r.write("bin.dat", "\x00\x01"+key)
			r.git("add", "bin.dat")
		}, nil},
		{"submodule update", func(r *testRepo) {
			r.write("a.txt", "x\n")
			c1 := r.commit("c1")
			r.git("update-index", "--add", "--cacheinfo", "160000,"+c1+",sub")
		}, nil},
		{"intent to add", func(r *testRepo) {
			r.write("a.txt", "x\n")
			r.commit("c1")
			r.write("n.txt", key)
			r.git("add", "-N", "n.txt")
		}, nil},
		{"index version 4", func(r *testRepo) {
			r.write("deep/er/a.txt", "x\n")
			r.commit("c1")
			r.git("update-index", "--index-version", "4")
			r.write("deep/er/b.txt", key)
			r.git("add", "deep/er/b.txt")
		}, []string{"deep/er/b.txt:1"}},
		{"crlf file", func(r *testRepo) {
			r.write("w.txt", "a\r\nb\r\n")
			r.commit("c1")
			r.write("w.txt", "a\r\nk = "+testKey+"\r\nb\r\n")
			r.git("add", "w.txt")
		}, []string{"w.txt:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			tt.setup(r)
			got, err := r.scanStaged(StagedOptions{})
			if err != nil {
				t.Fatalf("ScanStaged: %v", err)
			}
			if g, w := fmt.Sprint(places(got)), fmt.Sprint(tt.want); g != w {
				t.Errorf("got findings %s, want %s", g, w)
			}
		})
	}
}

func TestScanStagedLinkedWorktree(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "x\n")
	r.commit("c1")
	wt := filepath.Join(t.TempDir(), "wt")
	r.git("worktree", "add", "-q", wt)
	if err := os.WriteFile(filepath.Join(wt, "a.txt"), []byte("x\n"+testKey+"\n"),
		0o644); err != nil {
		t.Fatal(err)
	}
	runGit(t, wt, r.env, "add", "a.txt")
	got, err := (&testRepo{t: t, dir: wt, env: r.env}).scanStaged(StagedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := fmt.Sprint(places(got)); g != "[a.txt:2]" {
		t.Errorf("got %s, want [a.txt:2]", g)
	}
	main, err := r.scanStaged(StagedOptions{})
	if err != nil || len(main) != 0 {
		t.Errorf("main worktree: got %v, %v; want no findings", places(main), err)
	}
}

func TestScanStagedIndexFile(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "x\n")
	r.commit("c1")
	r.write("a.txt", "x\n"+testKey+"\n")
	alt := filepath.Join(t.TempDir(), "index")
	env := r.env
	r.env = append(env, "GIT_INDEX_FILE="+alt)
	r.git("read-tree", "HEAD")
	r.git("add", "a.txt")
	r.env = env
	got, err := r.scanStaged(StagedOptions{})
	if err != nil || len(got) != 0 {
		t.Fatalf("own index: got %v, %v; want none", places(got), err)
	}
	got, err = r.scanStaged(StagedOptions{IndexFile: alt})
	if err != nil || fmt.Sprint(places(got)) != "[a.txt:2]" {
		t.Errorf("GIT_INDEX_FILE index: got %v, %v; want [a.txt:2]", places(got), err)
	}
}

func TestScanStagedCorruptIndexFails(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "x\n")
	r.git("add", "a.txt")
	p := filepath.Join(r.dir, ".git", "index")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[20] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.scanStaged(StagedOptions{}); err == nil ||
		!strings.Contains(err.Error(), "checksum") {
		t.Errorf("got error %v, want a checksum error", err)
	}
}
