package report

import (
	"encoding/json"
	"regexp"
	"slices"
	"testing"
)

// No copy of GitLab's security report schema could be had from the package registries this
// project uses, so this test checks each field GitLab documents for secret-detection reports.

var (
	gitlabTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$`)
	gitlabVerRE  = regexp.MustCompile(`^15\.\d+\.\d+$`)
	uuidRE       = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

func TestGitLabReportFields(t *testing.T) {
	out, err := render("gitlab", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if v, _ := rep["version"].(string); !gitlabVerRE.MatchString(v) {
		t.Errorf("version = %q, want a 15.x schema version", v)
	}
	checkGitLabScan(t, rep["scan"])
	vulns, _ := rep["vulnerabilities"].([]any)
	if len(vulns) != len(testFindings()) {
		t.Fatalf("got %d vulnerabilities, want %d", len(vulns), len(testFindings()))
	}
	ids := map[string]bool{}
	for _, v := range vulns {
		id := checkGitLabVuln(t, v.(map[string]any))
		if ids[id] {
			t.Errorf("vulnerability id %s used twice", id)
		}
		ids[id] = true
	}
}

func checkGitLabScan(t *testing.T, v any) {
	t.Helper()
	scan, _ := v.(map[string]any)
	if scan["type"] != "secret_detection" {
		t.Errorf("scan.type = %v, want secret_detection", scan["type"])
	}
	if s := scan["status"]; s != "success" && s != "failure" {
		t.Errorf("scan.status = %v, want success or failure", s)
	}
	for _, k := range []string{"start_time", "end_time"} {
		if s, _ := scan[k].(string); !gitlabTimeRE.MatchString(s) {
			t.Errorf("scan.%s = %q, want YYYY-MM-DDTHH:MM:SS", k, s)
		}
	}
	for _, k := range []string{"analyzer", "scanner"} {
		tool, _ := scan[k].(map[string]any)
		for _, f := range []string{"id", "name", "version"} {
			if s, _ := tool[f].(string); s == "" {
				t.Errorf("scan.%s.%s is empty", k, f)
			}
		}
		vendor, _ := tool["vendor"].(map[string]any)
		if s, _ := vendor["name"].(string); s == "" {
			t.Errorf("scan.%s.vendor.name is empty", k)
		}
	}
}

// checkGitLabVuln checks one vulnerability and returns its id.
func checkGitLabVuln(t *testing.T, v map[string]any) string {
	t.Helper()
	id, _ := v["id"].(string)
	if !uuidRE.MatchString(id) {
		t.Errorf("id %q is not a UUID", id)
	}
	if v["category"] != "secret_detection" {
		t.Errorf("%s: category = %v", id, v["category"])
	}
	for _, k := range []string{"name", "description", "solution"} {
		if s, _ := v[k].(string); s == "" {
			t.Errorf("%s: %s is empty", id, k)
		}
	}
	sevs := []string{"Info", "Unknown", "Low", "Medium", "High", "Critical"}
	if s, _ := v["severity"].(string); !slices.Contains(sevs, s) {
		t.Errorf("%s: severity %q not one of %v", id, s, sevs)
	}
	loc, _ := v["location"].(map[string]any)
	commit, _ := loc["commit"].(map[string]any)
	if s, _ := commit["sha"].(string); s == "" {
		t.Errorf("%s: location.commit.sha is empty", id)
	}
	if _, ok := loc["file"]; ok {
		if line, _ := loc["start_line"].(float64); line < 1 {
			t.Errorf("%s: location.start_line = %v", id, loc["start_line"])
		}
	}
	idents, _ := v["identifiers"].([]any)
	if len(idents) == 0 {
		t.Errorf("%s: no identifiers", id)
	}
	for _, i := range idents {
		ident, _ := i.(map[string]any)
		for _, k := range []string{"type", "name", "value"} {
			if s, _ := ident[k].(string); s == "" {
				t.Errorf("%s: identifier %s is empty", id, k)
			}
		}
	}
	return id
}
