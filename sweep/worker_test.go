package sweep

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakhound/leakhound/internal/fixture"
	"github.com/leakhound/leakhound/store"
)

// TestWorkersDrainPlannedSweep plans a sweep of six repositories, one of which cannot be
// cloned, has a worker that then dies claim one job, and runs two workers until the queue
// is empty: they take over the dead worker's job once its lease runs out, every planted
// credential is recorded once, and the sweep ends with the right counts.
func TestWorkersDrainPlannedSweep(t *testing.T) {
	forEachStore(t, testWorkersDrainPlannedSweep)
}

func testWorkersDrainPlannedSweep(t *testing.T, st store.Store) {
	ctx := context.Background()
	dir := t.TempDir()
	var urls []string
	for i := range 5 {
		name := fmt.Sprintf("r%d.git", i)
		fixture.BareRepo(t, filepath.Join(dir, name), []fixture.Commit{
			{Files: map[string]string{"README.md": "# r\n"}},
			{Files: map[string]string{"k.env": "K=" + fixture.GitHubPAT(uint64(40+i)) + "\n"}},
		})
		urls = append(urls, "file://"+filepath.Join(dir, name))
	}
	urls = append(urls, "file://"+filepath.Join(dir, "missing.git"))
	opts := Options{Sources: []Source{URLs(urls)}, Store: st, Engine: testEngine(t),
		RulesVersion: "v"}
	p, err := Plan(ctx, opts)
	if err != nil || p.Queued != 6 {
		t.Fatalf("plan: got %+v, %v; want 6 queued", p, err)
	}
	dead, err := st.Claim(ctx, "dead", 300*time.Millisecond, 3)
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	stats := make([]*WorkStats, 2)
	for i := range stats {
		wg.Go(func() {
			o := opts
			o.CacheDir = filepath.Join(dir, fmt.Sprint("cache", i))
			o.Jobs = 1
			var err error
			stats[i], err = Work(ctx, WorkerOptions{Options: o, ID: fmt.Sprint("w", i),
				Lease: time.Second, Poll: 50 * time.Millisecond, ExitWhenIdle: true})
			if err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	if got := stats[0].Jobs + stats[1].Jobs; got != 6 {
		t.Errorf("workers finished %d jobs, want 6", got)
	}
	js, _ := st.Jobs(ctx, p.Sweep)
	for _, j := range js {
		wantState := store.JobDone
		if j.Repo.URL == urls[5] {
			wantState = store.JobFailed
		}
		if j.State != wantState || (j.ID == dead.ID && j.Attempts != 2) {
			t.Errorf("job %s: %s after %d attempts, want %s", j.Repo.URL, j.State,
				j.Attempts, wantState)
		}
	}
	sw, err := st.Sweep(ctx, p.Sweep)
	want := store.SweepCounts{Repositories: 6, Scanned: 5, Failed: 1, NewFindings: 5}
	if err != nil || sw.Ended.IsZero() || sw.Counts != want {
		t.Errorf("sweep: got %+v, %v; want ended with %+v", sw, err, want)
	}
	fs, _ := st.Findings(ctx, store.Filter{})
	if len(fs) != 5 {
		t.Errorf("got %d findings, want 5", len(fs))
	}
}
