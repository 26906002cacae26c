package store

import (
	"context"
	"time"
)

// Job states. A job is queued when planned, running while a worker holds its lease, and
// done or failed once finished; a running job whose lease ran out is claimable again.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"   // the repository has an outcome: scanned, unchanged, empty...
	JobFailed  = "failed" // it could not be swept, or its workers died MaxAttempts times
)

// Queue is the work queue of planned sweeps, in the same database as the rest of the store
// so that one transaction-capable engine coordinates a fleet. Workers claim jobs for a
// lease, renew it while they work, and finish each job with its outcome; a job whose worker
// died is claimed again once its lease runs out. Lease times are on the database's clock.
type Queue interface {
	// Enqueue adds one queued job per repository to a sweep (see BeginSweep) and returns
	// how many it added; a URL already in the sweep is not added again.
	Enqueue(ctx context.Context, sweep int64, repos []Repository) (int, error)
	// Claim gives worker the oldest queued job, or else the oldest running job whose lease
	// ran out, leased for lease. A job whose lease ran out maxAttempts times is failed
	// instead. It returns ErrNoJob when there is nothing to claim.
	Claim(ctx context.Context, worker string, lease time.Duration, maxAttempts int) (*Job, error)
	// Heartbeat extends a claimed job's lease to lease from now, or returns ErrLeaseLost.
	Heartbeat(ctx context.Context, j *Job, lease time.Duration) error
	// Finish records a claimed job's result, or returns ErrLeaseLost. Finishing the last
	// job of a sweep ends the sweep with its counts.
	Finish(ctx context.Context, j *Job, r JobResult) error
	// Pending counts the jobs queued or running, in every sweep.
	Pending(ctx context.Context) (int, error)
	// Jobs returns a sweep's jobs in the order they were planned.
	Jobs(ctx context.Context, sweep int64) ([]Job, error)
	// LastPlannedSweep returns the newest sweep with jobs, or 0.
	LastPlannedSweep(ctx context.Context) (int64, error)
}

// Job is one repository of a planned sweep.
type Job struct {
	ID    int64
	Sweep int64
	// Repo is the repository to sweep: URL, Name and Source.
	Repo  Repository
	State string // one of the Job constants
	// Worker names the worker that last claimed the job; Attempts counts its claims.
	Worker   string
	Attempts int
	// LeaseUntil is when the current claim runs out; zero for a queued job.
	LeaseUntil time.Time
	// Outcome, NewFindings and LastError are the result of a finished job.
	Outcome     string
	NewFindings int
	LastError   string
}

// JobResult is what became of a job's repository.
type JobResult struct {
	// Failed marks the job failed rather than done.
	Failed bool
	// Outcome is the repository's outcome: "scanned", "unchanged", "failed"...
	Outcome string
	// NewFindings counts the findings first recorded by the job.
	NewFindings int
	// Error says why the repository could not be swept.
	Error string
}
