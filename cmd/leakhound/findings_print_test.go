package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/store"
)

// TestFindingsPrintNoControlCharacters checks that text from repositories (paths, authors,
// messages) reaches the terminal without escape sequences.
func TestFindingsPrintNoControlCharacters(t *testing.T) {
	f := store.Finding{ID: 1, RuleID: "r", Path: "a\x1b[2J.txt", Author: "x\x1b]0;t\x07",
		Message: "m\x1b[31m", RepoName: "repo\x9b"}
	var out bytes.Buffer
	env := &environ{stdout: &out}
	if err := printFindings(env, []store.Finding{f}); err != nil {
		t.Fatal(err)
	}
	if err := printFinding(env, &f); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out.String(), "\x1b\x07\u009b") {
		t.Errorf("output holds control characters: %q", out.String())
	}
}
