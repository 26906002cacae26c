package detectors

import (
	"testing"
)

// TestBuiltinRuleExamples runs every built-in rule's examples through the whole engine, so a
// rule must be found through its keywords, pass its filters and checks, and keep quiet on its
// negatives.
func TestBuiltinRuleExamples(t *testing.T) {
	cfg, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Check(); err != nil {
		t.Fatal(err)
	}
	sc := e.NewScanner()
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.Examples) < 1 || len(r.Negatives) < 1 {
				t.Fatalf("rule has %d examples and %d negatives, want at least 1 of each",
					len(r.Examples), len(r.Negatives))
			}
			if len(r.Keywords) == 0 {
				t.Errorf("built-in rule has no keywords")
			}
			for _, ex := range r.Examples {
				if !hasRule(t, sc, ex, r.ID) {
					t.Errorf("example %q: no match", ex)
				}
			}
			for _, ex := range r.Negatives {
				if hasRule(t, sc, ex, r.ID) {
					t.Errorf("negative %q: matched", ex)
				}
			}
		})
	}
}

func hasRule(t *testing.T, sc *Scanner, text, id string) bool {
	t.Helper()
	ms, err := sc.Scan("example.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Rule.ID == id {
			return true
		}
	}
	return false
}
