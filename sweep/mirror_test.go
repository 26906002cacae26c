package sweep

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/internal/fixture"
)

// TestMirrorRecoversFromEmptyRefFile checks that a mirror left with an empty ref file (a
// sweep killed while a fetch wrote it) is cloned again instead of failing every later sweep.
func TestMirrorRecoversFromEmptyRefFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	fixture.Git(t, dir, "init", "-q", "-b", "main", src)
	fixture.AddCommits(t, src, []fixture.Commit{{Files: map[string]string{"a.txt": "a\n"}}})
	m := &mirrors{dir: filepath.Join(dir, "cache")}
	r := &Repository{URL: "file://" + src, cloneURL: "file://" + src}

	mirror, err := m.sync(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	fixture.AddCommits(t, src, []fixture.Commit{{Files: map[string]string{"b.txt": "b\n"}}})
	ref := filepath.Join(mirror, "refs", "heads", "main")
	if err := os.WriteFile(ref, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	if _, err := m.sync(ctx, r); err != nil {
		t.Fatalf("sync after an empty ref file: %v", err)
	}
	tips, err := refTips(mirror)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSpace(fixture.Git(t, src, "rev-parse", "refs/heads/main"))
	if !strings.Contains(tips, want) {
		t.Errorf("mirror refs %s do not hold the remote's tip %s", tips, want)
	}
}
