package gitscan

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/internal/fixture"
)

// mapCache is a BlobCache in memory.
type mapCache struct {
	mu    sync.Mutex
	clean map[plumbing.Hash]bool
	asked int
}

func (c *mapCache) Clean(h plumbing.Hash) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked++
	return c.clean[h]
}

func (c *mapCache) MarkClean(h plumbing.Hash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clean[h] = true
}

// TestBlobCacheSkipsCleanBlobsOnly scans a repository twice with one cache: the second scan
// reads no clean blob, yet reports the same findings, because blobs with matches are never
// cached.
func TestBlobCacheSkipsCleanBlobsOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r.git")
	tok := fixture.GitHubPAT(1)
	fixture.BareRepo(t, dir, []fixture.Commit{
		{Files: map[string]string{"a.txt": "hello\n", "b.txt": "world\n"}},
		{Files: map[string]string{"conf/app.env": "GH=" + tok + "\n"}},
		{Files: map[string]string{"a.txt": "hello again\n"}},
	})
	eng, err := detectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	cache := &mapCache{clean: map[plumbing.Hash]bool{}}
	scanOnce := func() (*Stats, []*finding.Finding) {
		r, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []*finding.Finding
		st, err := r.Scan(context.Background(), eng, Options{Jobs: 2, Blobs: cache},
			func(f *finding.Finding) error { got = append(got, f); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return st, got
	}
	st1, f1 := scanOnce()
	st2, f2 := scanOnce()
	if st1.Blobs != 4 || len(cache.clean) != 3 {
		t.Fatalf("first scan: got %d blobs read, %d cached clean; want 4 and 3", st1.Blobs,
			len(cache.clean))
	}
	if st2.Blobs != 1 || st2.Skipped["already-scanned"] != 3 {
		t.Errorf("second scan: got %d blobs read, %d skipped as scanned; want 1 and 3",
			st2.Blobs, st2.Skipped["already-scanned"])
	}
	if len(f1) != 1 || len(f2) != 1 || f1[0].Fingerprint != f2[0].Fingerprint ||
		f1[0].Commit != f2[0].Commit || f2[0].Path != "conf/app.env" {
		t.Errorf("findings: got %v and %v, want one in conf/app.env, the same twice", f1, f2)
	}
}
