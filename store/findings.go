package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// SaveScan records a scanned repository, its findings and its clean blobs in one
// transaction, so a sweep killed at any moment leaves either all of it or none.
//
// A finding already recorded for the repository (same fingerprint) is marked seen and
// keeps its first attribution and triage. A new one is open, unless the same fingerprint
// was already triaged in another repository (a fork, a mirror): it then takes that triage,
// since it is the same secret at the same path.
func (s *DB) SaveScan(ctx context.Context, r *ScanResult) (SaveStats, error) {
	var st SaveStats
	err := s.write(ctx, "save scan of "+r.Repo.URL, func(t tx) error {
		st = SaveStats{}
		repo := r.Repo
		repo.LastSweep = r.Sweep
		id, err := upsertRepo(ctx, t, &repo)
		if err != nil {
			return err
		}
		for i := range r.Findings {
			isNew, err := saveFinding(ctx, t, id, r.Sweep, &r.Findings[i])
			if err != nil {
				return err
			}
			if isNew {
				st.New++
			}
		}
		return saveCleanBlobs(ctx, t, r.CleanBlobs, repo.RulesVersion)
	})
	return st, err
}

// saveFinding inserts a finding or marks a known one seen, and reports whether it was new.
// The unique (repository, fingerprint) key keeps a finding stored once even when two
// workers save the same repository at once: the insert that loses does nothing, and its
// transaction marks the winner's row seen instead.
func saveFinding(ctx context.Context, t tx, repo, sweep int64, f *Finding) (bool, error) {
	if seen, err := markSeen(ctx, t, repo, sweep, f.Fingerprint); err != nil || seen {
		return false, err
	}
	status, note, err := inheritedTriage(ctx, t, f.Fingerprint)
	if err != nil {
		return false, err
	}
	res, err := t.exec(ctx, `INSERT INTO findings (fingerprint, repository_id, rule_id,
		description, severity, path, commit_hash, author, email, commit_date, message, line,
		col, end_line, end_col, entropy, validated, secret_redacted, secret_hash, first_seen,
		last_seen, status, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (repository_id, fingerprint) DO NOTHING`,
		f.Fingerprint, repo, f.RuleID, f.Description, f.Severity, f.Path, f.Commit, f.Author,
		f.Email, timeText(f.Date), f.Message, f.Line, f.Column, f.EndLine, f.EndColumn,
		f.Entropy, f.Validated, f.Redacted, f.SecretHash, sweep, sweep, status, note)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return n > 0, err
	}
	_, err = markSeen(ctx, t, repo, sweep, f.Fingerprint)
	return false, err
}

// markSeen marks a recorded finding seen in a sweep, and reports whether there was one.
func markSeen(ctx context.Context, t tx, repo, sweep int64, fp string) (bool, error) {
	res, err := t.exec(ctx, `UPDATE findings SET last_seen = ?
		WHERE repository_id = ? AND fingerprint = ?`, sweep, repo, fp)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// inheritedTriage returns the status a new finding starts with: the triage of the oldest
// triaged finding with the same fingerprint, or open.
func inheritedTriage(ctx context.Context, t tx, fp string) (string, string, error) {
	var id int64
	var status string
	err := t.queryRow(ctx, `SELECT id, status FROM findings
		WHERE fingerprint = ? AND status <> ? ORDER BY id LIMIT 1`, fp, StatusOpen).Scan(
		&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return StatusOpen, "", nil
	}
	if err != nil {
		return "", "", err
	}
	return status, fmt.Sprintf("triaged as finding %d", id), nil
}

// blobBatch is how many clean blobs one INSERT records: few round trips to a remote
// database, and well under SQLite's limit of 32,766 parameters.
const blobBatch = 500

// saveCleanBlobs records blobs found clean. They are inserted in sorted order, so two
// workers recording overlapping sets take their row locks in the same order and cannot
// deadlock each other.
func saveCleanBlobs(ctx context.Context, t tx, blobs []string, rv string) error {
	blobs = slices.Compact(slices.Sorted(slices.Values(blobs)))
	for len(blobs) > 0 {
		n := min(len(blobs), blobBatch)
		args := make([]any, 0, 2*n)
		for _, b := range blobs[:n] {
			args = append(args, b, rv)
		}
		q := `INSERT INTO scanned_blobs (blob, rules_version) VALUES (?, ?)` +
			strings.Repeat(", (?, ?)", n-1) + ` ON CONFLICT DO NOTHING`
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		blobs = blobs[n:]
	}
	return nil
}

const findingColumns = `f.id, f.fingerprint, f.rule_id, f.description, f.severity, r.url,
	r.name, f.path, f.commit_hash, f.author, f.email, f.commit_date, f.message, f.line, f.col,
	f.end_line, f.end_col, f.entropy, f.validated, f.secret_redacted, f.secret_hash,
	f.first_seen, f.last_seen, f.status, f.note`

func scanFinding(row interface{ Scan(...any) error }) (*Finding, error) {
	var f Finding
	var date string
	err := row.Scan(&f.ID, &f.Fingerprint, &f.RuleID, &f.Description, &f.Severity,
		&f.Repository, &f.RepoName, &f.Path, &f.Commit, &f.Author, &f.Email, &date, &f.Message,
		&f.Line, &f.Column, &f.EndLine, &f.EndColumn, &f.Entropy, &f.Validated, &f.Redacted,
		&f.SecretHash, &f.FirstSeen, &f.LastSeen, &f.Status, &f.Note)
	if err != nil {
		return nil, err
	}
	f.Date = parseTime(date)
	return &f, nil
}

// Findings returns the findings matching a filter, ordered by id.
func (s *DB) Findings(ctx context.Context, flt Filter) ([]Finding, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if flt.Repo != "" {
		where = append(where, "(r.url = ? OR r.name = ?)")
		args = append(args, flt.Repo, flt.Repo)
	}
	if flt.Rule != "" {
		add("f.rule_id = ?", flt.Rule)
	}
	if flt.Status != "" {
		add("f.status = ?", flt.Status)
	}
	if flt.NewSince > 0 {
		add("f.first_seen > ?", flt.NewSince)
	}
	if flt.SeenIn > 0 {
		add("f.last_seen = ?", flt.SeenIn)
	}
	q := `SELECT ` + findingColumns + ` FROM findings f JOIN repositories r
		ON r.id = f.repository_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.query(ctx, q+" ORDER BY f.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, fmt.Errorf("list findings: %w", err)
		}
		out = append(out, *f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list findings: %w", err)
	}
	return out, nil
}

// Finding returns one finding.
func (s *DB) Finding(ctx context.Context, id int64) (*Finding, error) {
	row := s.queryRow(ctx, `SELECT `+findingColumns+` FROM findings f
		JOIN repositories r ON r.id = f.repository_id WHERE f.id = ?`, id)
	f, err := scanFinding(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("finding %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("finding %d: %w", id, err)
	}
	return f, nil
}

// Triage sets a finding's status and note.
func (s *DB) Triage(ctx context.Context, id int64, status, note string) error {
	if !slices.Contains(TriageStatuses, status) {
		return fmt.Errorf("triage finding %d: status %q: %w", id, status, ErrStatus)
	}
	return s.write(ctx, fmt.Sprintf("triage finding %d", id), func(t tx) error {
		res, err := t.exec(ctx, `UPDATE findings SET status = ?, note = ? WHERE id = ?`,
			status, note, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
}

var _ Store = (*DB)(nil)
