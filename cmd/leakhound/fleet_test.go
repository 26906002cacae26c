package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakhound/leakhound/internal/pgtest"
	"github.com/leakhound/leakhound/store"
)

// fleetRepos is how many repositories the fleet test sweeps.
const fleetRepos = 54

// TestFleetSurvivesKilledWorker plans a sweep of 54 repositories, each with a planted
// credential, and runs three worker processes of the built binary against one store. One
// worker is killed with SIGKILL right after it claims its third job. The other two take
// over its job once the lease runs out and exit when the queue is empty: every repository
// is scanned, every credential recorded exactly once, and no job is left claimed. It runs
// on PostgreSQL, as a fleet would, and on SQLite, whose workers share one machine.
func TestFleetSurvivesKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and sweeps 54 repositories three times over")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "leakhound")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	commits := map[string]string{}
	var list strings.Builder
	for i := range fleetRepos {
		u, c := plantRepo(t, dir, fmt.Sprintf("f%02d", i), uint64(300+i))
		commits[u] = c
		fmt.Fprintln(&list, u)
	}
	listPath := filepath.Join(dir, "repos.txt")
	if err := os.WriteFile(listPath, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	targets := map[string]func(t *testing.T) string{
		"postgres": func(t *testing.T) string { return pgtest.URL(t) },
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "fleet.db") },
	}
	for _, name := range []string{"postgres", "sqlite"} {
		t.Run(name, func(t *testing.T) {
			runFleet(t, bin, targets[name](t), listPath, commits)
		})
	}
}

func runFleet(t *testing.T, bin, target, listPath string, commits map[string]string) {
	out, err := exec.Command(bin, "sweep", "plan", "--repos-file", listPath,
		"--store", target).CombinedOutput()
	want := fmt.Sprintf("%d repositories queued", len(commits))
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	cache := t.TempDir()
	workers := make([]*exec.Cmd, 3)
	for i := range workers {
		workers[i] = exec.Command(bin, "worker", "--store", target, "--exit-when-idle",
			"--id", fmt.Sprint("w", i), "--cache-dir", filepath.Join(cache, fmt.Sprint(i)),
			"--lease", "2s", "--poll", "100ms", "--log-level", "info")
	}
	killed := killAfterClaims(t, workers[0], 3)
	for _, w := range workers[1:] {
		w.Stdout, w.Stderr = io.Discard, io.Discard
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
	}
	<-killed
	deadline := time.AfterFunc(3*time.Minute, func() {
		for _, w := range workers[1:] {
			w.Process.Kill()
		}
	})
	defer deadline.Stop()
	for i, w := range workers[1:] {
		if err := w.Wait(); err != nil {
			t.Errorf("worker %d: %v", i+1, err)
		}
	}
	checkFleet(t, bin, target, commits)
}

// killAfterClaims starts w and kills it with SIGKILL once its log shows n claims. The
// returned channel is closed once it is dead.
func killAfterClaims(t *testing.T, w *exec.Cmd, n int) <-chan struct{} {
	t.Helper()
	stderr, err := w.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stderr)
		for seen := 0; seen < n && sc.Scan(); {
			if strings.Contains(sc.Text(), "job claimed") {
				seen++
			}
		}
		w.Process.Kill()
		io.Copy(io.Discard, stderr)
		w.Wait()
	}()
	return done
}

// checkFleet wants every job done with none claimed, the killed worker's job taken over,
// sweep status to agree, and one finding per repository at its planted commit.
func checkFleet(t *testing.T, bin, target string, commits map[string]string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, _ := st.LastPlannedSweep(ctx)
	jobs, err := st.Jobs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	retried := 0
	for _, j := range jobs {
		if j.State != store.JobDone || j.Outcome != "scanned" {
			t.Errorf("job %s: %s (%s), want done and scanned", j.Repo.URL, j.State, j.Outcome)
		}
		if j.Attempts > 1 {
			retried++
		}
	}
	if retried == 0 {
		t.Errorf("no job was taken over from the killed worker")
	}
	if n, err := st.Pending(ctx); err != nil || n != 0 {
		t.Errorf("pending jobs: got %d, %v; want 0", n, err)
	}
	sw, err := st.Sweep(ctx, id)
	if err != nil || sw.Ended.IsZero() || sw.Counts.NewFindings != len(commits) {
		t.Errorf("sweep: got %+v, %v; want ended with %d new findings", sw, err,
			len(commits))
	}
	out, err := exec.Command(bin, "sweep", "status", "--store", target).CombinedOutput()
	want := fmt.Sprintf("queued 0, running 0, done %d, failed 0", len(commits))
	if err != nil || !strings.Contains(string(out), want) {
		t.Errorf("sweep status: %v, want %q in\n%s", err, want, out)
	}
	st.Close()
	checkStore(t, target, commits)
}
