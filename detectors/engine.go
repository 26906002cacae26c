package detectors

import (
	"fmt"
	"strings"
	"time"
)

// MatchTimeout bounds each regexp2 (lookaround) match, so a user rule with catastrophic
// backtracking costs at most this much per window instead of hanging a scan.
const MatchTimeout = 100 * time.Millisecond

// Window limits around a keyword hit. A regex runs from the start of the hit's line to its
// end, but never further than these from the hit, so one-megabyte minified lines cost a few
// kilobytes per hit instead of the whole line.
const (
	maxBehind = 512
	maxAhead  = 4096
)

// Engine holds a compiled rule set. It is immutable once built and safe for concurrent use;
// each goroutine scans with its own Scanner.
type Engine struct {
	rules      []*Rule
	allowlists []*Allowlist
	version    string

	prefilter *prefilter
	byKeyword [][]int // keyword index -> rule indices
	always    []int   // rules without keywords

	// wide marks the rules whose windows may cross line breaks (a window set in bytes, or no
	// keywords: the whole text); wideKw marks the keywords that gate one. deltaOK says every
	// other rule's matches stay within one line, which incremental scans rely on.
	wide    []bool
	wideKw  []bool
	deltaOK bool
}

// New builds an engine from a config. Regexes compile lazily, on a rule's first keyword hit;
// Check compiles them all up front.
func New(cfg *Config) (*Engine, error) {
	e := &Engine{rules: cfg.Rules, version: cfg.Version}
	e.allowlists = append(e.allowlists, &cfg.Allowlist)
	for i := range cfg.Allowlists {
		e.allowlists = append(e.allowlists, &cfg.Allowlists[i])
	}
	for _, a := range e.allowlists {
		if err := a.compile(); err != nil {
			return nil, fmt.Errorf("global %w", err)
		}
	}

	keywords, byKeyword, always := indexKeywords(e.rules)
	e.byKeyword, e.always = byKeyword, always
	e.prefilter = newPrefilter(keywords)
	e.classify(keywords)
	return e, nil
}

// classify fills wide, wideKw and deltaOK.
func (e *Engine) classify(keywords []string) {
	e.wide = make([]bool, len(e.rules))
	for ri, r := range e.rules {
		e.wide[ri] = r.Window > 0 || len(r.Keywords) == 0
	}
	e.wideKw = make([]bool, len(keywords))
	e.deltaOK = len(e.always) == 0
	for ki, k := range keywords {
		for _, ri := range e.byKeyword[ki] {
			e.wideKw[ki] = e.wideKw[ki] || e.wide[ri]
		}
		if strings.ContainsAny(k, "\r\n") {
			e.deltaOK = false
		}
	}
}

// indexKeywords returns the distinct lower-cased keywords of rules, the indices of the rules
// each keyword gates, and the indices of the rules without keywords.
func indexKeywords(rules []*Rule) (keywords []string, byKeyword [][]int, always []int) {
	index := map[string]int{}
	for ri, r := range rules {
		if len(r.Keywords) == 0 {
			always = append(always, ri)
			continue
		}
		for _, k := range r.Keywords {
			if k == "" {
				continue // Parse rejects empty keywords; rules built in code may hold them
			}
			k = strings.ToLower(k)
			ki, ok := index[k]
			if !ok {
				ki = len(keywords)
				index[k] = ki
				keywords = append(keywords, k)
				byKeyword = append(byKeyword, nil)
			}
			byKeyword[ki] = append(byKeyword[ki], ri)
		}
	}
	return keywords, byKeyword, always
}

// Rules returns the engine's rules in config order. Callers must not modify them.
func (e *Engine) Rules() []*Rule {
	return e.rules
}

// Version returns the rule set's version.
func (e *Engine) Version() string {
	return e.version
}

// CommitAllowed reports whether findings of the rule with id ruleID in commit are allowed
// by a global allowlist's or the rule's own commits.
func (e *Engine) CommitAllowed(ruleID, commit string) bool {
	for _, a := range e.allowlists {
		if a.allowsCommit(commit) {
			return true
		}
	}
	for _, r := range e.rules {
		if r.ID == ruleID {
			return r.Allowlist.allowsCommit(commit)
		}
	}
	return false
}

// Check compiles every rule and allowlist and returns the first error.
func (e *Engine) Check() error {
	for _, r := range e.rules {
		if err := r.compile(); err != nil {
			return err
		}
	}
	return nil
}

// PathAllowed reports whether matches of rule r at path are suppressed by a global or the
// rule's own path allowlist. Sources that scan one blob for many paths, like the history
// walker, scan with an empty path and ask this per place.
func (e *Engine) PathAllowed(r *Rule, path string) bool {
	for _, a := range e.allowlists {
		if a.allowsPath(path) {
			return true
		}
	}
	if r.compile() != nil {
		return false
	}
	return r.Allowlist.allowsPath(path) || path != "" && r.path != nil && !r.path.MatchString(path)
}
