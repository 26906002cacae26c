package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// DB is a Store in a SQL database: a SQLite file (OpenSQLite) or a PostgreSQL database
// (OpenPostgres). Both hold the same schema, through numbered migrations of their own, and
// run the same statements; what differs is in their dialect.
type DB struct {
	db   *sql.DB
	d    *dialect
	name string     // the file or the URL without its password, for errors
	mu   sync.Mutex // serialises write transactions when the dialect asks
}

// maxTxAttempts is how many times a write transaction is run when it keeps losing
// deadlocks to other workers' transactions.
const maxTxAttempts = 5

// open brings db's schema up to date and wraps it; db is closed on error.
func open(ctx context.Context, db *sql.DB, d *dialect, name string) (*DB, error) {
	if err := migrate(ctx, db, d); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", name, err)
	}
	return &DB{db: db, d: d, name: name}, nil
}

// Close closes the database.
func (s *DB) Close() error {
	return s.db.Close()
}

// tx is a transaction that spells its statements' placeholders for its dialect.
type tx struct {
	*sql.Tx
	d *dialect
}

func (t tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, t.d.q(q), args...)
}

func (t tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.QueryRowContext(ctx, t.d.q(q), args...)
}

// write runs fn in one transaction, committed if fn returns nil. A transaction that lost a
// deadlock is run again, so fn must start from scratch each time.
func (s *DB) write(ctx context.Context, op string, fn func(tx) error) error {
	if s.d.serialise {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	var err error
	for range maxTxAttempts {
		if err = s.try(ctx, fn); err == nil || !s.d.retryable(err) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func (s *DB) try(ctx context.Context, fn func(tx) error) error {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := fn(tx{t, s.d}); err != nil {
		return err
	}
	return t.Commit()
}

func (s *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.db.QueryRowContext(ctx, s.d.q(q), args...)
}

func (s *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.db.QueryContext(ctx, s.d.q(q), args...)
}

func timeText(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// BeginSweep records the start of a sweep.
func (s *DB) BeginSweep(ctx context.Context, started time.Time, rv string) (int64, error) {
	var id int64
	err := s.write(ctx, "begin sweep", func(t tx) error {
		return t.queryRow(ctx, `INSERT INTO sweeps (started, rules_version) VALUES (?, ?)
			RETURNING id`, timeText(started), rv).Scan(&id)
	})
	return id, err
}

// EndSweep records the end of a sweep.
func (s *DB) EndSweep(ctx context.Context, id int64, ended time.Time, c SweepCounts) error {
	return s.write(ctx, "end sweep", func(t tx) error {
		return endSweep(ctx, t, id, ended, c)
	})
}

func endSweep(ctx context.Context, t tx, id int64, ended time.Time, c SweepCounts) error {
	_, err := t.exec(ctx, `UPDATE sweeps SET ended = ?, repositories = ?, scanned = ?,
		unchanged = ?, empty = ?, failed = ?, new_findings = ? WHERE id = ?`,
		timeText(ended), c.Repositories, c.Scanned, c.Unchanged, c.Empty, c.Failed,
		c.NewFindings, id)
	return err
}

// LastFinishedSweep returns the newest sweep that ended, or 0.
func (s *DB) LastFinishedSweep(ctx context.Context) (int64, error) {
	var id int64
	err := s.queryRow(ctx,
		`SELECT COALESCE(MAX(id), 0) FROM sweeps WHERE ended IS NOT NULL`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("last sweep: %w", err)
	}
	return id, nil
}

// Sweep returns one sweep.
func (s *DB) Sweep(ctx context.Context, id int64) (*Sweep, error) {
	var sw Sweep
	var started string
	var ended sql.NullString
	c := &sw.Counts
	err := s.queryRow(ctx, `SELECT id, started, ended, rules_version, repositories,
		scanned, unchanged, empty, failed, new_findings FROM sweeps WHERE id = ?`, id).Scan(
		&sw.ID, &started, &ended, &sw.RulesVersion, &c.Repositories, &c.Scanned,
		&c.Unchanged, &c.Empty, &c.Failed, &c.NewFindings)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sweep %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sweep %d: %w", id, err)
	}
	sw.Started = parseTime(started)
	if ended.Valid {
		sw.Ended = parseTime(ended.String)
	}
	return &sw, nil
}
