package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// SQLite is a Store in one SQLite file, through the pure-Go modernc.org/sqlite driver. It
// runs in WAL mode, so readers do not wait for the writer; writes from one process are
// serialised by a mutex, and other processes wait up to busyTimeout.
type SQLite struct {
	db   *sql.DB
	path string
	mu   sync.Mutex // serialises write transactions
}

// busyTimeout is how long a write waits for another process's transaction to end.
const busyTimeout = 30 * time.Second

// OpenSQLite opens or creates the store at path and brings its schema up to date. A new
// file is created readable by its owner only, since it names repositories and findings.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	fh.Close()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if err := migrate(ctx, db, "sqlite"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return &SQLite{db: db, path: path}, nil
}

// Close closes the database.
func (s *SQLite) Close() error {
	return s.db.Close()
}

// write runs fn in one transaction, committed if fn returns nil.
func (s *SQLite) write(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func timeText(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// BeginSweep records the start of a sweep.
func (s *SQLite) BeginSweep(ctx context.Context, started time.Time, rv string) (int64, error) {
	var id int64
	err := s.write(ctx, "begin sweep", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`INSERT INTO sweeps (started, rules_version) VALUES (?, ?)`, timeText(started), rv)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// EndSweep records the end of a sweep.
func (s *SQLite) EndSweep(ctx context.Context, id int64, ended time.Time, c SweepCounts) error {
	return s.write(ctx, "end sweep", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sweeps SET ended = ?, repositories = ?,
			scanned = ?, unchanged = ?, empty = ?, failed = ?, new_findings = ? WHERE id = ?`,
			timeText(ended), c.Repositories, c.Scanned, c.Unchanged, c.Empty, c.Failed,
			c.NewFindings, id)
		return err
	})
}

// LastFinishedSweep returns the newest sweep that ended, or 0.
func (s *SQLite) LastFinishedSweep(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(id), 0) FROM sweeps WHERE ended IS NOT NULL`).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("last sweep: %w", err)
	}
	return id, nil
}

// Sweep returns one sweep.
func (s *SQLite) Sweep(ctx context.Context, id int64) (*Sweep, error) {
	var sw Sweep
	var started string
	var ended sql.NullString
	c := &sw.Counts
	err := s.db.QueryRowContext(ctx, `SELECT id, started, ended, rules_version, repositories,
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

// Repository returns the state of one repository.
func (s *SQLite) Repository(ctx context.Context, u string) (*Repository, error) {
	var r Repository
	var last sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT url, name, source, last_sweep, ref_tips,
		rules_version, status, last_error FROM repositories WHERE url = ?`, u).Scan(
		&r.URL, &r.Name, &r.Source, &last, &r.RefTips, &r.RulesVersion, &r.Status,
		&r.LastError)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("repository %s: %w", u, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("repository %s: %w", u, err)
	}
	r.LastSweep = last.Int64
	return &r, nil
}

// BlobClean reports whether a blob is known clean under a rule set.
func (s *SQLite) BlobClean(ctx context.Context, blob, rv string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx,
		`SELECT COUNT(*) FROM scanned_blobs WHERE blob = ? AND rules_version = ?`,
		blob, rv).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("blob %s: %w", blob, err)
	}
	return n > 0, nil
}

// upsertRepo writes a repository's state and returns its id.
func upsertRepo(ctx context.Context, tx *sql.Tx, r *Repository) (int64, error) {
	_, err := tx.ExecContext(ctx, `INSERT INTO repositories
		(url, name, source, last_sweep, ref_tips, rules_version, status, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET name = excluded.name, source = excluded.source,
		last_sweep = excluded.last_sweep, ref_tips = excluded.ref_tips,
		rules_version = excluded.rules_version, status = excluded.status,
		last_error = excluded.last_error`,
		r.URL, r.Name, r.Source, r.LastSweep, r.RefTips, r.RulesVersion, r.Status, r.LastError)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM repositories WHERE url = ?`, r.URL).Scan(&id)
	return id, err
}

// SaveOutcome records a repository that was not scanned. Its ref tips and rules version are
// cleared so that the next sweep scans it again.
func (s *SQLite) SaveOutcome(ctx context.Context, r *Repository) error {
	return s.write(ctx, "save repository "+r.URL, func(tx *sql.Tx) error {
		rr := *r
		if rr.RefTips == "" {
			rr.RefTips = "{}"
		}
		_, err := upsertRepo(ctx, tx, &rr)
		return err
	})
}

// SaveUnchanged marks a repository and its findings seen in a sweep.
func (s *SQLite) SaveUnchanged(ctx context.Context, u string, sweep int64) error {
	return s.write(ctx, "save repository "+u, func(tx *sql.Tx) error {
		var id, prev int64
		err := tx.QueryRowContext(ctx, `SELECT id, COALESCE(last_sweep, 0) FROM repositories
			WHERE url = ?`, u).Scan(&id, &prev)
		if err != nil {
			return err
		}
		// The findings the last scan saw are still there: the refs did not move.
		_, err = tx.ExecContext(ctx, `UPDATE findings SET last_seen = ?
			WHERE repository_id = ? AND last_seen = ?`, sweep, id, prev)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE repositories SET last_sweep = ?, last_error = ''
			WHERE id = ?`, sweep, id)
		return err
	})
}
