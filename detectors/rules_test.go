package detectors

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/configs"
)

// Minimums every built-in rule and the built-in rule set must meet.
const (
	minExamples     = 2
	minNegatives    = 1
	minBuiltinRules = 200
)

// builtinEngine returns an engine over the built-in rules with every regex compiled.
func builtinEngine(t testing.TB) *Engine {
	t.Helper()
	cfg, err := BuiltinTOML() // with the examples the tests run
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
	return e
}

// TestBuiltinRuleCount keeps the built-in rule set from shrinking by accident.
func TestBuiltinRuleCount(t *testing.T) {
	if n := len(builtinEngine(t).Rules()); n < minBuiltinRules {
		t.Errorf("built-in rules: got %d, want at least %d", n, minBuiltinRules)
	}
}

// TestBuiltinRuleExamples runs every built-in rule's examples through the whole engine, so a
// rule must be found through its keywords, pass its filters and checks, and keep quiet on its
// negatives.
func TestBuiltinRuleExamples(t *testing.T) {
	e := builtinEngine(t)
	sc := e.NewScanner()
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.Examples) < minExamples || len(r.Negatives) < minNegatives {
				t.Fatalf("rule has %d examples and %d negatives, want at least %d and %d",
					len(r.Examples), len(r.Negatives), minExamples, minNegatives)
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

// TestBuiltinRuleKeywordsInMatch checks the prefilter's contract on the examples: the engine
// only looks near keyword hits, so every regex match must itself contain a keyword.
func TestBuiltinRuleKeywordsInMatch(t *testing.T) {
	for _, r := range builtinEngine(t).Rules() {
		for _, ex := range r.Examples {
			for _, loc := range r.findAll([]byte(ex)) {
				if m := ex[loc[0]:loc[1]]; !containsKeyword(m, r.Keywords) {
					t.Errorf("rule %s: match %q holds none of the keywords %q", r.ID, m, r.Keywords)
				}
			}
		}
	}
}

func containsKeyword(s string, keywords []string) bool {
	s = strings.ToLower(s)
	for _, k := range keywords {
		if strings.Contains(s, strings.ToLower(k)) {
			return true
		}
	}
	return false
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

// TestBuiltinSnapshotCurrent checks that configs/rules.gob, which runs load, holds exactly
// the rules of configs/rules.toml.
func TestBuiltinSnapshotCurrent(t *testing.T) {
	src, err := BuiltinTOML()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Snapshot(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, configs.Snapshot) {
		t.Fatal("configs/rules.gob is stale: run go generate ./configs")
	}
	got, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rules) != len(src.Rules) || got.Version != src.Version {
		t.Errorf("snapshot has %d rules, version %q; TOML has %d, %q", len(got.Rules),
			got.Version, len(src.Rules), src.Version)
	}
}
