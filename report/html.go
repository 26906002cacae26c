package report

import (
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/leakhound/leakhound/finding"
)

//go:embed html/report.tmpl html/report.css html/report.js
var htmlAssets embed.FS

// htmlTemplate is the report page; html/template escapes every value taken from the scan.
var htmlTemplate = template.Must(template.New("report.tmpl").
	Funcs(template.FuncMap{"plural": plural}).
	ParseFS(htmlAssets, "html/report.tmpl"))

// htmlStyle and htmlScript are inlined in the page; the page's content security policy
// allows exactly these two by hash and nothing else, so the file fetches nothing.
var (
	htmlStyle  = mustAsset("html/report.css")
	htmlScript = mustAsset("html/report.js")
	htmlCSP    = "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; " +
		"style-src " + cspHash(htmlStyle) + "; script-src " + cspHash(htmlScript)
)

func mustAsset(name string) string {
	b, err := htmlAssets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// htmlReporter writes one self-contained HTML page at Close: a summary, a chart of when
// leaks were introduced, and a table of findings that can be filtered by rule, path and
// author.
type htmlReporter struct {
	w     io.Writer
	opts  Options
	found []*finding.Finding
	tally tally
}

func newHTML(w io.Writer, opts Options) *htmlReporter {
	return &htmlReporter{w: w, opts: opts}
}

func (r *htmlReporter) Add(f *finding.Finding) error {
	r.found = append(r.found, f)
	r.tally.add(f)
	return nil
}

func (r *htmlReporter) Close(sum *Summary) error {
	if err := htmlTemplate.Execute(r.w, r.page(orEmpty(sum))); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlPage is what the template shows.
type htmlPage struct {
	CSP        string
	Style      template.CSS
	Script     template.JS
	Version    string
	Sum        *Summary
	Started    string
	Refs       string
	Bytes      string
	Duration   string
	Skipped    []string
	Rules      []ruleInfo
	Severities []severityCount
	Authors    []string
	Chart      chart
	Rows       []htmlRow
}

// htmlRow is one finding in the table.
type htmlRow struct {
	RuleID      string
	Description string
	Severity    string
	Path        string
	Commit      string
	Author      string
	Email       string
	Message     string
	Fingerprint string
	Where       string
	ShortCommit string
	CommitURL   string
	FileURL     string
	DateText    string
	Secret      string
	Advice      string
}

func (r *htmlReporter) page(sum *Summary) htmlPage {
	p := htmlPage{
		CSP:        htmlCSP,
		Style:      template.CSS(htmlStyle),
		Script:     template.JS(htmlScript),
		Version:    r.opts.version(),
		Sum:        sum,
		Refs:       shortList(sum.Refs, maxShownRefs),
		Bytes:      humanBytes(sum.Bytes),
		Duration:   sum.Duration.Round(time.Millisecond).String(),
		Rules:      r.tally.byCount(),
		Severities: r.tally.severities(),
		Chart:      buildChart(r.found),
	}
	if !sum.Started.IsZero() {
		p.Started = sum.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	for _, reason := range sortedKeys(sum.Skipped) {
		p.Skipped = append(p.Skipped, fmt.Sprintf("%d %s", sum.Skipped[reason], reason))
	}
	web, linked := ParseWebRepo(sum.Remote)
	seen := map[string]bool{}
	for _, f := range r.found {
		p.Rows = append(p.Rows, r.row(f, web, linked))
		if f.Author != "" && !seen[f.Author] {
			seen[f.Author] = true
			p.Authors = append(p.Authors, f.Author)
		}
	}
	return p
}

func (r *htmlReporter) row(f *finding.Finding, web WebRepo, linked bool) htmlRow {
	row := htmlRow{
		RuleID:      f.RuleID,
		Description: f.Description,
		Severity:    cmp.Or(normSeverity(f.Severity), "unknown"),
		Path:        f.Path,
		Commit:      f.Commit,
		Author:      f.Author,
		Email:       f.Email,
		Message:     f.Message,
		Fingerprint: f.Fingerprint,
		Where:       location(f),
		ShortCommit: shortCommit(f.Commit),
		Secret:      r.opts.SecretText(f.Secret),
		Advice:      advice(f),
	}
	if !f.Date.IsZero() {
		row.DateText = f.Date.UTC().Format(time.DateOnly)
	}
	if linked && f.Commit != "" {
		row.CommitURL = web.CommitURL(f.Commit)
		if f.Path != "" {
			row.FileURL = web.FileURL(f.Commit, f.Path, f.Line)
		}
	}
	return row
}

// maxShownRefs bounds the refs the summary names: a repository can have thousands.
const maxShownRefs = 12

// shortList joins at most n items and says how many more there are.
func shortList(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more (%d in all)", strings.Join(items[:n], ", "),
		len(items)-n, len(items))
}
