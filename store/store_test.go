package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakhound/leakhound/internal/pgtest"
)

// backends are the stores every test runs on: a SQLite file and a PostgreSQL database.
var backends = []struct {
	name   string
	target func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "sub", "s.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.URL(t) }},
}

// forEachBackend runs test on a new store of each backend, given the store and its target.
func forEachBackend(t *testing.T, test func(t *testing.T, s *DB, target string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			target := b.target(t)
			s, err := Open(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			test(t, s, target)
		})
	}
}

func testFinding(fp string) Finding {
	return Finding{Fingerprint: fp, RuleID: "github-pat", Path: "a.env", Commit: "c1",
		Redacted: "ghp_********", SecretHash: "h1", Line: 3, Date: time.Unix(1e9, 0).UTC()}
}

func repo(u string) Repository {
	return Repository{URL: u, Name: u, Source: "url", RefTips: `{"refs/heads/main":"c1"}`,
		RulesVersion: "rv1", Status: RepoScanned}
}

// TestSaveScanIsIdempotent saves the same scan in two sweeps: the finding is recorded once,
// new the first time, seen in both.
func TestSaveScanIsIdempotent(t *testing.T) {
	forEachBackend(t, testSaveScanIsIdempotent)
}

func testSaveScanIsIdempotent(t *testing.T, s *DB, _ string) {
	ctx := context.Background()
	for i, wantNew := range []int{1, 0} {
		id, err := s.BeginSweep(ctx, time.Now(), "rv1")
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.SaveScan(ctx, &ScanResult{Repo: repo("file:///a"), Sweep: id,
			Findings: []Finding{testFinding("fp1")}, CleanBlobs: []string{"b1", "b1"}})
		if err != nil {
			t.Fatal(err)
		}
		if st.New != wantNew {
			t.Errorf("sweep %d: got %d new, want %d", i+1, st.New, wantNew)
		}
	}
	fs, err := s.Findings(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].FirstSeen != 1 || fs[0].LastSeen != 2 {
		t.Fatalf("got %+v, want one finding first seen in 1, last in 2", fs)
	}
	if ok, _ := s.BlobClean(ctx, "b1", "rv1"); !ok {
		t.Errorf("blob b1 not recorded clean")
	}
	if ok, _ := s.BlobClean(ctx, "b1", "rv2"); ok {
		t.Errorf("blob b1 clean under other rules")
	}
}

// TestTriageCarriesToForks triages a finding, then sees the same fingerprint in a fork and a
// new fingerprint: the fork's copy inherits the triage, the new one is open.
func TestTriageCarriesToForks(t *testing.T) {
	forEachBackend(t, testTriageCarriesToForks)
}

func testTriageCarriesToForks(t *testing.T, s *DB, _ string) {
	ctx := context.Background()
	id, _ := s.BeginSweep(ctx, time.Now(), "rv1")
	if _, err := s.SaveScan(ctx, &ScanResult{Repo: repo("file:///a"), Sweep: id,
		Findings: []Finding{testFinding("fp1")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Triage(ctx, 1, StatusFalsePositive, "test data"); err != nil {
		t.Fatal(err)
	}
	if err := s.Triage(ctx, 1, "bogus", ""); !errors.Is(err, ErrStatus) {
		t.Errorf("triage with a bad status: got %v, want ErrStatus", err)
	}
	if err := s.Triage(ctx, 99, StatusRevoked, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("triage of a missing finding: got %v, want ErrNotFound", err)
	}
	id2, _ := s.BeginSweep(ctx, time.Now(), "rv1")
	if _, err := s.SaveScan(ctx, &ScanResult{Repo: repo("file:///fork"), Sweep: id2,
		Findings: []Finding{testFinding("fp1"), testFinding("fp2")}}); err != nil {
		t.Fatal(err)
	}
	open, _ := s.Findings(ctx, Filter{Status: StatusOpen, SeenIn: id2})
	if len(open) != 1 || open[0].Fingerprint != "fp2" {
		t.Errorf("open findings: got %+v, want only fp2", open)
	}
	f, err := s.Finding(ctx, 2)
	if err != nil || f.Status != StatusFalsePositive || f.Repository != "file:///fork" {
		t.Errorf("fork finding: got %+v, %v; want false-positive in the fork", f, err)
	}
}

// TestSaveUnchangedMarksFindingsSeen checks that an unchanged repository's findings count as
// seen in the new sweep, and that reopening the store applies no migration twice.
func TestSaveUnchangedMarksFindingsSeen(t *testing.T) {
	forEachBackend(t, testSaveUnchangedMarksFindingsSeen)
}

func testSaveUnchangedMarksFindingsSeen(t *testing.T, s *DB, p string) {
	ctx := context.Background()
	id, _ := s.BeginSweep(ctx, time.Now(), "rv1")
	if _, err := s.SaveScan(ctx, &ScanResult{Repo: repo("file:///a"), Sweep: id,
		Findings: []Finding{testFinding("fp1")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.EndSweep(ctx, id, time.Now(), SweepCounts{Scanned: 1}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id2, _ := s.BeginSweep(ctx, time.Now(), "rv1")
	if err := s.SaveUnchanged(ctx, "file:///a", id2); err != nil {
		t.Fatal(err)
	}
	fs, _ := s.Findings(ctx, Filter{SeenIn: id2})
	last, _ := s.LastFinishedSweep(ctx)
	if len(fs) != 1 || last != id {
		t.Errorf("got %d findings seen in sweep %d and last finished %d; want 1 and %d",
			len(fs), id2, last, id)
	}
	r, err := s.Repository(ctx, "file:///a")
	if err != nil || r.LastSweep != id2 || r.Status != RepoScanned {
		t.Errorf("repository: got %+v, %v", r, err)
	}
}
