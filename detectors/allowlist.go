package detectors

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Allowlist suppresses matches. A match is allowed when its path matches one of Paths, or its
// target (see RegexTarget) matches one of Regexes, or its secret contains one of Stopwords.
type Allowlist struct {
	// Description says why the allowlist exists.
	Description string `toml:"description"`
	// Paths are regexes on the slash-separated path.
	Paths []string `toml:"paths"`
	// Globs are shell-style patterns on the slash-separated path: "*" and "?" stay within
	// one path element, "**" crosses them, and a glob without a slash matches the base name
	// in any directory ("*.lock", "testdata/**", "**/fixtures/*.json").
	Globs []string `toml:"globs"`
	// Commits are commit hashes, or prefixes of at least seven hex digits, whose findings
	// are allowed.
	Commits []string `toml:"commits"`
	// Regexes are regexes on the target.
	Regexes []string `toml:"regexes"`
	// RegexTarget is "secret" (default), "match" or "line".
	RegexTarget string `toml:"regex_target"`
	// Stopwords are case-insensitive substrings of the secret.
	Stopwords []string `toml:"stopwords"`

	paths   []*regexp.Regexp
	regexes []*regexp.Regexp
	stops   [][]byte
}

// compile prepares the allowlist's patterns. It is not safe for concurrent use: the engine
// compiles global allowlists when it is built and a rule's inside the rule's own once.
func (a *Allowlist) compile() error {
	var err error
	if a.paths, err = compileAll(a.Paths); err != nil {
		return err
	}
	for _, g := range a.Globs {
		re, err := compileGlob(g)
		if err != nil {
			return err
		}
		a.paths = append(a.paths, re)
	}
	if a.regexes, err = compileAll(a.Regexes); err != nil {
		return err
	}
	a.stops = a.stops[:0]
	for _, s := range a.Stopwords {
		a.stops = append(a.stops, []byte(strings.ToLower(s)))
	}
	switch a.RegexTarget {
	case "", "secret", "match", "line":
		return nil
	}
	return fmt.Errorf("allowlist: regex_target %q: want secret, match or line", a.RegexTarget)
}

func compileAll(exprs []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(exprs))
	for _, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, fmt.Errorf("allowlist regex %q: %w", e, err)
		}
		out = append(out, re)
	}
	return out, nil
}

// allowsPath reports whether every match in path is allowed.
func (a *Allowlist) allowsPath(path string) bool {
	for _, re := range a.paths {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// allowsCommit reports whether commit is one of the allowlist's commits.
func (a *Allowlist) allowsCommit(commit string) bool {
	if commit == "" {
		return false
	}
	for _, c := range a.Commits {
		if len(c) >= 7 && strings.HasPrefix(commit, strings.ToLower(c)) {
			return true
		}
	}
	return false
}

// allows reports whether the candidate is allowed by its content.
func (a *Allowlist) allows(c *candidate) bool {
	if len(a.regexes) > 0 {
		target := c.secret
		switch a.RegexTarget {
		case "match":
			target = c.match
		case "line":
			target = c.line
		}
		for _, re := range a.regexes {
			if re.Match(target) {
				return true
			}
		}
	}
	if len(a.stops) > 0 {
		low := bytes.ToLower(c.secret)
		for _, s := range a.stops {
			if bytes.Contains(low, s) {
				return true
			}
		}
	}
	return false
}

// candidate is a regex match under consideration, before filters.
type candidate struct {
	secret []byte
	match  []byte
	line   []byte
	// before and after are the bytes around the secret in the text, 0 at its ends.
	before, after byte
	// next is up to a few bytes of text after the secret, for filters that look for calls
	// and member access.
	next []byte
}
