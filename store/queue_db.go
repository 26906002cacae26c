package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// jobColumns are the columns scanJob reads, in its order.
const jobColumns = `id, sweep_id, url, name, source, state, worker, attempts, lease_until,
	outcome, new_findings, last_error`

func scanJob(row interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var lease int64
	err := row.Scan(&j.ID, &j.Sweep, &j.Repo.URL, &j.Repo.Name, &j.Repo.Source, &j.State,
		&j.Worker, &j.Attempts, &lease, &j.Outcome, &j.NewFindings, &j.LastError)
	if err != nil {
		return nil, err
	}
	if lease > 0 {
		j.LeaseUntil = time.UnixMilli(lease)
	}
	return &j, nil
}

// Enqueue adds one queued job per repository to a sweep.
func (s *DB) Enqueue(ctx context.Context, sweep int64, repos []Repository) (int, error) {
	var added int
	err := s.write(ctx, fmt.Sprintf("enqueue sweep %d", sweep), func(t tx) error {
		added = 0
		for _, r := range repos {
			res, err := t.exec(ctx, `INSERT INTO jobs (sweep_id, url, name, source)
				VALUES (?, ?, ?, ?) ON CONFLICT (sweep_id, url) DO NOTHING`,
				sweep, r.URL, r.Name, r.Source)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
		}
		return nil
	})
	return added, err
}

// Claim leases the oldest job that is queued or whose lease ran out. The SELECT that picks
// it skips rows other transactions hold (on PostgreSQL), so workers claiming at once each
// get a different job without waiting; on SQLite the transaction holds the write lock.
func (s *DB) Claim(ctx context.Context, worker string, lease time.Duration,
	maxAttempts int) (*Job, error) {
	var j *Job
	now := s.d.nowMillis
	err := s.write(ctx, "claim job", func(t tx) error {
		if err := failExpired(ctx, t, maxAttempts); err != nil {
			return err
		}
		var err error
		j, err = scanJob(t.queryRow(ctx, `UPDATE jobs SET state = 'running', worker = ?,
			attempts = attempts + 1, lease_until = `+now+` + ?
			WHERE id = (SELECT id FROM jobs WHERE state = 'queued'
				OR (state = 'running' AND lease_until < `+now+`)
				ORDER BY id LIMIT 1`+s.d.skipLocked+`)
			RETURNING `+jobColumns, worker, lease.Milliseconds()))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // commit the failures
		}
		return err
	})
	if err == nil && j == nil {
		return nil, ErrNoJob
	}
	return j, err
}

// failExpired fails the running jobs whose lease ran out maxAttempts times: a repository
// that kills every worker that takes it must not stop the sweep from ending.
func failExpired(ctx context.Context, t tx, maxAttempts int) error {
	rows, err := t.QueryContext(ctx, t.d.q(`UPDATE jobs SET state = 'failed',
		outcome = 'failed', last_error = 'its workers stopped or lost the lease ' ||
		CAST(attempts AS TEXT) || ' times', lease_until = 0
		WHERE state = 'running' AND lease_until < `+t.d.nowMillis+` AND attempts >= ?
		RETURNING sweep_id`), maxAttempts)
	if err != nil {
		return err
	}
	var sweeps []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		sweeps = append(sweeps, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, id := range sweeps {
		if err := endIfDone(ctx, t, id); err != nil {
			return err
		}
	}
	return nil
}

// Heartbeat extends a claimed job's lease.
func (s *DB) Heartbeat(ctx context.Context, j *Job, lease time.Duration) error {
	return s.write(ctx, fmt.Sprintf("renew lease of job %d", j.ID), func(t tx) error {
		res, err := t.exec(ctx, `UPDATE jobs SET lease_until = `+s.d.nowMillis+` + ?
			WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'`,
			lease.Milliseconds(), j.ID, j.Worker, j.Attempts)
		return ownRow(res, err)
	})
}

// ownRow turns an UPDATE of a claimed job that matched no row into ErrLeaseLost.
func ownRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		err = ErrLeaseLost
	}
	return err
}

// Finish records a claimed job's result and ends its sweep if it was the last job.
func (s *DB) Finish(ctx context.Context, j *Job, r JobResult) error {
	state := JobDone
	if r.Failed {
		state = JobFailed
	}
	return s.write(ctx, fmt.Sprintf("finish job %d", j.ID), func(t tx) error {
		res, err := t.exec(ctx, `UPDATE jobs SET state = ?, outcome = ?, new_findings = ?,
			last_error = ?, lease_until = 0
			WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'`,
			state, r.Outcome, r.NewFindings, r.Error, j.ID, j.Worker, j.Attempts)
		if err := ownRow(res, err); err != nil {
			return err
		}
		return endIfDone(ctx, t, j.Sweep)
	})
}

// endIfDone ends a sweep whose jobs are all finished, with counts summed from them. It
// locks the sweep's row first, so that of two workers finishing its last two jobs at once,
// the second to take the lock sees the first's job finished and ends the sweep.
func endIfDone(ctx context.Context, t tx, sweep int64) error {
	var ended sql.NullString
	err := t.queryRow(ctx, `SELECT ended FROM sweeps WHERE id = ?`+t.d.forUpdate,
		sweep).Scan(&ended)
	if err != nil || ended.Valid {
		return err
	}
	var pending int
	var c SweepCounts
	err = t.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN state IN ('queued', 'running') THEN 1 ELSE 0 END), 0),
		COUNT(*),
		COALESCE(SUM(CASE WHEN outcome IN ('scanned', 'incomplete') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN outcome = 'unchanged' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN outcome = 'empty' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(new_findings), 0)
		FROM jobs WHERE sweep_id = ?`, sweep).Scan(&pending, &c.Repositories, &c.Scanned,
		&c.Unchanged, &c.Empty, &c.Failed, &c.NewFindings)
	if err != nil || pending > 0 {
		return err
	}
	return endSweep(ctx, t, sweep, time.Now(), c)
}

// Pending counts the jobs queued or running.
func (s *DB) Pending(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx,
		`SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count pending jobs: %w", err)
	}
	return n, nil
}

// Jobs returns a sweep's jobs in planning order.
func (s *DB) Jobs(ctx context.Context, sweep int64) ([]Job, error) {
	rows, err := s.query(ctx, `SELECT `+jobColumns+` FROM jobs WHERE sweep_id = ?
		ORDER BY id`, sweep)
	if err != nil {
		return nil, fmt.Errorf("list jobs of sweep %d: %w", sweep, err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("list jobs of sweep %d: %w", sweep, err)
		}
		out = append(out, *j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list jobs of sweep %d: %w", sweep, err)
	}
	return out, nil
}

// LastPlannedSweep returns the newest sweep with jobs, or 0.
func (s *DB) LastPlannedSweep(ctx context.Context) (int64, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT COALESCE(MAX(sweep_id), 0) FROM jobs`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("last planned sweep: %w", err)
	}
	return id, nil
}
