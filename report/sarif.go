package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/leakhound/leakhound/finding"
)

const (
	sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	// sarifSrcRoot is the base id every artifact URI is relative to: the scanned root.
	sarifSrcRoot = "%SRCROOT%"
	// sarifFingerprintKey names the content fingerprint in partialFingerprints; the
	// version changes if finding.Fingerprint ever hashes differently.
	sarifFingerprintKey = "leakhound/v1"
	toolURI             = "https://github.com/leakhound/leakhound"
)

// sarifReporter writes one SARIF 2.1.0 log at Close. Every artifact URI is relative to
// %SRCROOT%, the scanned root, so the log can be uploaded from any checkout; each result
// carries the content fingerprint so that services track it across line moves.
type sarifReporter struct {
	w       io.Writer
	opts    Options
	tally   tally
	results []sarifResult
}

func newSARIF(w io.Writer, opts Options) *sarifReporter {
	return &sarifReporter{w: w, opts: opts, results: []sarifResult{}}
}

func (r *sarifReporter) Add(f *finding.Finding) error {
	r.results = append(r.results, sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           r.tally.add(f),
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: sarifMessage(f)},
		Locations:           []sarifLocation{sarifLocationOf(f)},
		PartialFingerprints: map[string]string{sarifFingerprintKey: f.Fingerprint},
		Properties: sarifResultProps{
			Commit:      f.Commit,
			Author:      f.Author,
			Email:       f.Email,
			Date:        rfc3339(f.Date),
			Secret:      r.opts.SecretText(f.Secret),
			Severity:    f.Severity,
			Confidence:  f.Confidence,
			Validated:   f.Validated,
			Fingerprint: f.Fingerprint,
		},
	})
	return nil
}

func (r *sarifReporter) Close(sum *Summary) error {
	sum = orEmpty(sum)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "leakhound",
			Version:        r.opts.version(),
			InformationURI: toolURI,
			Rules:          r.rules(),
		}},
		Invocations: []sarifInvocation{sarifInvocationOf(sum)},
		Results:     r.results,
	}
	if web, ok := ParseWebRepo(sum.Remote); ok {
		run.VCS = []sarifVersionCtrl{{RepositoryURI: web.URL}}
	}
	enc := json.NewEncoder(r.w)
	enc.SetIndent("", "  ")
	log := sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// rules returns one descriptor per rule that has findings, in the order results index them.
func (r *sarifReporter) rules() []sarifRule {
	out := make([]sarifRule, 0, len(r.tally.rules))
	for _, ri := range r.tally.rules {
		out = append(out, sarifRule{
			ID:               ri.ID,
			Name:             ruleName(ri.ID),
			ShortDescription: sarifText{Text: ri.Description},
			Help:             sarifText{Text: ruleHelp},
			DefaultConfig:    sarifRuleConfig{Level: sarifLevel(ri.Severity)},
			Properties: sarifRuleProps{
				Tags:             []string{"security", "secret"},
				SecuritySeverity: securitySeverity(ri.Severity),
			},
		})
	}
	return out
}

func sarifInvocationOf(sum *Summary) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: len(sum.Errors) == 0}
	if !sum.Started.IsZero() {
		inv.StartTimeUTC = rfc3339(sum.Started)
		inv.EndTimeUTC = rfc3339(sum.Started.Add(sum.Duration))
	}
	for _, e := range sum.Errors {
		inv.Notifications = append(inv.Notifications,
			sarifNotifying{Level: "error", Message: sarifText{Text: e}})
	}
	return inv
}

func sarifMessage(f *finding.Finding) string {
	msg := f.Description + " found"
	if f.Commit != "" {
		msg += " in commit " + shortCommit(f.Commit)
	}
	return msg + ". Fix: " + advice(f) + "."
}

// sarifLocationOf returns a physical location for a file, and a message-only location for a
// commit message, which has no file to point at.
func sarifLocationOf(f *finding.Finding) sarifLocation {
	if f.Path == "" {
		return sarifLocation{Message: &sarifText{Text: location(f)}}
	}
	return sarifLocation{Physical: &sarifPhysical{
		Artifact: sarifArtifact{URI: relativeURI(f.Path), URIBaseID: sarifSrcRoot},
		Region: sarifRegion{
			StartLine:   max(f.Line, 1),
			StartColumn: max(f.Column, 1),
			EndLine:     max(f.EndLine, f.Line, 1),
			// SARIF's end column is the one after the region; a Finding's is its last byte.
			EndColumn: max(f.EndColumn+1, 1),
		},
	}}
}

// relativeURI turns a slash-separated path relative to the scanned root into a relative URI
// reference: each segment percent-encoded (colons too, so no segment reads as a scheme),
// leading slashes and a drive letter dropped so the result is never absolute.
func relativeURI(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) >= 2 && p[1] == ':' {
		p = p[2:]
	}
	p = strings.TrimLeft(p, "/")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// ruleName turns a rule id such as "github-pat" into the PascalCase name SARIF viewers show.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool {
		return r == '-' || r == '_' || r == '.'
	}) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
