package report

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/finding"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sarifSchemaFile is the official SARIF 2.1.0 schema; testdata/README.md says where the
// copy comes from.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

func compileSchema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(file)
	if err != nil {
		t.Fatalf("compile %s: %v", file, err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, out string) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("parse report: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("report does not follow the schema: %v", err)
	}
}

func TestSARIFFollowsSchema(t *testing.T) {
	sch := compileSchema(t, sarifSchemaFile)
	for _, found := range [][]*finding.Finding{testFindings(), nil} {
		out, err := render("sarif", testOptions, found)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, sch, out)
	}
}

// TestSARIFSchemaRejects makes sure the schema test can fail: a log with a wrong version
// and a result without a message must not pass.
func TestSARIFSchemaRejects(t *testing.T) {
	sch := compileSchema(t, sarifSchemaFile)
	for _, bad := range []string{
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
			"results": [{"ruleId": "r"}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("schema accepts %s", bad)
		}
	}
}

// TestSARIFRulesAndURIs checks what the schema cannot: rule ids are unique and results
// point at them, and no artifact URI is absolute.
func TestSARIFRulesAndURIs(t *testing.T) {
	out, err := render("sarif", testOptions, append(testFindings(), testFindings()...))
	if err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	ids := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if ids[r.ID] {
			t.Errorf("rule %q described twice", r.ID)
		}
		ids[r.ID] = true
	}
	for _, res := range run.Results {
		if got := run.Tool.Driver.Rules[res.RuleIndex].ID; got != res.RuleID {
			t.Errorf("result of %q has ruleIndex pointing at %q", res.RuleID, got)
		}
		if res.PartialFingerprints[sarifFingerprintKey] == "" {
			t.Errorf("result of %q has no %s fingerprint", res.RuleID, sarifFingerprintKey)
		}
		for _, loc := range res.Locations {
			if loc.Physical != nil {
				checkRelativeURI(t, loc.Physical.Artifact)
			}
		}
	}
}

func checkRelativeURI(t *testing.T, a sarifArtifact) {
	t.Helper()
	u, err := url.Parse(a.URI)
	if err != nil || u.IsAbs() || strings.HasPrefix(a.URI, "/") || u.Host != "" {
		t.Errorf("artifact URI %q is not a relative reference (err %v)", a.URI, err)
	}
	if a.URIBaseID != sarifSrcRoot {
		t.Errorf("artifact %q has uriBaseId %q, want %q", a.URI, a.URIBaseID, sarifSrcRoot)
	}
}

func TestRelativeURI(t *testing.T) {
	tests := []struct{ path, want string }{
		{"config/app.env", "config/app.env"},
		{"deploy/prod vars.tfvars", "deploy/prod%20vars.tfvars"},
		{"/etc/passwd", "etc/passwd"},
		{"//host/share/x", "host/share/x"},
		{`C:\src\x.go`, "src/x.go"},
		{"c:foo/bar", "foo/bar"},
		{"http:/x", "http%3A/x"},
		{"sub/http:x", "sub/http%3Ax"},
		{"a#b?c.txt", "a%23b%3Fc.txt"},
		{"web/a&b <x>.js", "web/a&b%20%3Cx%3E.js"},
	}
	for _, tt := range tests {
		got := relativeURI(tt.path)
		if got != tt.want {
			t.Errorf("relativeURI(%q) = %q, want %q", tt.path, got, tt.want)
		}
		checkRelativeURI(t, sarifArtifact{URI: got, URIBaseID: sarifSrcRoot})
	}
}
