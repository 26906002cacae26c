package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func planSweep(t *testing.T, s *DB, urls ...string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := s.BeginSweep(ctx, time.Now(), "rv1")
	if err != nil {
		t.Fatal(err)
	}
	var repos []Repository
	for _, u := range urls {
		repos = append(repos, Repository{URL: u, Name: u, Source: "url"})
	}
	if _, err := s.Enqueue(ctx, id, repos); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestQueueLeases claims two jobs, lets one lease run out and has another worker take it
// over: the first worker can then neither renew nor finish it. Finishing both jobs ends
// the sweep with their counts.
func TestQueueLeases(t *testing.T) {
	forEachBackend(t, testQueueLeases)
}

func testQueueLeases(t *testing.T, s *DB, _ string) {
	ctx := context.Background()
	id := planSweep(t, s, "file:///a", "file:///b")
	if n, err := s.Enqueue(ctx, id, []Repository{{URL: "file:///a"}}); err != nil || n != 0 {
		t.Errorf("enqueue a planned URL again: added %d (%v), want 0", n, err)
	}
	a, err := s.Claim(ctx, "w1", 100*time.Millisecond, 3)
	if err != nil || a.Repo.URL != "file:///a" || a.Attempts != 1 {
		t.Fatalf("first claim: got %+v, %v; want file:///a, attempt 1", a, err)
	}
	b, err := s.Claim(ctx, "w2", time.Minute, 3)
	if err != nil || b.Repo.URL != "file:///b" {
		t.Fatalf("second claim: got %+v, %v; want file:///b", b, err)
	}
	if _, err := s.Claim(ctx, "w3", time.Minute, 3); !errors.Is(err, ErrNoJob) {
		t.Fatalf("third claim: got %v, want ErrNoJob", err)
	}
	time.Sleep(150 * time.Millisecond)
	a2, err := s.Claim(ctx, "w3", time.Minute, 3)
	if err != nil || a2.ID != a.ID || a2.Attempts != 2 {
		t.Fatalf("claim after the lease ran out: got %+v, %v; want job %d, attempt 2", a2,
			err, a.ID)
	}
	if err := s.Heartbeat(ctx, a, time.Minute); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("heartbeat of a lost lease: got %v, want ErrLeaseLost", err)
	}
	if err := s.Finish(ctx, a, JobResult{Outcome: "scanned"}); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("finish of a lost lease: got %v, want ErrLeaseLost", err)
	}
	if err := s.Heartbeat(ctx, b, time.Minute); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
	err = s.Finish(ctx, a2, JobResult{Outcome: "scanned", NewFindings: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sw, _ := s.Sweep(ctx, id); !sw.Ended.IsZero() {
		t.Errorf("sweep ended with a job still running")
	}
	err = s.Finish(ctx, b, JobResult{Failed: true, Outcome: "failed", Error: "gone"})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := s.Sweep(ctx, id)
	want := SweepCounts{Repositories: 2, Scanned: 1, Failed: 1, NewFindings: 2}
	if err != nil || sw.Ended.IsZero() || sw.Counts != want {
		t.Errorf("sweep: got %+v, %v; want ended with %+v", sw, err, want)
	}
	if n, err := s.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending: got %d, %v; want 0", n, err)
	}
}

// TestQueueFailsJobThatKillsWorkers lets a job's lease run out as many times as allowed:
// the next claim fails it instead of handing it out, which ends the sweep.
func TestQueueFailsJobThatKillsWorkers(t *testing.T) {
	forEachBackend(t, testQueueFailsJobThatKillsWorkers)
}

func testQueueFailsJobThatKillsWorkers(t *testing.T, s *DB, _ string) {
	ctx := context.Background()
	id := planSweep(t, s, "file:///poison")
	for i := range 2 {
		if _, err := s.Claim(ctx, fmt.Sprint("w", i), 20*time.Millisecond, 2); err != nil {
			t.Fatalf("claim %d: %v", i+1, err)
		}
		time.Sleep(40 * time.Millisecond)
	}
	if j, err := s.Claim(ctx, "w9", time.Minute, 2); !errors.Is(err, ErrNoJob) {
		t.Fatalf("third claim: got %+v, %v; want ErrNoJob", j, err)
	}
	js, err := s.Jobs(ctx, id)
	if err != nil || len(js) != 1 || js[0].State != JobFailed || js[0].LastError == "" {
		t.Errorf("jobs: got %+v, %v; want one failed with a reason", js, err)
	}
	if sw, _ := s.Sweep(ctx, id); sw.Ended.IsZero() || sw.Counts.Failed != 1 {
		t.Errorf("sweep: got %+v, want ended with one failure", sw)
	}
}

// TestQueueConcurrentClaims has eight workers drain forty jobs at once: each job is
// claimed once, and the sweep ends once, counting all of them.
func TestQueueConcurrentClaims(t *testing.T) {
	forEachBackend(t, testQueueConcurrentClaims)
}

func testQueueConcurrentClaims(t *testing.T, s *DB, _ string) {
	ctx := context.Background()
	var urls []string
	for i := range 40 {
		urls = append(urls, fmt.Sprintf("file:///r%02d", i))
	}
	id := planSweep(t, s, urls...)
	var mu sync.Mutex
	claims := map[string]int{}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for {
				j, err := s.Claim(ctx, fmt.Sprint("w", w), time.Minute, 3)
				if errors.Is(err, ErrNoJob) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				claims[j.Repo.URL]++
				mu.Unlock()
				if err := s.Finish(ctx, j, JobResult{Outcome: "unchanged"}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for _, u := range urls {
		if claims[u] != 1 {
			t.Errorf("%s claimed %d times, want once", u, claims[u])
		}
	}
	sw, err := s.Sweep(ctx, id)
	if err != nil || sw.Ended.IsZero() || sw.Counts.Repositories != 40 ||
		sw.Counts.Unchanged != 40 {
		t.Errorf("sweep: got %+v, %v; want ended with 40 unchanged", sw, err)
	}
}
