package report

import (
	"encoding/xml"
	"testing"
)

// The JUnit report must read back with a plain decoder into suite and case structs, the
// way CI systems read it.
type parsedSuite struct {
	XMLName  xml.Name     `xml:"testsuite"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Cases    []parsedCase `xml:"testcase"`
}

type parsedCase struct {
	Name      string `xml:"name,attr"`
	ClassName string `xml:"classname,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	} `xml:"failure"`
}

func parseJUnit(t *testing.T, out string) parsedSuite {
	t.Helper()
	var s parsedSuite
	if err := xml.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("parse junit report: %v", err)
	}
	if s.Tests != len(s.Cases) {
		t.Errorf("tests = %d, but %d testcases", s.Tests, len(s.Cases))
	}
	return s
}

func TestJUnitFailsPerFinding(t *testing.T) {
	found := testFindings()
	found[1].Message = "bad \x00 control \x1b[31m text"
	out, err := render("junit", testOptions, found)
	if err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, out)
	if s.Failures != len(found) || len(s.Cases) != len(found) {
		t.Fatalf("got %d failures in %d cases, want %d", s.Failures, len(s.Cases), len(found))
	}
	for i, c := range s.Cases {
		if c.Failure == nil || c.Failure.Type != found[i].RuleID || c.Failure.Message == "" {
			t.Errorf("case %d = %+v, want a failure of type %s", i, c, found[i].RuleID)
		}
	}
}

func TestJUnitPassesWhenClean(t *testing.T) {
	out, err := render("junit", testOptions, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := parseJUnit(t, out)
	if s.Failures != 0 || len(s.Cases) != 1 || s.Cases[0].Failure != nil {
		t.Errorf("clean scan gave %+v, want one passing case", s)
	}
}
