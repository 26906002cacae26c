// Package store keeps what sweeps learn between runs: the repositories swept and the ref tips
// each was last scanned at, the blobs known clean under a rule set, the findings with their
// triage, and the sweeps themselves. It is an output stage of the pipeline, beside report:
// sweep writes to it, and the findings commands read and triage through it.
//
// Store is the interface; DB implements it on SQLite (the default, one file) and on
// PostgreSQL (shared by a fleet of workers). Both have the same schema, kept by numbered
// migrations in migrations/BACKEND/, and run the same statements; dialect.go holds what
// differs. The store also holds the work queue of planned sweeps (Queue).
//
// A store never holds a raw secret: a finding keeps the redacted form and a SHA-256 of the
// secret, by which the same secret is recognised elsewhere.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors callers act on.
var (
	// ErrNotFound is returned when a repository or finding does not exist.
	ErrNotFound = errors.New("not found")
	// ErrStatus is returned when a triage status is not one of TriageStatuses.
	ErrStatus = errors.New("unknown status")
	// ErrNoJob is returned by Claim when no job is queued and no lease has run out.
	ErrNoJob = errors.New("no job to claim")
	// ErrLeaseLost is returned by Heartbeat and Finish when the job is no longer the
	// caller's: its lease ran out and another worker claimed it, or it was finished.
	ErrLeaseLost = errors.New("lease lost")
)

// Finding statuses. A finding starts open; triage moves it to one of the others.
const (
	StatusOpen          = "open"
	StatusFalsePositive = "false-positive"
	StatusAcceptedRisk  = "accepted-risk"
	StatusRevoked       = "revoked"
)

// TriageStatuses are the statuses Triage accepts.
var TriageStatuses = []string{StatusOpen, StatusFalsePositive, StatusAcceptedRisk,
	StatusRevoked}

// Repository statuses, set by the last sweep that reached the repository.
const (
	RepoScanned    = "scanned"    // scanned in full at RefTips
	RepoIncomplete = "incomplete" // scanned, but some objects could not be read
	RepoEmpty      = "empty"      // no commits
	RepoFailed     = "failed"     // could not be cloned, fetched or opened
)

// Store is the sweep datastore. Implementations are safe for concurrent use; every method
// that writes commits before it returns, and SaveScan commits all of a repository's results
// in one transaction.
type Store interface {
	// BeginSweep records the start of a sweep and returns its id, which grows with each sweep.
	BeginSweep(ctx context.Context, started time.Time, rulesVersion string) (int64, error)
	// EndSweep records the end of a sweep and its counts.
	EndSweep(ctx context.Context, id int64, ended time.Time, c SweepCounts) error
	// LastFinishedSweep returns the id of the newest sweep that ended, or 0.
	LastFinishedSweep(ctx context.Context) (int64, error)
	// Sweep returns one sweep.
	Sweep(ctx context.Context, id int64) (*Sweep, error)

	// Repository returns the state of the repository with this URL, or ErrNotFound.
	Repository(ctx context.Context, url string) (*Repository, error)
	// BlobClean reports whether blob (40 hex digits) was found clean under rulesVersion.
	BlobClean(ctx context.Context, blob, rulesVersion string) (bool, error)

	// SaveScan records a scanned repository in one transaction: its state, its findings
	// (new ones are inserted, known ones marked seen) and the blobs found clean.
	SaveScan(ctx context.Context, r *ScanResult) (SaveStats, error)
	// SaveUnchanged records that a repository's refs did not move: its findings are marked
	// seen in the sweep without a scan.
	SaveUnchanged(ctx context.Context, url string, sweep int64) error
	// SaveOutcome records a repository that was not scanned (empty or failed) and why.
	SaveOutcome(ctx context.Context, r *Repository) error

	// Findings returns the findings matching f, ordered by id.
	Findings(ctx context.Context, f Filter) ([]Finding, error)
	// Finding returns one finding, or ErrNotFound.
	Finding(ctx context.Context, id int64) (*Finding, error)
	// Triage sets a finding's status and note.
	Triage(ctx context.Context, id int64, status, note string) error

	// Queue is the work queue of planned sweeps.
	Queue

	// Close releases the store.
	Close() error
}

// Sweep is one run over a set of repositories.
type Sweep struct {
	ID           int64
	Started      time.Time
	Ended        time.Time // zero while running, or if the sweep was killed
	RulesVersion string
	Counts       SweepCounts
}

// SweepCounts are a sweep's totals.
type SweepCounts struct {
	Repositories int
	Scanned      int
	Unchanged    int
	Empty        int
	Failed       int
	NewFindings  int
}

// Repository is what the store knows of one repository.
type Repository struct {
	// URL is the clone URL without credentials; it identifies the repository.
	URL string
	// Name is the repository's full name ("org/repo", "group/sub/project").
	Name string
	// Source says where the sweep found it: "github", "gitlab" or "url".
	Source string
	// LastSweep is the id of the last sweep that reached it.
	LastSweep int64
	// RefTips is a JSON object of ref name to commit hash, as last scanned.
	RefTips string
	// RulesVersion identifies the rules of the last scan.
	RulesVersion string
	// Status is one of the Repo constants.
	Status string
	// LastError says why the last sweep could not scan it; empty on success.
	LastError string
}

// ScanResult is everything one repository's scan produced.
type ScanResult struct {
	Repo       Repository
	Sweep      int64
	Findings   []Finding
	CleanBlobs []string
}

// SaveStats say what SaveScan changed.
type SaveStats struct {
	// New counts findings first recorded by this call.
	New int
}

// Finding is a finding as the store keeps it. It never holds the raw secret.
type Finding struct {
	ID          int64     `json:"id"`
	Fingerprint string    `json:"fingerprint"`
	RuleID      string    `json:"rule_id"`
	Description string    `json:"description"`
	Severity    string    `json:"severity,omitempty"`
	Repository  string    `json:"repository"`
	RepoName    string    `json:"repository_name"`
	Path        string    `json:"path"`
	Commit      string    `json:"commit"`
	Author      string    `json:"author"`
	Email       string    `json:"email"`
	Date        time.Time `json:"date"`
	Message     string    `json:"message"`
	Line        int       `json:"line"`
	Column      int       `json:"column"`
	EndLine     int       `json:"end_line"`
	EndColumn   int       `json:"end_column"`
	Entropy     float64   `json:"entropy"`
	Validated   string    `json:"validated,omitempty"`
	// Redacted is the secret with at most four leading characters shown.
	Redacted string `json:"secret"`
	// SecretHash is the hex SHA-256 of the raw secret, to recognise it elsewhere.
	SecretHash string `json:"secret_hash"`
	FirstSeen  int64  `json:"first_seen_sweep"`
	LastSeen   int64  `json:"last_seen_sweep"`
	Status     string `json:"status"`
	Note       string `json:"note,omitempty"`
}

// Filter selects findings; zero fields select all.
type Filter struct {
	// Repo matches the repository's URL or full name exactly.
	Repo string
	// Rule matches the rule id.
	Rule string
	// Status matches the status.
	Status string
	// NewSince keeps findings first seen in a sweep after this one.
	NewSince int64
	// SeenIn keeps findings seen in this sweep.
	SeenIn int64
}
