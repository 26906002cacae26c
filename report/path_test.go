package report

import (
	"slices"
	"testing"
)

func TestFormatFromPath(t *testing.T) {
	tests := []struct {
		path, want string
	}{
		{"leaks.json", "json"},
		{"out/leaks.JSON", "json"},
		{"leaks.jsonl", "jsonl"},
		{"leaks.ndjson", "jsonl"},
		{"leaks.sarif", "sarif"},
		{"leaks.sarif.json", "sarif"},
		{"leaks.csv", "csv"},
		{"junit.xml", "junit"},
		{"report.html", "html"},
		{"report.htm", "html"},
		{"leaks.txt", "text"},
		{"gl-secret-detection-report.json", "gitlab"},
		{"ci/gl-secret-detection-report.json", "gitlab"},
		{`C:\ci\gl-secret-detection-report.json`, "gitlab"},
		{"leaks", ""},
		{"leaks.pdf", ""},
		{"gl-secret-detection-report.xml", "junit"},
	}
	for _, tt := range tests {
		got, ok := FormatFromPath(tt.path)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("FormatFromPath(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
		if ok && !slices.Contains(Formats, got) {
			t.Errorf("FormatFromPath(%q) = %q, which New does not accept", tt.path, got)
		}
	}
}
