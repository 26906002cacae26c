package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// gitlabSchemaVersion is the version of GitLab's security report schema the report follows.
const gitlabSchemaVersion = "15.2.1"

// gitlabNoCommit stands in for the commit of a finding outside history; GitLab requires one.
const gitlabNoCommit = "0000000"

// GitLab secret-detection report objects, limited to what leakhound writes.
type (
	gitlabReport struct {
		Version         string       `json:"version"`
		Vulnerabilities []gitlabVuln `json:"vulnerabilities"`
		Scan            gitlabScan   `json:"scan"`
	}
	gitlabVuln struct {
		ID          string         `json:"id"`
		Category    string         `json:"category"`
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Severity    string         `json:"severity"`
		Solution    string         `json:"solution"`
		Location    gitlabLocation `json:"location"`
		Identifiers []gitlabIdent  `json:"identifiers"`
	}
	gitlabLocation struct {
		File      string       `json:"file"`
		StartLine int          `json:"start_line"`
		EndLine   int          `json:"end_line,omitempty"`
		Commit    gitlabCommit `json:"commit"`
	}
	gitlabCommit struct {
		SHA     string `json:"sha"`
		Author  string `json:"author,omitempty"`
		Date    string `json:"date,omitempty"`
		Message string `json:"message,omitempty"`
	}
	gitlabIdent struct {
		Type  string `json:"type"`
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	gitlabScan struct {
		Analyzer  gitlabTool      `json:"analyzer"`
		Scanner   gitlabTool      `json:"scanner"`
		Type      string          `json:"type"`
		Status    string          `json:"status"`
		StartTime string          `json:"start_time"`
		EndTime   string          `json:"end_time"`
		Messages  []gitlabMessage `json:"messages,omitempty"`
	}
	gitlabTool struct {
		ID      string       `json:"id"`
		Name    string       `json:"name"`
		URL     string       `json:"url"`
		Version string       `json:"version"`
		Vendor  gitlabVendor `json:"vendor"`
	}
	gitlabVendor struct {
		Name string `json:"name"`
	}
	gitlabMessage struct {
		Level string `json:"level"`
		Value string `json:"value"`
	}
)

// gitlabReporter writes GitLab's secret-detection report at Close, for a CI job's
// artifacts:reports:secret_detection.
type gitlabReporter struct {
	w     io.Writer
	opts  Options
	vulns []gitlabVuln
}

func newGitLab(w io.Writer, opts Options) *gitlabReporter {
	return &gitlabReporter{w: w, opts: opts, vulns: []gitlabVuln{}}
}

func (r *gitlabReporter) Add(f *finding.Finding) error {
	commit := gitlabCommit{SHA: f.Commit, Author: f.Author, Date: rfc3339(f.Date),
		Message: f.Message}
	if commit.SHA == "" {
		commit.SHA = gitlabNoCommit
	}
	r.vulns = append(r.vulns, gitlabVuln{
		ID:       gitlabID(f),
		Category: "secret_detection",
		Name:     f.Description,
		Description: fmt.Sprintf("%s (rule %s) in %s. Secret: %s. Fingerprint: %s.",
			f.Description, f.RuleID, location(f), r.opts.SecretText(f.Secret), f.Fingerprint),
		Severity: gitlabSeverity(f.Severity),
		Solution: advice(f),
		Location: gitlabLocation{File: f.Path, StartLine: f.Line, EndLine: f.EndLine,
			Commit: commit},
		Identifiers: []gitlabIdent{{
			Type: "leakhound_rule_id", Name: "leakhound rule " + f.RuleID, Value: f.RuleID,
		}},
	})
	return nil
}

func (r *gitlabReporter) Close(sum *Summary) error {
	sum = orEmpty(sum)
	tool := gitlabTool{ID: "leakhound", Name: "leakhound", URL: toolURI,
		Version: r.opts.version(), Vendor: gitlabVendor{Name: "leakhound"}}
	scan := gitlabScan{
		Analyzer: tool, Scanner: tool, Type: "secret_detection", Status: "success",
		StartTime: gitlabTime(sum.Started),
		EndTime:   gitlabTime(sum.Started.Add(sum.Duration)),
	}
	for _, e := range sum.Errors {
		scan.Messages = append(scan.Messages, gitlabMessage{Level: "warn", Value: e})
	}
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	rep := gitlabReport{Version: gitlabSchemaVersion, Vulnerabilities: r.vulns, Scan: scan}
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write gitlab report: %w", err)
	}
	return nil
}

// gitlabTime formats t as GitLab's schema wants it: UTC to the second, without a zone.
func gitlabTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05")
}

// gitlabID derives a stable UUID-shaped id (version 8, name-based) from what makes a finding
// unique in one report: its fingerprint, commit and position.
func gitlabID(f *finding.Finding) string {
	h := sha256.Sum256([]byte(f.Fingerprint + "\x00" + f.Commit + "\x00" +
		strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)))
	h[6] = h[6]&0x0f | 0x80
	h[8] = h[8]&0x3f | 0x80
	s := hex.EncodeToString(h[:16])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
