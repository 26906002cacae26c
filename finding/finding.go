// Package finding defines what every source produces and every report consumes: a Finding,
// the Secret it holds, and the fingerprint that identifies it across rebases and line moves.
//
// It sits between the matching layer (detectors) and the output layer (report, datastore) and
// imports neither.
package finding

import "time"

// Finding is one credential found in one place.
//
// Path is slash-separated and relative to the scanned root; it is empty for a commit message.
// Line and column positions are 1-based; columns count bytes of the decoded text. The commit
// fields are empty for sources without history (directories, standard input).
type Finding struct {
	RuleID      string
	Description string
	Severity    string
	Confidence  string

	Path      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int

	// Repository names the repository for sources that cover many (a sweep); empty
	// otherwise.
	Repository string

	Commit  string
	Author  string
	Email   string
	Date    time.Time
	Message string // first line of the commit message

	Secret      Secret
	Entropy     float64
	Fingerprint string

	// Validated reports the outcome of an offline format check: "pass", "fail", or "" when
	// the rule's format has no structure to check.
	Validated string
}

// Key identifies a finding for de-duplication across a history: the same rule, path and
// secret content are one finding, whichever commit or line holds them.
func (f *Finding) Key() string {
	return f.Fingerprint
}
