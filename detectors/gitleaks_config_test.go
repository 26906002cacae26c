package detectors

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const sampleGitleaks = `title = "team config"
[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "internal-token"
description = "Our internal service token"
regex = '''itk_([a-z0-9]{24})'''
secretGroup = 1
entropy = 3.0
keywords = ["itk_"]
path = '''\.(env|ya?ml)$'''
[[rules.allowlists]]
stopwords = ["itk_staging"]

[[rules]]
id = "p12-files"
path = '''\.p12$'''

[allowlist]
description = "global"
paths = ['''^third_party/''']
regexTarget = "line"
regexes = ['''fake-token''']
commits = ["deadbeefcafe"]

[[allowlists]]
targetRules = ["aws-access-token"]
paths = ['''^aws-fixtures/''']
`

// TestParseGitleaks checks the translation of each field of a gitleaks config.
func TestParseGitleaks(t *testing.T) {
	cfg, notes, err := ParseGitleaks("x", []byte(sampleGitleaks))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Extend.UseDefault || !slices.Contains(cfg.Extend.DisabledRules, "generic-secret") {
		t.Errorf("extend: got %+v", cfg.Extend)
	}
	if len(cfg.Rules) != 1 || len(notes) != 1 {
		t.Fatalf("got %d rules and notes %q, want 1 rule and a note on p12-files", len(cfg.Rules),
			notes)
	}
	r := cfg.Rules[0]
	if r.SecretGroup != 1 || r.Entropy != 3 || r.Path == "" || r.Allowlist.Stopwords[0] != "itk_staging" {
		t.Errorf("rule: got %+v", r)
	}
	if cfg.Allowlist.RegexTarget != "line" || cfg.Allowlist.Commits[0] != "deadbeefcafe" {
		t.Errorf("allowlist: got %+v", cfg.Allowlist)
	}
	if len(cfg.targeted) != 1 {
		t.Errorf("targeted allowlists: got %d, want 1", len(cfg.targeted))
	}
}

// TestLoadGitleaks scans with a translated config end to end.
func TestLoadGitleaks(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".gitleaks.toml")
	if err := os.WriteFile(p, []byte(sampleGitleaks), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := LoadGitleaks(p)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tok := "itk_" + "q8z2m4x7c1v9b3n6k5j0h2g4"
	aws := "AKIA" + "QZ7M2XKVW4RTYB5N"
	generic := "Zq8wLm3R" + "t9Vx2Kp7"
	tests := []struct {
		path, text, rule string
		want             bool
	}{
		{"app.env", "T=" + tok, "internal-token", true},
		{"app.go", "T=" + tok, "internal-token", false},
		{"third_party/app.env", "T=" + tok, "internal-token", false},
		{"app.env", "T=" + tok + " # fake-token", "internal-token", false},
		{"a.py", "k = '" + aws + "'", "aws-access-key-id", true},
		{"aws-fixtures/a.py", "k = '" + aws + "'", "aws-access-key-id", false},
		{"a.py", "password = \"" + generic + "\"", "generic-secret", false},
	}
	for _, tt := range tests {
		ids := ruleIDs(t, e, tt.path, tt.text)
		if got := slices.Contains(ids, tt.rule); got != tt.want {
			t.Errorf("%s %q: %s found %v, want %v", tt.path, tt.text, tt.rule, got, tt.want)
		}
	}
	if !e.CommitAllowed("internal-token", "deadbeefcafe1234") {
		t.Errorf("commit allowlist not applied")
	}
}

// FuzzParseGitleaks feeds arbitrary text to the gitleaks translator: it must not panic, and
// an accepted config must build an engine.
func FuzzParseGitleaks(f *testing.F) {
	f.Add([]byte(sampleGitleaks))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzConfig {
			return
		}
		cfg, _, err := ParseGitleaks("fuzz", data)
		if err != nil {
			return
		}
		e, err := New(cfg)
		if err != nil {
			return
		}
		_ = e.Check()
		_, _ = e.NewScanner().Scan("fuzz.env", data)
	})
}
