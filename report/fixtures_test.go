package report

import (
	"strings"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// Test secrets are assembled at run time so that this file holds no credential-shaped text
// and the repository scans clean with leakhound's own rules.
var (
	testGitHubSecret  = "ghp_" + strings.Repeat("Zq9", 12)
	testAWSSecret     = "AKIA" + strings.Repeat("Q7", 8)
	testGenericSecret = "s3cr3t_" + strings.Repeat("v4lu3", 4)
)

// testSecrets lists every secret in testFindings.
var testSecrets = []string{testGitHubSecret, testAWSSecret, testGenericSecret}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(10 * time.Hour)
}

func newTestFinding(rule, desc, sev, path, secret string, line, col int) *finding.Finding {
	wrapped := finding.NewSecret(secret)
	return &finding.Finding{
		RuleID: rule, Description: desc, Severity: sev, Confidence: "high",
		Path: path, Line: line, Column: col, EndLine: line, EndColumn: col + len(secret) - 1,
		Secret: wrapped, Entropy: 4.1234,
		Fingerprint: finding.Fingerprint(rule, path, secret),
	}
}

func withCommit(f *finding.Finding, sha, author, email, date, msg string) *finding.Finding {
	f.Commit, f.Author, f.Email, f.Date, f.Message = sha, author, email, day(date), msg
	return f
}

// testFindings is the fixed set every golden file is made from: two rules, a repeated
// secret, hostile text in a path, an author and a message, a commit-message finding and a
// finding outside history.
func testFindings() []*finding.Finding {
	const ghDesc = "GitHub personal access token (classic)"
	gen := "Password, secret, token or API key assigned a random-looking value"
	pat := newTestFinding("github-pat", ghDesc, "critical", "config/app.env",
		testGitHubSecret, 3, 14)
	pat.Validated = "pass"
	aws := newTestFinding("aws-access-key-id", "AWS access key id", "critical",
		"deploy/prod vars.tfvars", testAWSSecret, 7, 19)
	weird := newTestFinding("generic-secret", gen, "medium", "web/a&b <x>.js",
		testGenericSecret, 12, 5)
	weird.Confidence = "low"
	again := newTestFinding("github-pat", ghDesc, "critical", "config/app.env",
		testGitHubSecret, 4, 14)
	msg := newTestFinding("generic-secret", gen, "medium", "", testGenericSecret, 1, 22)
	loose := newTestFinding("aws-access-key-id", "AWS access key id", "critical",
		"notes.txt", testAWSSecret, 2, 1)
	return []*finding.Finding{
		withCommit(pat, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "Alice Example",
			"alice@example.com", "2024-01-15", "Add app config"),
		withCommit(aws, "b2c3d4e5f60718293a4b5c6d7e8f9012345678a1", "@bob",
			"bob@example.com", "2024-03-02", "=SUM(1,2) fix deploy"),
		withCommit(weird, "c3d4e5f60718293a4b5c6d7e8f9012345678a1b2",
			`Eve "<script>alert(1)</script>"`, "eve@example.com", "2024-03-20",
			"<img src=x onerror=alert(1)>"),
		withCommit(again, "d4e5f60718293a4b5c6d7e8f9012345678a1b2c3", "Alice Example",
			"alice@example.com", "2024-06-01", "Move config"),
		withCommit(msg, "e5f60718293a4b5c6d7e8f9012345678a1b2c3d4", "Alice Example",
			"alice@example.com", "2024-06-05", "deploy with the new password"),
		loose,
	}
}

// testSummary is the fixed summary the golden files are closed with.
func testSummary(findings int) *Summary {
	return &Summary{
		Source:   "/src/widgets",
		Remote:   "git@github.com:acme/widgets.git",
		Refs:     []string{"refs/heads/main", "refs/tags/v1.0"},
		Commits:  42,
		Blobs:    1234,
		Bytes:    5_678_901,
		Skipped:  map[string]int{"binary": 3, "too-large": 1},
		Findings: findings,
		Started:  time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC),
		Duration: 3250 * time.Millisecond,
		Notes:    []string{"shallow clone"},
	}
}

// testOptions are the options of the golden files.
var testOptions = Options{RedactKeep: 4, Version: "0.0.0-test"}

// render writes found in format with opts and returns the report.
func render(format string, opts Options, found []*finding.Finding) (string, error) {
	var b strings.Builder
	r, err := New(format, &b, opts)
	if err != nil {
		return "", err
	}
	for _, f := range found {
		if err := r.Add(f); err != nil {
			return "", err
		}
	}
	err = r.Close(testSummary(len(found)))
	return b.String(), err
}
