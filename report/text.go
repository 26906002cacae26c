package report

import (
	"fmt"
	"io"

	"github.com/leakhound/leakhound/finding"
)

// textReporter writes one block per finding as it is found, for people.
type textReporter struct {
	w    io.Writer
	opts Options
	n    int
}

func newText(w io.Writer, opts Options) *textReporter {
	return &textReporter{w: w, opts: opts}
}

const (
	ansiBold  = "\x1b[1m"
	ansiRed   = "\x1b[31m"
	ansiReset = "\x1b[0m"
)

func (r *textReporter) style(code, s string) string {
	if !r.opts.Color {
		return s
	}
	return code + s + ansiReset
}

func (r *textReporter) Add(f *finding.Finding) error {
	r.n++
	where := f.Path
	if where == "" {
		where = "(commit message)"
	}
	_, err := fmt.Fprintf(r.w, "%s %s\n  %s:%d:%d\n",
		r.style(ansiBold+ansiRed, f.RuleID), f.Description, where, f.Line, f.Column)
	if err != nil {
		return err
	}
	if f.Repository != "" {
		fmt.Fprintf(r.w, "  repository %s\n", f.Repository)
	}
	if f.Commit != "" {
		fmt.Fprintf(r.w, "  commit %s by %s <%s> on %s: %s\n", shortCommit(f.Commit),
			f.Author, f.Email, f.Date.Format("2006-01-02"), f.Message)
	}
	fmt.Fprintf(r.w, "  secret %s  fingerprint %s\n", r.opts.SecretText(f.Secret),
		f.Fingerprint)
	_, err = fmt.Fprintf(r.w, "  fix: %s\n\n", advice(f))
	return err
}

func (r *textReporter) Close(*Summary) error {
	return nil
}

func shortCommit(c string) string {
	return c[:min(len(c), 12)]
}

// advice is the one line of what to do about a finding.
func advice(f *finding.Finding) string {
	if f.Commit != "" {
		return "rotate this credential now, then remove it from history " +
			"(git filter-repo) or record its fingerprint in .leakhoundignore"
	}
	return "rotate this credential, remove it, or mark a false positive with leakhound:allow"
}
