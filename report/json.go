package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// Record is the JSON form of a finding, documented in docs/json.md. Other
// machine-readable formats build on it.
type Record struct {
	RuleID      string    `json:"rule_id"`
	Description string    `json:"description"`
	Severity    string    `json:"severity,omitempty"`
	Confidence  string    `json:"confidence,omitempty"`
	Repository  string    `json:"repository,omitempty"`
	Path        string    `json:"path"`
	Line        int       `json:"line"`
	Column      int       `json:"column"`
	EndLine     int       `json:"end_line"`
	EndColumn   int       `json:"end_column"`
	Commit      string    `json:"commit"`
	Author      string    `json:"author"`
	Email       string    `json:"email"`
	Date        time.Time `json:"date,omitzero"`
	Message     string    `json:"message"`
	Secret      string    `json:"secret"`
	Entropy     float64   `json:"entropy"`
	Fingerprint string    `json:"fingerprint"`
	Validated   string    `json:"validated,omitempty"`
}

// NewRecord converts a finding, redacting its secret as opts say.
func NewRecord(f *finding.Finding, opts Options) Record {
	return Record{
		RuleID:      f.RuleID,
		Description: f.Description,
		Severity:    f.Severity,
		Confidence:  f.Confidence,
		Repository:  f.Repository,
		Path:        f.Path,
		Line:        f.Line,
		Column:      f.Column,
		EndLine:     f.EndLine,
		EndColumn:   f.EndColumn,
		Commit:      f.Commit,
		Author:      f.Author,
		Email:       f.Email,
		Date:        f.Date,
		Message:     f.Message,
		Secret:      opts.SecretText(f.Secret),
		Entropy:     roundTo(f.Entropy, 3),
		Fingerprint: f.Fingerprint,
		Validated:   f.Validated,
	}
}

func roundTo(v float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	return float64(int64(v*p+0.5)) / p
}

// jsonReporter writes one JSON array of records at Close.
type jsonReporter struct {
	w       io.Writer
	opts    Options
	records []Record
}

func newJSON(w io.Writer, opts Options) *jsonReporter {
	return &jsonReporter{w: w, opts: opts, records: []Record{}}
}

func (r *jsonReporter) Add(f *finding.Finding) error {
	r.records = append(r.records, NewRecord(f, r.opts))
	return nil
}

func (r *jsonReporter) Close(*Summary) error {
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	return enc.Encode(r.records)
}
