package report

import (
	"strings"
	"testing"
)

func TestTextColourOnlyWhenAsked(t *testing.T) {
	plain, err := render("text", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain, "\x1b[") {
		t.Error("text without Color contains ANSI escapes")
	}
	opts := testOptions
	opts.Color = true
	color, err := render("text", opts, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(color, ansiBold+ansiRed+"github-pat"+ansiReset) {
		t.Error("text with Color lacks a coloured rule id")
	}
}

func TestTextQuiet(t *testing.T) {
	opts := testOptions
	opts.Quiet = true
	out, err := render("text", opts, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "fix:") || strings.Contains(out, "config/app.env") {
		t.Errorf("quiet text shows findings:\n%s", out)
	}
	if !strings.Contains(out, "6 findings in 5 places") {
		t.Errorf("quiet text lacks the summary:\n%s", out)
	}
}

func TestTextGroupsByPath(t *testing.T) {
	out, err := render("text", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, line := range strings.Split(out, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && strings.Contains(out, line+"\n  ") {
			order = append(order, line)
		}
	}
	want := []string{"config/app.env", "deploy/prod vars.tfvars", "notes.txt", "web/a&b <x>.js",
		"(commit message)"}
	if strings.Join(order[:len(want)], "|") != strings.Join(want, "|") {
		t.Errorf("groups = %q, want %q first", order, want)
	}
	if strings.Count(out, "config/app.env\n") != 1 {
		t.Error("config/app.env has more than one group")
	}
}

func TestTextStripsControlCharacters(t *testing.T) {
	found := testFindings()
	found[0].Author = "Mallory\x1b]0;owned\x07"
	found[0].Path = "a\x1b[2Jb.env"
	out, err := render("text", testOptions, found)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("text passes control characters from the repository: %q", out)
	}
}
