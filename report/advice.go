package report

import "github.com/leakhound/leakhound/finding"

// advice is the one line of what to do about a finding; every format that has room for
// remediation shows it.
func advice(f *finding.Finding) string {
	if f.Commit != "" {
		return "rotate this credential now, then remove it from history " +
			"(git filter-repo) or record its fingerprint in .leakhoundignore"
	}
	return "rotate this credential, remove it, or mark a false positive with leakhound:allow"
}

// ruleHelp is the remediation text for a rule as a whole, for formats that describe rules
// apart from their findings.
const ruleHelp = "Revoke or rotate the credential with its issuer first: removing it from the " +
	"code does not make a leaked secret safe. Then remove it from the file and, if it was " +
	"committed, from history, or record a false positive's fingerprint in .leakhoundignore."

// shortCommit returns the first 12 characters of a commit id.
func shortCommit(c string) string {
	return c[:min(len(c), 12)]
}
