package report

import (
	"strings"
	"testing"
)

// TestNoFormatRevealsSecrets renders every format at every redaction level and checks that
// no full secret appears unless NoRedact asks for it.
func TestNoFormatRevealsSecrets(t *testing.T) {
	for _, format := range Formats {
		for keep := 0; keep <= 5; keep++ {
			opts := Options{RedactKeep: keep}
			out, err := render(format, opts, testFindings())
			if err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			for _, s := range testSecrets {
				if strings.Contains(out, s) {
					t.Errorf("%s with RedactKeep %d contains a full secret", format, keep)
				}
			}
			shown := min(keep, 4)
			if want := testGitHubSecret[:shown] + "********"; !strings.Contains(out, want) {
				t.Errorf("%s with RedactKeep %d lacks the redacted form %q", format, keep, want)
			}
			if keep < 4 && strings.Contains(out, testGitHubSecret[:4]+"****") {
				t.Errorf("%s with RedactKeep %d shows 4 leading characters", format, keep)
			}
		}
	}
}

func TestNoRedactShowsSecrets(t *testing.T) {
	for _, format := range Formats {
		out, err := render(format, Options{NoRedact: true}, testFindings())
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, s := range testSecrets {
			if !strings.Contains(out, s) {
				t.Errorf("%s with NoRedact lacks a full secret", format)
			}
		}
	}
}
