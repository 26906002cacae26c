// Package detectors turns bytes into matches. It owns the rule model, the built-in and user
// rule sets, the keyword prefilter, regex matching near keyword hits, entropy gates,
// allowlists and offline format checks.
//
// It is the lowest layer of the pipeline: sources (gitscan, dirscan) hand it decoded text and
// turn its matches into findings; it imports no source and no report.
package detectors

import (
	"fmt"
	"regexp"
	"sync"

	"github.com/dlclark/regexp2"
)

// Rule is one detector: a keyword-gated regular expression with optional entropy and
// allowlist filters. Rules are data, loaded from TOML; see configs/rules.toml.
type Rule struct {
	// ID is the stable rule identifier, lower-case with dashes ("github-pat").
	ID string `toml:"id" json:"id"`
	// Description says in a few words what the rule finds.
	Description string `toml:"description" json:"description"`
	// Keywords gate the rule: its regex runs only near a case-insensitive hit of one of them.
	// A rule without keywords runs over every input, which is slow; built-in rules have them.
	Keywords []string `toml:"keywords" json:"keywords"`
	// Regex is the pattern, Go RE2 syntax unless Engine is "regexp2".
	Regex string `toml:"regex" json:"regex"`
	// SecretGroup is the capture group holding the secret; 0 means the whole match, and a
	// pattern with exactly one group uses that group when SecretGroup is unset.
	SecretGroup int `toml:"secret_group" json:"secret_group,omitempty"`
	// Entropy is the minimum Shannon entropy (bits per byte) of the secret; 0 disables it.
	Entropy float64 `toml:"entropy" json:"entropy,omitempty"`
	// Severity is "critical", "high", "medium" or "low".
	Severity string `toml:"severity" json:"severity"`
	// Confidence is "high" for checksummed or strongly prefixed formats, "medium" or "low"
	// for formats that rely on context.
	Confidence string `toml:"confidence" json:"confidence"`
	// Validate names an offline format check (see validators.go); empty means none.
	Validate string `toml:"validate" json:"validate,omitempty"`
	// Filter names a Go filter (see filters.go) that judges the secret in its context, for
	// what a regex cannot say: "generic" rejects placeholders, references, hashes and
	// values that do not look random. Empty means none.
	Filter string `toml:"filter" json:"filter,omitempty"`
	// References are URLs describing the format.
	References []string `toml:"references" json:"references,omitempty"`
	// Window is how many bytes after a keyword hit the regex may reach; 0 means to the end
	// of the hit's line. Multi-line formats (PEM keys) set it.
	Window int `toml:"window" json:"window,omitempty"`
	// Anchored says every match begins exactly at a keyword hit. The regex is then tried
	// once at each hit instead of at every position of the hit's line, which matters for
	// rules whose keywords are common words (generic assignments, URLs). Only RE2 rules.
	Anchored bool `toml:"anchored" json:"anchored,omitempty"`
	// RegexEngine selects "re2" (default) or "regexp2" for patterns that need lookaround;
	// regexp2 patterns always run with MatchTimeout.
	RegexEngine string `toml:"engine" json:"engine,omitempty"`
	// Path, when set, is a regex on the slash-separated path: the rule applies only to
	// files whose path matches (gitleaks' rule path).
	Path string `toml:"path" json:"path,omitempty"`
	// Examples must each produce a match; Negatives must produce none. The rule test runs
	// every one.
	Examples  []string `toml:"examples" json:"-"`
	Negatives []string `toml:"negatives" json:"-"`
	// Allowlist suppresses matches of this rule.
	Allowlist Allowlist `toml:"allowlist" json:"-"`

	once    sync.Once
	path    *regexp.Regexp
	re      *regexp.Regexp
	re2     *regexp2.Regexp
	initErr error
}

// compile builds the rule's regex on first use, so a hook that sees few keyword hits
// compiles few regexes. It is safe for concurrent use.
func (r *Rule) compile() error {
	r.once.Do(func() {
		r.initErr = r.doCompile()
	})
	return r.initErr
}

func (r *Rule) doCompile() error {
	if err := r.Allowlist.compile(); err != nil {
		return fmt.Errorf("rule %s: %w", r.ID, err)
	}
	if r.Path != "" {
		re, err := regexp.Compile(r.Path)
		if err != nil {
			return fmt.Errorf("rule %s: path: %w", r.ID, err)
		}
		r.path = re
	}
	if r.RegexEngine == "regexp2" {
		re, err := regexp2.Compile(r.Regex, regexp2.RE2)
		if err != nil {
			return fmt.Errorf("rule %s: regex: %w", r.ID, err)
		}
		re.MatchTimeout = MatchTimeout
		r.re2 = re
		return nil
	}
	expr := r.Regex
	if r.Anchored {
		expr = `^(?:` + expr + `)`
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("rule %s: regex: %w", r.ID, err)
	}
	if r.SecretGroup == 0 && re.NumSubexp() == 1 {
		r.SecretGroup = 1
	}
	if r.SecretGroup > re.NumSubexp() {
		return fmt.Errorf("rule %s: secret_group %d: pattern has %d groups",
			r.ID, r.SecretGroup, re.NumSubexp())
	}
	r.re = re
	return nil
}
