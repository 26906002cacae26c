package gitscan

import (
	"context"
	"testing"

	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/internal/fixture"
)

// fakeKey returns a synthetic AWS-shaped access key id, different for each seed.
func fakeKey(seed uint64) string { return fixture.AWSKeyID(seed) }

// scanRepo runs a history scan with the built-in rules and returns the findings in order.
func scanRepo(t *testing.T, dir string, opts Options) ([]*finding.Finding, *Stats, error) {
	t.Helper()
	eng := testEngine(t)
	repo, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer repo.Close()
	var got []*finding.Finding
	st, err := repo.Scan(context.Background(), eng, opts, func(f *finding.Finding) error {
		got = append(got, f)
		return nil
	})
	return got, st, err
}

// where is the part of a finding the history tests check.
type where struct {
	rule, path, commit string
	line, col          int
}

func wheres(fs []*finding.Finding) []where {
	out := make([]where, 0, len(fs))
	for _, f := range fs {
		out = append(out, where{f.RuleID, f.Path, f.Commit, f.Line, f.Column})
	}
	return out
}
