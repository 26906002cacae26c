package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// csvHeader names the columns of the CSV report: the Record fields, in their JSON names.
var csvHeader = []string{
	"rule_id", "description", "severity", "confidence", "path", "line", "column",
	"end_line", "end_column", "commit", "author", "email", "date", "message", "secret",
	"entropy", "fingerprint", "validated",
}

// csvReporter writes a header and then one row per finding as it arrives. Cells that a
// spreadsheet would run as a formula get a leading apostrophe, since authors, messages and
// paths come from the scanned repository and may be hostile.
type csvReporter struct {
	w      *csv.Writer
	opts   Options
	header bool
}

func newCSV(w io.Writer, opts Options) *csvReporter {
	return &csvReporter{w: csv.NewWriter(w), opts: opts}
}

func (r *csvReporter) Add(f *finding.Finding) error {
	r.writeHeader()
	r.w.Write(csvRow(NewRecord(f, r.opts)))
	return r.flush()
}

func (r *csvReporter) Close(*Summary) error {
	r.writeHeader()
	return r.flush()
}

func (r *csvReporter) writeHeader() {
	if !r.header {
		r.w.Write(csvHeader)
		r.header = true
	}
}

func (r *csvReporter) flush() error {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

func csvRow(rec Record) []string {
	row := []string{
		rec.RuleID, rec.Description, rec.Severity, rec.Confidence, rec.Path,
		strconv.Itoa(rec.Line), strconv.Itoa(rec.Column),
		strconv.Itoa(rec.EndLine), strconv.Itoa(rec.EndColumn),
		rec.Commit, rec.Author, rec.Email, csvDate(rec.Date), rec.Message, rec.Secret,
		strconv.FormatFloat(rec.Entropy, 'f', -1, 64), rec.Fingerprint, rec.Validated,
	}
	for i, cell := range row {
		row[i] = defuseFormula(cell)
	}
	return row
}

func csvDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// defuseFormula prefixes a cell that spreadsheets would evaluate with an apostrophe.
func defuseFormula(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
