package report

import (
	"path"
	"strings"
)

// FormatFromPath infers a report format from the name of the file it will be written to, so
// that several report files can be asked for in one run. GitLab's conventional artifact name
// (gl-secret-detection-report.json, or any gl-*.json) means gitlab; otherwise the extension
// decides: .json, .jsonl or .ndjson, .sarif (also .sarif.json), .csv, .xml (JUnit), .html or
// .htm, and .txt. It reports false when the name says nothing.
func FormatFromPath(p string) (string, bool) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	switch {
	case strings.HasPrefix(base, "gl-") && strings.HasSuffix(base, ".json"):
		return "gitlab", true
	case strings.HasSuffix(base, ".sarif"), strings.HasSuffix(base, ".sarif.json"):
		return "sarif", true
	}
	switch path.Ext(base) {
	case ".json":
		return "json", true
	case ".jsonl", ".ndjson":
		return "jsonl", true
	case ".csv":
		return "csv", true
	case ".xml":
		return "junit", true
	case ".html", ".htm":
		return "html", true
	case ".txt":
		return "text", true
	}
	return "", false
}
