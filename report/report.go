// Package report writes findings for people and for tools. It is the last stage of the
// pipeline: sources produce finding.Finding values, the command hands them to a Reporter, and
// the Reporter writes them in one format.
//
// Reporters never write a full secret unless Options.NoRedact is set.
package report

import (
	"fmt"
	"io"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// Summary describes the scan a report covers. Counts are totals over the whole scan.
type Summary struct {
	// Source is what was scanned: a repository path or URL (without credentials), a
	// directory, or "stdin".
	Source string
	// Remote is the repository's origin URL without credentials, if known; reports use it
	// to link to commits and files on the hosting service.
	Remote string
	// Refs are the refs the scan started from.
	Refs    []string
	Commits int
	Blobs   int
	Bytes   int64
	// Skipped counts inputs not matched, by reason ("binary", "lfs-pointer", "too-large").
	Skipped map[string]int
	// Errors are inputs that could not be read, each naming the input.
	Errors   []string
	Findings int
	Started  time.Time
	Duration time.Duration
	// Notes are remarks for the reader ("shallow clone", "empty repository").
	Notes []string
}

// Options control how findings are written.
type Options struct {
	// RedactKeep is how many leading characters of a secret to show (0 to 4).
	RedactKeep int
	// NoRedact shows full secrets.
	NoRedact bool
	// Color enables ANSI colour in text output. The command decides it from the terminal
	// and NO_COLOR; reporters never look at the environment.
	Color bool
	// Quiet makes the text report print only its closing summary.
	Quiet bool
	// Terse makes the text report print only its findings, with no summary, so that a clean
	// run prints nothing (for git hooks).
	Terse bool
	// Version is the leakhound version named in the tool sections of SARIF and GitLab
	// reports; empty means "dev".
	Version string
}

// version returns the tool version to write.
func (o Options) version() string {
	if o.Version == "" {
		return "dev"
	}
	return o.Version
}

// SecretText returns the secret as the options allow it to be shown.
func (o Options) SecretText(s finding.Secret) string {
	if o.NoRedact {
		return s.Reveal()
	}
	return s.Redacted(o.RedactKeep)
}

// Reporter receives findings as a scan produces them and writes a report.
//
// Add is called once per finding, in the order found, never concurrently; Close is called
// once at the end with the final summary. Streaming formats write in Add; others buffer until
// Close. A Reporter does not close its writer.
type Reporter interface {
	Add(f *finding.Finding) error
	Close(sum *Summary) error
}

// Formats lists the format names New accepts.
var Formats = []string{"text", "json", "jsonl", "sarif", "csv", "junit", "gitlab", "html"}

// New returns a reporter writing format to w.
func New(format string, w io.Writer, opts Options) (Reporter, error) {
	switch format {
	case "text":
		return newText(w, opts), nil
	case "json":
		return newJSON(w, opts), nil
	case "jsonl":
		return newJSONL(w, opts), nil
	case "sarif":
		return newSARIF(w, opts), nil
	case "csv":
		return newCSV(w, opts), nil
	case "junit":
		return newJUnit(w, opts), nil
	case "gitlab":
		return newGitLab(w, opts), nil
	case "html":
		return newHTML(w, opts), nil
	}
	return nil, fmt.Errorf("report format %q: want one of %v", format, Formats)
}
