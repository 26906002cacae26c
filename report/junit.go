package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// junitSuite is the root element of the JUnit report: one suite for the scan.
type junitSuite struct {
	XMLName   xml.Name    `xml:"testsuite"`
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

// junitCase is one finding, or the single passing case of a clean scan.
type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitReporter writes a JUnit XML file at Close, for CI systems that show test results: one
// failing test case per finding, or one passing case when the scan found nothing.
type junitReporter struct {
	w     io.Writer
	opts  Options
	cases []junitCase
}

func newJUnit(w io.Writer, opts Options) *junitReporter {
	return &junitReporter{w: w, opts: opts}
}

func (r *junitReporter) Add(f *finding.Finding) error {
	where := location(f)
	r.cases = append(r.cases, junitCase{
		Name:      fmt.Sprintf("%s at %s", f.RuleID, where),
		ClassName: "leakhound." + f.RuleID,
		Time:      "0",
		Failure: &junitFailure{
			Message: fmt.Sprintf("%s in %s", f.Description, where),
			Type:    f.RuleID,
			Text:    r.failureText(f),
		},
	})
	return nil
}

func (r *junitReporter) failureText(f *finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", f.Description, f.RuleID)
	fmt.Fprintf(&b, "location: %s\n", location(f))
	if f.Commit != "" {
		fmt.Fprintf(&b, "commit: %s by %s <%s> on %s\n", f.Commit, f.Author, f.Email,
			f.Date.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "secret: %s\n", r.opts.SecretText(f.Secret))
	fmt.Fprintf(&b, "fingerprint: %s\n", f.Fingerprint)
	fmt.Fprintf(&b, "fix: %s\n", advice(f))
	return b.String()
}

func (r *junitReporter) Close(sum *Summary) error {
	sum = orEmpty(sum)
	suite := junitSuite{
		Name:     "leakhound",
		Failures: len(r.cases),
		Time:     fmt.Sprintf("%.3f", sum.Duration.Seconds()),
		Cases:    r.cases,
	}
	if !sum.Started.IsZero() {
		suite.Timestamp = sum.Started.UTC().Format("2006-01-02T15:04:05")
	}
	if len(suite.Cases) == 0 {
		suite.Cases = []junitCase{{
			Name: "no secrets found", ClassName: "leakhound", Time: suite.Time,
		}}
	}
	suite.Tests = len(suite.Cases)
	if _, err := io.WriteString(r.w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(r.w)
	enc.Indent("", "  ")
	if err := enc.Encode(suite); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	_, err := io.WriteString(r.w, "\n")
	return err
}

// location names where a finding is: "path:line:column", or the commit message.
func location(f *finding.Finding) string {
	if f.Path == "" {
		return fmt.Sprintf("commit message of %s", shortCommit(f.Commit))
	}
	return fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
}
