package gitscan

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const awsRule = "aws-access-key-id"

// TestHistory builds small repositories and checks every finding with its exact commit, path
// and position.
func TestHistory(t *testing.T) {
	tests := []struct {
		name  string
		build func(r *testRepo) []where
	}{
		{"added then removed", func(r *testRepo) []where {
			r.write("README", "hello\n")
			r.commit("start")
			r.write("config.ini", "[aws]\nid = "+fakeKey(1)+"\n")
			c := r.commit("add config")
			r.write("config.ini", "[aws]\nid = from-env\n")
			r.commit("remove key")
			return []where{{awsRule, "config.ini", c, 2, 6}}
		}},
		{"only on an unmerged branch", func(r *testRepo) []where {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.git("checkout", "-q", "-b", "feature")
			r.write("b.txt", "key: "+fakeKey(2)+"\n")
			c := r.commit("wip")
			r.git("checkout", "-q", "main")
			r.write("a.txt", "a2\n")
			r.commit("main moves on")
			return []where{{awsRule, "b.txt", c, 1, 6}}
		}},
		{"only in a tag", func(r *testRepo) []where {
			r.write("a.txt", "a\n")
			r.commit("start")
			r.git("checkout", "-q", "--detach")
			r.write("release.env", "AWS_KEY="+fakeKey(3)+"\n")
			c := r.commit("release build")
			r.git("tag", "-a", "v1", "-m", "v1")
			r.git("checkout", "-q", "main")
			return []where{{awsRule, "release.env", c, 1, 9}}
		}},
		{"added in a merge resolution", func(r *testRepo) []where {
			r.write("app.conf", "name = app\nmode = dev\n")
			r.commit("start")
			r.git("checkout", "-q", "-b", "side")
			r.write("app.conf", "name = app\nmode = side\n")
			r.commit("side")
			r.git("checkout", "-q", "main")
			r.write("app.conf", "name = app\nmode = main\n")
			r.commit("main")
			r.git("merge", "-q", "side", "-m", "merge", "--no-ff", "-s", "ours")
			r.write("app.conf", "name = app\nmode = both\nkey = "+fakeKey(4)+"\n")
			r.git("add", "-A")
			r.git("commit", "-q", "--amend", "--no-edit")
			m := r.git("rev-parse", "HEAD")
			return []where{{awsRule, "app.conf", m, 3, 7}}
		}},
		{"renamed after the secret was added", func(r *testRepo) []where {
			r.write("old/keys.txt", "k="+fakeKey(5)+"\n")
			c := r.commit("add")
			r.git("mv", "old/keys.txt", "new-keys.txt")
			r.commit("rename")
			r.write("new-keys.txt", "# moved\nk="+fakeKey(5)+"\n")
			r.commit("edit after rename")
			return []where{{awsRule, "old/keys.txt", c, 1, 3}}
		}},
		{"deleted file", func(r *testRepo) []where {
			r.write("tmp/dump.sql", "-- "+fakeKey(6)+"\n")
			c := r.commit("dump")
			r.git("rm", "-q", "-r", "tmp")
			r.commit("delete dump")
			return []where{{awsRule, "tmp/dump.sql", c, 1, 4}}
		}},
		{"copied into a second file later", func(r *testRepo) []where {
			r.write("a.env", "K="+fakeKey(7)+"\n")
			c1 := r.commit("a")
			r.write("b.env", "X=1\nK="+fakeKey(7)+"\n")
			c2 := r.commit("b")
			return []where{{awsRule, "a.env", c1, 1, 3}, {awsRule, "b.env", c2, 2, 3}}
		}},
		{"line moved down later", func(r *testRepo) []where {
			r.write("s.py", "KEY = '"+fakeKey(8)+"'\n")
			c := r.commit("add")
			r.write("s.py", "import os\n\n\nKEY = '"+fakeKey(8)+"'\n")
			r.commit("imports")
			return []where{{awsRule, "s.py", c, 1, 8}}
		}},
		{"in a commit message", func(r *testRepo) []where {
			r.write("a.txt", "a\n")
			c := r.commit("rotate key\n\nold one was " + fakeKey(9))
			return []where{{awsRule, "", c, 3, 13}}
		}},
		{"CRLF and CR line ends", func(r *testRepo) []where {
			r.write("win.txt", "one\r\ntwo\r\nkey="+fakeKey(10)+"\r\n")
			r.write("mac.txt", "one\rtwo\rthree\rkey="+fakeKey(11)+"\r")
			c := r.commit("line ends")
			return []where{{awsRule, "mac.txt", c, 4, 5}, {awsRule, "win.txt", c, 3, 5}}
		}},
		{"UTF-16 with and without BOM", func(r *testRepo) []where {
			r.write("le.txt", utf16LE("\ufeffline one\nkey = "+fakeKey(12)+"\n"))
			r.write("be.txt", utf16BE("x\ny\nkey = "+fakeKey(13)+"\n"))
			c := r.commit("utf16")
			return []where{{awsRule, "be.txt", c, 3, 7}, {awsRule, "le.txt", c, 2, 7}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			want := tt.build(r)
			got, _, err := scanRepo(t, r.dir, Options{})
			if err != nil {
				t.Fatalf("scan: %v", err)
			}
			sortWheres(want)
			gw := wheres(got)
			sortWheres(gw)
			if diff := cmp.Diff(want, gw, cmp.AllowUnexported(where{})); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func sortWheres(ws []where) {
	slices.SortFunc(ws, func(a, b where) int { return strings.Compare(a.path, b.path) })
}

func utf16LE(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

func utf16BE(s string) string {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}

func TestSkippedContent(t *testing.T) {
	r := newTestRepo(t)
	r.write("bin.dat", "\x00\x01"+fakeKey(20)+"\x00")
	r.write("big.psd", "version https://git-lfs.github.com/spec/v1\n"+
		"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"+
		"size 12345\n")
	r.write("huge.txt", strings.Repeat("x", 2000)+fakeKey(21))
	r.write("ok.txt", "fine\n")
	r.commit("content")
	got, st, err := scanRepo(t, r.dir, Options{MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("got %d findings, want 0: %v", len(got), wheres(got))
	}
	want := map[string]int{"binary": 1, "lfs-pointer": 1, "too-large": 1}
	if diff := cmp.Diff(want, st.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}

func TestEachBlobScannedOnce(t *testing.T) {
	r := newTestRepo(t)
	r.write("a/x.txt", "k="+fakeKey(30)+"\n")
	r.write("b/x.txt", "k="+fakeKey(30)+"\n")
	r.commit("two paths, one blob")
	r.write("c.txt", "c\n")
	r.commit("more")
	r.git("branch", "other")
	got, st, err := scanRepo(t, r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Blobs != 2 {
		t.Errorf("blobs scanned = %d, want 2", st.Blobs)
	}
	if len(got) != 2 {
		t.Errorf("findings = %d, want one per path (2)", len(got))
	}
}

func TestEmptyRepository(t *testing.T) {
	r := newTestRepo(t)
	got, st, err := scanRepo(t, r.dir, Options{})
	if err != nil || !st.Empty || len(got) != 0 {
		t.Errorf("empty repo: err %v, empty %v, findings %d; want nil, true, 0",
			err, st.Empty, len(got))
	}
}

func TestCorruptObject(t *testing.T) {
	r := newTestRepo(t)
	r.write("good.txt", "k="+fakeKey(40)+"\n")
	r.write("bad.txt", "k="+fakeKey(41)+"\n")
	c := r.commit("two keys")
	bad := r.git("rev-parse", "HEAD:bad.txt")
	corruptLoose(t, r.dir, bad)

	got, st, err := scanRepo(t, r.dir, Options{})
	if !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want ErrIncomplete", err)
	}
	if len(st.Errors) != 1 || !strings.Contains(st.Errors[0], bad) ||
		!strings.Contains(st.Errors[0], "bad.txt") {
		t.Errorf("errors = %q, want one naming %s and bad.txt", st.Errors, bad)
	}
	want := []where{{awsRule, "good.txt", c, 1, 3}}
	if diff := cmp.Diff(want, wheres(got), cmp.AllowUnexported(where{})); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestRangeAndDepth(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", "k="+fakeKey(50)+"\n")
	c1 := r.commit("one")
	r.write("b.txt", "k="+fakeKey(51)+"\n")
	c2 := r.commit("two")
	r.write("c.txt", "k="+fakeKey(52)+"\n")
	c3 := r.commit("three")

	tests := []struct {
		name string
		opts Options
		want []string
	}{
		{"since commit", Options{SinceCommit: c1}, []string{c2, c3}},
		{"range", Options{Range: c1 + ".." + c2}, []string{c2}},
		{"max depth", Options{MaxDepth: 1}, []string{c3}},
		{"ref", Options{Refs: []string{"main"}}, []string{c1, c2, c3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := scanRepo(t, r.dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var commits []string
			for _, f := range got {
				commits = append(commits, f.Commit)
			}
			if diff := cmp.Diff(tt.want, commits); diff != "" {
				t.Errorf("commits (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMessageSecretMasked checks that a secret in a commit message does not reach the
// message field of that commit's findings, where reports print it unredacted.
func TestMessageSecretMasked(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.env", "K="+fakeKey(80)+"\n")
	r.commit("add key " + fakeKey(81) + " by mistake")
	got, _, err := scanRepo(t, r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("findings = %v, want the file's and the message's", wheres(got))
	}
	for _, f := range got {
		if strings.Contains(f.Message, fakeKey(81)) || !strings.Contains(f.Message, "[REDACTED]") {
			t.Errorf("%s finding's message = %q, want the secret masked", f.Path, f.Message)
		}
	}
}
