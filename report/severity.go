package report

import "strings"

// Severity names, as rules spell them. An empty or unknown severity is treated as medium
// where a format needs one.
const (
	sevCritical = "critical"
	sevHigh     = "high"
	sevMedium   = "medium"
	sevLow      = "low"
	sevInfo     = "info"
)

// severityOrder lists severities from the most to the least urgent, for summaries.
var severityOrder = []string{sevCritical, sevHigh, sevMedium, sevLow, sevInfo, ""}

// normSeverity returns s in lower case, or "" when it is not a known severity.
func normSeverity(s string) string {
	s = strings.ToLower(s)
	switch s {
	case sevCritical, sevHigh, sevMedium, sevLow, sevInfo:
		return s
	}
	return ""
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(sev string) string {
	switch normSeverity(sev) {
	case sevCritical, sevHigh:
		return "error"
	case sevLow, sevInfo:
		return "note"
	}
	return "warning"
}

// securitySeverity maps a severity to the 0.0–10.0 score code-scanning services read from a
// rule's "security-severity" property.
func securitySeverity(sev string) string {
	switch normSeverity(sev) {
	case sevCritical:
		return "9.5"
	case sevHigh:
		return "8.0"
	case sevLow:
		return "3.0"
	case sevInfo:
		return "1.0"
	}
	return "5.5"
}

// gitlabSeverity maps a severity to GitLab's capitalised severity names.
func gitlabSeverity(sev string) string {
	switch normSeverity(sev) {
	case sevCritical:
		return "Critical"
	case sevHigh:
		return "High"
	case sevMedium:
		return "Medium"
	case sevLow:
		return "Low"
	case sevInfo:
		return "Info"
	}
	return "Unknown"
}
