package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// textReporter writes findings for people: at Close, grouped by file with the files in path
// order and commit-message findings last, then a summary by rule. It buffers findings so
// that each file's findings stand together however the scan found them.
type textReporter struct {
	w      io.Writer
	opts   Options
	found  []*finding.Finding
	tally  tally
	source string // what was scanned, named for findings without a path
}

func newText(w io.Writer, opts Options) *textReporter {
	return &textReporter{w: w, opts: opts}
}

const (
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiRed   = "\x1b[31m"
	ansiCyan  = "\x1b[36m"
	ansiReset = "\x1b[0m"
)

func (r *textReporter) style(code, s string) string {
	if !r.opts.Color {
		return s
	}
	return code + s + ansiReset
}

func (r *textReporter) Add(f *finding.Finding) error {
	r.found = append(r.found, f)
	r.tally.add(f)
	return nil
}

func (r *textReporter) Close(sum *Summary) error {
	r.source = orEmpty(sum).Source
	bw := bufio.NewWriter(r.w)
	if !r.opts.Quiet {
		for _, group := range groupByPath(r.found) {
			r.writeGroup(bw, group)
		}
	}
	if !r.opts.Terse {
		r.writeSummary(bw, orEmpty(sum))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// groupByPath returns the findings in groups of one path each, paths in byte order with the
// empty path (commit messages) last; each group keeps the order findings arrived in.
func groupByPath(found []*finding.Finding) [][]*finding.Finding {
	sorted := slices.Clone(found)
	slices.SortStableFunc(sorted, func(a, b *finding.Finding) int {
		return comparePaths(a.Path, b.Path)
	})
	var groups [][]*finding.Finding
	for i, f := range sorted {
		if i == 0 || f.Path != sorted[i-1].Path {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], f)
	}
	return groups
}

// comparePaths orders paths bytewise, with the empty path after all others.
func comparePaths(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return cmp.Compare(a, b)
}

func (r *textReporter) writeGroup(w io.Writer, group []*finding.Finding) {
	fmt.Fprintf(w, "%s\n", r.style(ansiBold+ansiCyan, r.placeName(group[0])))
	for _, f := range group {
		r.writeFinding(w, f)
	}
}

func (r *textReporter) writeFinding(w io.Writer, f *finding.Finding) {
	fmt.Fprintf(w, "  %s:%d:%d  %s %s\n", r.placeName(f), f.Line, f.Column,
		r.style(ansiBold+ansiRed, printable(f.RuleID)), printable(f.Description))
	if f.Repository != "" {
		fmt.Fprintf(w, "    repository %s\n", printable(f.Repository))
	}
	if f.Commit != "" {
		line := fmt.Sprintf("commit %s by %s <%s> on %s: %s", shortCommit(f.Commit),
			f.Author, f.Email, f.Date.UTC().Format(time.DateOnly), f.Message)
		fmt.Fprintf(w, "    %s\n", r.style(ansiDim, printable(line)))
	}
	fmt.Fprintf(w, "    secret %s  fingerprint %s\n", printable(r.opts.SecretText(f.Secret)),
		printable(f.Fingerprint))
	fmt.Fprintf(w, "    fix: %s\n\n", advice(f))
}

func (r *textReporter) writeSummary(w io.Writer, sum *Summary) {
	n := len(r.found)
	files := len(groupByPath(r.found))
	fmt.Fprintf(w, "%s\n", r.style(ansiBold, summaryHeadline(n, files)))
	for _, ri := range r.tally.byCount() {
		fmt.Fprintf(w, "  %5d  %s\n", ri.Count, printable(ri.ID))
	}
	fmt.Fprintf(w, "scanned %s: %s, %s, %s in %s\n", printable(cmp.Or(sum.Source, "-")),
		counted(sum.Commits, "commit"), counted(sum.Blobs, "blob"), humanBytes(sum.Bytes),
		sum.Duration.Round(time.Millisecond))
	for _, reason := range sortedKeys(sum.Skipped) {
		fmt.Fprintf(w, "skipped %d %s\n", sum.Skipped[reason], printable(reason))
	}
	for _, e := range sum.Errors {
		fmt.Fprintf(w, "error: %s\n", printable(e))
	}
	for _, note := range sum.Notes {
		fmt.Fprintf(w, "note: %s\n", printable(note))
	}
}

// summaryHeadline says how many findings there are and in how many places.
func summaryHeadline(findings, files int) string {
	if findings == 0 {
		return "no leaks found"
	}
	return fmt.Sprintf("%s in %s, by rule:", plural(findings, "finding"), plural(files, "place"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// placeName is how a finding's place is shown: its path, or what holds it when it has none:
// a commit's message, or the scanned input (standard input, a commit message file).
func (r *textReporter) placeName(f *finding.Finding) string {
	switch {
	case f.Path != "":
		return printable(f.Path)
	case f.Commit != "":
		return "(commit message)"
	case r.source != "":
		return "(" + printable(r.source) + ")"
	}
	return "(input)"
}

// counted returns n and a noun, in the plural unless n is 1.
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
