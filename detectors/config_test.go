package detectors

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// userToken is a synthetic GitHub token assembled at run time.
var userToken = checksummed("ghp_", "Nc4Vx9Rm2Lq7Tz3Wk8Pd5Hf1Js6Gb0")

func engineFrom(t *testing.T, toml string) *Engine {
	t.Helper()
	user, err := Parse("user.toml", []byte(toml))
	if err != nil {
		t.Fatal(err)
	}
	base, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Merge(base, user))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Check(); err != nil {
		t.Fatal(err)
	}
	return e
}

func ruleIDs(t *testing.T, e *Engine, path, text string) []string {
	t.Helper()
	ms, err := e.NewScanner().Scan(path, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.Rule.ID)
	}
	return ids
}

// TestUserConfig checks each user-config feature on the same token.
func TestUserConfig(t *testing.T) {
	line := "token = " + userToken
	tests := []struct {
		name, config, path, text string
		want                     bool
	}{
		{"extends built-ins", "[extend]\nuse_default = true\n", "a.go", line, true},
		{"replaces built-ins", "[[rules]]\nid = \"mine\"\nregex = 'zzz'\nkeywords = [\"zzz\"]\n",
			"a.go", line, false},
		{"disables by id", "[extend]\nuse_default = true\ndisabled_rules = [\"github-pat\"]\n",
			"a.go", line, false},
		{"global path regex", "[extend]\nuse_default = true\n[allowlist]\npaths = ['^test/']\n",
			"test/a.go", line, false},
		{"global path glob", "[extend]\nuse_default = true\n[allowlist]\nglobs = ['**/fixtures/*.txt']\n",
			"x/y/fixtures/a.txt", line, false},
		{"glob elsewhere", "[extend]\nuse_default = true\n[allowlist]\nglobs = ['**/fixtures/*.txt']\n",
			"x/y/fixtures/sub/a.txt", line, true},
		{"base-name glob", "[extend]\nuse_default = true\n[allowlist]\nglobs = ['*.lock']\n",
			"deep/dir/yarn.lock", line, false},
		{"regex on secret", "[extend]\nuse_default = true\n[allowlist]\nregexes = ['^ghp_Nc4V']\n",
			"a.go", line, false},
		{"regex on match", "[extend]\nuse_default = true\n[allowlist]\nregex_target = \"match\"\n" +
			"regexes = ['^ghp_']\n", "a.go", line, false},
		{"regex on line", "[extend]\nuse_default = true\n[allowlist]\nregex_target = \"line\"\n" +
			"regexes = ['^token = ']\n", "a.go", line, false},
		{"stopword", "[extend]\nuse_default = true\n[allowlist]\nstopwords = [\"NC4VX9\"]\n",
			"a.go", line, false},
		{"inline allow", "[extend]\nuse_default = true\n", "a.go", line + " # gitleaks:allow", false},
		{"pragma allow", "[extend]\nuse_default = true\n", "a.go",
			line + " # pragma: allowlist secret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := ruleIDs(t, engineFrom(t, tt.config), tt.path, tt.text)
			if got := slices.Contains(ids, "github-pat"); got != tt.want {
				t.Errorf("github-pat found: got %v, want %v (%v)", got, tt.want, ids)
			}
		})
	}
}

// TestUserRuleAllowlist checks a per-rule allowlist with a glob and a commit allowlist.
func TestUserRuleAllowlist(t *testing.T) {
	e := engineFrom(t, `[extend]
use_default = true
[[rules]]
id = "github-pat"
description = "mine"
regex = '''ghp_[A-Za-z0-9]{36}'''
keywords = ["ghp_"]
[rules.allowlist]
globs = ["docs/**"]
commits = ["0123456789abcdef"]
`)
	if ids := ruleIDs(t, e, "docs/a/b.md", userToken); slices.Contains(ids, "github-pat") {
		t.Errorf("docs/a/b.md: got %v, want the rule allowed", ids)
	}
	if ids := ruleIDs(t, e, "src/b.go", userToken); !slices.Contains(ids, "github-pat") {
		t.Errorf("src/b.go: got %v, want github-pat", ids)
	}
	if !e.CommitAllowed("github-pat", "0123456789abcdef0011") || e.CommitAllowed("github-pat", "ff") {
		t.Errorf("CommitAllowed does not follow the rule's commits")
	}
}

// TestUserRuleLookaround checks that a regexp2 rule with lookahead compiles and matches.
func TestUserRuleLookaround(t *testing.T) {
	e := engineFrom(t, `[[rules]]
id = "lookahead"
description = "x"
regex = '''secret_(?!test)[a-z0-9]{12}'''
engine = "regexp2"
keywords = ["secret_"]
`)
	if ids := ruleIDs(t, e, "a", "k = secret_q8z2m4x7c1v9"); !slices.Contains(ids, "lookahead") {
		t.Errorf("got %v, want lookahead", ids)
	}
	if ids := ruleIDs(t, e, "a", "k = secret_test12345678"); len(ids) != 0 {
		t.Errorf("got %v, want none", ids)
	}
}

func TestCompileGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"*.lock", "a/b/c.lock", true},
		{"*.lock", "a/b/c.lockx", false},
		{"vendor/**", "vendor/x/y.go", true},
		{"vendor/**", "src/vendor/x.go", false},
		{"**/testdata/**", "a/testdata/b/c", true},
		{"src/*/x.go", "src/a/x.go", true},
		{"src/*/x.go", "src/a/b/x.go", false},
		{"file?.[ch]", "dir/file1.c", true},
		{"file[!0-9].c", "file1.c", false},
	}
	for _, tt := range tests {
		re, err := compileGlob(tt.glob)
		if err != nil {
			t.Fatal(err)
		}
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("glob %q on %q: got %v, want %v (%s)", tt.glob, tt.path, got, tt.want, re)
		}
	}
}

func TestLoadRejectsMistakes(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"typo in disabled_rules", "[extend]\nuse_default = true\ndisabled_rules = [\"aws-acess-key\"]\n",
			`no rule "aws-acess-key"`},
		{"no rules at all", "[allowlist]\npaths = ['''x''']\n", "no rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "c.toml")
			if err := os.WriteFile(p, []byte(tt.toml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
