package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Repository returns the state of one repository.
func (s *DB) Repository(ctx context.Context, u string) (*Repository, error) {
	var r Repository
	var last sql.NullInt64
	err := s.queryRow(ctx, `SELECT url, name, source, last_sweep, ref_tips,
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
func (s *DB) BlobClean(ctx context.Context, blob, rv string) (bool, error) {
	var n int
	err := s.queryRow(ctx,
		`SELECT COUNT(*) FROM scanned_blobs WHERE blob = ? AND rules_version = ?`,
		blob, rv).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("blob %s: %w", blob, err)
	}
	return n > 0, nil
}

// upsertRepo writes a repository's state and returns its id.
func upsertRepo(ctx context.Context, t tx, r *Repository) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `INSERT INTO repositories
		(url, name, source, last_sweep, ref_tips, rules_version, status, last_error)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET name = excluded.name, source = excluded.source,
		last_sweep = excluded.last_sweep, ref_tips = excluded.ref_tips,
		rules_version = excluded.rules_version, status = excluded.status,
		last_error = excluded.last_error
		RETURNING id`,
		r.URL, r.Name, r.Source, r.LastSweep, r.RefTips, r.RulesVersion, r.Status,
		r.LastError).Scan(&id)
	return id, err
}

// SaveOutcome records a repository that was not scanned. Its ref tips and rules version are
// cleared so that the next sweep scans it again.
func (s *DB) SaveOutcome(ctx context.Context, r *Repository) error {
	return s.write(ctx, "save repository "+r.URL, func(t tx) error {
		rr := *r
		if rr.RefTips == "" {
			rr.RefTips = "{}"
		}
		_, err := upsertRepo(ctx, t, &rr)
		return err
	})
}

// SaveUnchanged marks a repository and its findings seen in a sweep.
func (s *DB) SaveUnchanged(ctx context.Context, u string, sweep int64) error {
	return s.write(ctx, "save repository "+u, func(t tx) error {
		var id, prev int64
		err := t.queryRow(ctx, `SELECT id, COALESCE(last_sweep, 0) FROM repositories
			WHERE url = ?`, u).Scan(&id, &prev)
		if err != nil {
			return err
		}
		// The findings the last scan saw are still there: the refs did not move.
		_, err = t.exec(ctx, `UPDATE findings SET last_seen = ?
			WHERE repository_id = ? AND last_seen = ?`, sweep, id, prev)
		if err != nil {
			return err
		}
		_, err = t.exec(ctx, `UPDATE repositories SET last_sweep = ?, last_error = ''
			WHERE id = ?`, sweep, id)
		return err
	})
}
