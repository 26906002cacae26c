package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/finding"
)

// failing is a reporter whose every call fails.
type failing struct{ calls int }

var errFailing = errors.New("failing reporter")

func (f *failing) Add(*finding.Finding) error { f.calls++; return errFailing }
func (f *failing) Close(*Summary) error       { f.calls++; return errFailing }

func TestMultiFansOut(t *testing.T) {
	var a, b strings.Builder
	ra, _ := New("jsonl", &a, testOptions)
	rb, _ := New("csv", &b, testOptions)
	bad := &failing{}
	m := Multi{ra, bad, rb}
	for _, f := range testFindings() {
		if err := m.Add(f); !errors.Is(err, errFailing) {
			t.Fatalf("Add error = %v, want the failing reporter's", err)
		}
	}
	if err := m.Close(testSummary(0)); !errors.Is(err, errFailing) {
		t.Fatalf("Close error = %v, want the failing reporter's", err)
	}
	n := len(testFindings())
	if got := strings.Count(a.String(), "\n"); got != n {
		t.Errorf("jsonl got %d lines, want %d", got, n)
	}
	if got := strings.Count(b.String(), "\n"); got != n+1 {
		t.Errorf("csv got %d lines, want %d", got, n+1)
	}
	if bad.calls != n+1 {
		t.Errorf("failing reporter called %d times, want %d", bad.calls, n+1)
	}
	if err := (Multi{}).Close(nil); err != nil {
		t.Errorf("empty Multi Close = %v", err)
	}
}
