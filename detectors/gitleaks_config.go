package detectors

import (
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// A gitleaks configuration (.gitleaks.toml) read as gitleaks writes it, so a repository that
// migrates from gitleaks needs no new file. Only the fields leakhound can honour are read;
// the others are reported by ParseGitleaks as notes.
type glConfig struct {
	Title      string        `toml:"title"`
	Extend     glExtend      `toml:"extend"`
	Rules      []glRule      `toml:"rules"`
	Allowlist  glAllowlist   `toml:"allowlist"`
	Allowlists []glAllowlist `toml:"allowlists"`
}

type glExtend struct {
	UseDefault    bool     `toml:"useDefault"`
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	DisabledRules []string `toml:"disabledRules"`
}

type glRule struct {
	ID          string        `toml:"id"`
	Description string        `toml:"description"`
	Regex       string        `toml:"regex"`
	SecretGroup int           `toml:"secretGroup"`
	Entropy     float64       `toml:"entropy"`
	Keywords    []string      `toml:"keywords"`
	Path        string        `toml:"path"`
	Tags        []string      `toml:"tags"`
	Allowlist   glAllowlist   `toml:"allowlist"`
	Allowlists  []glAllowlist `toml:"allowlists"`
}

type glAllowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	Regexes     []string `toml:"regexes"`
	RegexTarget string   `toml:"regexTarget"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

// gitleaksIDs maps gitleaks rule ids that leakhound names differently to leakhound's, so that
// a gitleaks config's disabledRules and targetRules reach the rule they mean. Ids that are
// the same in both need no entry.
var gitleaksIDs = map[string][]string{
	"generic-api-key":  {"generic-secret", "generic-secret-xml", "generic-secret-flag"},
	"aws-access-token": {"aws-access-key-id"},
	"private-key": {"private-key-rsa", "private-key-ec", "private-key-dsa",
		"private-key-openssh", "private-key-pkcs8", "private-key-encrypted", "private-key-pgp",
		"private-key-other"},
	"gcp-api-key":         {"google-api-key"},
	"slack-webhook-url":   {"slack-webhook-url"},
	"stripe-access-token": {"stripe-secret-key", "stripe-restricted-key", "stripe-test-key"},
	"gitlab-pat":          {"gitlab-pat", "gitlab-pat-routable"},
}

// leakhoundIDs returns the leakhound rule ids a gitleaks rule id stands for.
func leakhoundIDs(id string) []string {
	if ids, ok := gitleaksIDs[id]; ok {
		return ids
	}
	return []string{id}
}

// ParseGitleaks reads a gitleaks configuration and returns the equivalent leakhound config,
// with notes on what it could not carry over: rules that match by path alone, allowlists
// whose conditions must all hold (leakhound allows when any holds), and extending from
// another file. extend.useDefault keeps leakhound's built-in rules, which play the part of
// gitleaks' defaults.
func ParseGitleaks(name string, data []byte) (*Config, []string, error) {
	var gc glConfig
	if _, err := toml.Decode(string(data), &gc); err != nil {
		return nil, nil, fmt.Errorf("parse gitleaks config %s: %w", name, err)
	}
	var notes []string
	cfg := &Config{Title: gc.Title, Version: "gitleaks"}
	cfg.Extend.UseDefault = gc.Extend.UseDefault
	for _, id := range gc.Extend.DisabledRules {
		cfg.Extend.DisabledRules = append(cfg.Extend.DisabledRules, leakhoundIDs(id)...)
	}
	if gc.Extend.Path != "" || gc.Extend.URL != "" {
		notes = append(notes, "extend.path and extend.url are not followed")
	}

	for _, gr := range gc.Rules {
		if gr.Regex == "" {
			notes = append(notes, fmt.Sprintf("rule %s matches by path only; skipped", gr.ID))
			continue
		}
		r := translateRule(gr, &notes)
		cfg.Rules = append(cfg.Rules, r)
	}

	cfg.Allowlist, notes = translateAllowlist(gc.Allowlist, notes)
	for _, ga := range gc.Allowlists {
		var a Allowlist
		a, notes = translateAllowlist(ga, notes)
		if len(ga.TargetRules) > 0 {
			cfg.targeted = append(cfg.targeted, targetedAllowlist{ids: ga.TargetRules, a: a})
			continue
		}
		cfg.Allowlists = append(cfg.Allowlists, a)
	}
	if err := cfg.check(); err != nil {
		return nil, notes, fmt.Errorf("gitleaks config %s: %w", name, err)
	}
	return cfg, notes, nil
}

func translateRule(gr glRule, notes *[]string) *Rule {
	r := &Rule{
		ID: gr.ID, Description: gr.Description, Regex: gr.Regex, SecretGroup: gr.SecretGroup,
		Entropy: gr.Entropy, Keywords: gr.Keywords, Path: gr.Path,
		Severity: "high", Confidence: "medium",
	}
	if r.Description == "" {
		r.Description = "gitleaks rule " + gr.ID
	}
	r.Allowlist, *notes = translateAllowlist(gr.Allowlist, *notes)
	for _, ga := range gr.Allowlists {
		var a Allowlist
		a, *notes = translateAllowlist(ga, *notes)
		mergeAllowlist(&r.Allowlist, a)
	}
	return r
}

func translateAllowlist(ga glAllowlist, notes []string) (Allowlist, []string) {
	if strings.EqualFold(ga.Condition, "AND") {
		notes = append(notes, fmt.Sprintf("allowlist %q: condition AND read as OR", ga.Description))
	}
	return Allowlist{
		Description: ga.Description, Paths: ga.Paths, Regexes: ga.Regexes,
		RegexTarget: ga.RegexTarget, Stopwords: ga.StopWords, Commits: ga.Commits,
	}, notes
}

// mergeAllowlist adds b's entries to a. A regex target of b's replaces a's only when a has
// no regexes of its own.
func mergeAllowlist(a *Allowlist, b Allowlist) {
	a.Paths = append(a.Paths, b.Paths...)
	a.Globs = append(a.Globs, b.Globs...)
	a.Stopwords = append(a.Stopwords, b.Stopwords...)
	a.Commits = append(a.Commits, b.Commits...)
	if len(a.Regexes) == 0 {
		a.RegexTarget = b.RegexTarget
	}
	a.Regexes = append(a.Regexes, b.Regexes...)
}

// LoadGitleaks reads the gitleaks config at path and resolves it against the built-in rules
// as Load does, applying allowlists aimed at particular rules to those rules.
func LoadGitleaks(path string) (*Config, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read gitleaks config: %w", err)
	}
	user, notes, err := ParseGitleaks(path, data)
	if err != nil {
		return nil, notes, err
	}
	base, err := Builtin()
	if err != nil {
		return nil, notes, err
	}
	out := Merge(base, user)
	for _, t := range user.targeted {
		for _, r := range out.Rules {
			if containsID(t.ids, r.ID) {
				mergeAllowlist(&r.Allowlist, t.a)
			}
		}
	}
	return out, notes, nil
}

func containsID(gitleaksIDs []string, id string) bool {
	for _, g := range gitleaksIDs {
		for _, l := range leakhoundIDs(g) {
			if l == id {
				return true
			}
		}
	}
	return false
}
