package report

import (
	"cmp"
	"slices"

	"github.com/leakhound/leakhound/finding"
)

// ruleInfo describes one rule as the findings of a report show it.
type ruleInfo struct {
	ID          string
	Description string
	Severity    string
	Count       int
}

// tally counts findings by rule and by severity. Rules keep the order in which they were
// first seen, so a rule's index is stable while findings arrive.
type tally struct {
	rules      []ruleInfo
	index      map[string]int
	bySeverity map[string]int
}

// add counts f and returns the index of its rule in t.rules.
func (t *tally) add(f *finding.Finding) int {
	if t.index == nil {
		t.index = map[string]int{}
		t.bySeverity = map[string]int{}
	}
	t.bySeverity[normSeverity(f.Severity)]++
	i, ok := t.index[f.RuleID]
	if !ok {
		i = len(t.rules)
		t.index[f.RuleID] = i
		t.rules = append(t.rules, ruleInfo{
			ID: f.RuleID, Description: f.Description, Severity: f.Severity,
		})
	}
	t.rules[i].Count++
	return i
}

// byCount returns the rules with the most findings first, ties by id.
func (t *tally) byCount() []ruleInfo {
	out := slices.Clone(t.rules)
	slices.SortFunc(out, func(a, b ruleInfo) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// severityCount is the number of findings of one severity.
type severityCount struct {
	Severity string
	Count    int
}

// severities returns the non-zero counts by severity, most urgent first; findings without a
// known severity are counted under "unknown".
func (t *tally) severities() []severityCount {
	var out []severityCount
	for _, s := range severityOrder {
		if n := t.bySeverity[s]; n > 0 {
			out = append(out, severityCount{Severity: cmp.Or(s, "unknown"), Count: n})
		}
	}
	return out
}
