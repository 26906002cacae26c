package detectors

import (
	"fmt"
	"os"
	"slices"

	"github.com/BurntSushi/toml"
)

// Config is a rule set as written in TOML: the built-in one in configs/, or a user's.
type Config struct {
	// Title names the rule set.
	Title string `toml:"title"`
	// Version changes whenever the rules change; caches of scanned blobs key on it.
	Version string `toml:"version"`
	// Extend makes a user config build on the built-in rules instead of replacing them.
	Extend Extend `toml:"extend"`
	// Allowlist applies to every rule.
	Allowlist Allowlist `toml:"allowlist"`
	// Allowlists are further global allowlists, each with its own description.
	Allowlists []Allowlist `toml:"allowlists"`
	// Rules are the detectors.
	Rules []*Rule `toml:"rules"`

	// targeted are allowlists of a gitleaks config that apply to named rules only.
	targeted []targetedAllowlist
}

// targetedAllowlist is an allowlist for the rules with the given (gitleaks) ids.
type targetedAllowlist struct {
	ids []string
	a   Allowlist
}

// Extend says how a user config relates to the built-in rules.
type Extend struct {
	// UseDefault keeps the built-in rules; a user rule with the same id replaces one.
	UseDefault bool `toml:"use_default"`
	// DisabledRules are ids of rules to drop.
	DisabledRules []string `toml:"disabled_rules"`
}

// Parse reads a rule set from TOML text; name is used in errors.
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		return nil, fmt.Errorf("parse config %s: %w", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("parse config %s: unknown key %s", name, und[0])
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	return &c, nil
}

// Load reads the config at path and resolves it against the built-in rules: with
// extend.use_default the result is the built-in rules plus or overriding the user's; without
// it, only the user's rules. An empty path yields the built-in rules.
func Load(path string) (*Config, error) {
	base, err := Builtin()
	if err != nil {
		return nil, err
	}
	if path == "" {
		return base, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	user, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := checkDisabled(base, user); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if !user.Extend.UseDefault && len(user.Rules) == 0 {
		return nil, fmt.Errorf("config %s: no rules: it neither defines any nor keeps the "+
			"built-in ones (add [extend] use_default = true)", path)
	}
	return Merge(base, user), nil
}

// checkDisabled reports an id in extend.disabled_rules that names no rule, most often a typo
// that would otherwise leave the rule on silently.
func checkDisabled(base, user *Config) error {
	for _, id := range user.Extend.DisabledRules {
		known := func(r *Rule) bool { return r.ID == id }
		if !slices.ContainsFunc(base.Rules, known) && !slices.ContainsFunc(user.Rules, known) {
			return fmt.Errorf("disabled_rules: no rule %q (leakhound rules lists them)", id)
		}
	}
	return nil
}

// Merge resolves user against base as Load describes.
func Merge(base, user *Config) *Config {
	out := &Config{Title: user.Title, Version: base.Version + "+user"}
	if user.Extend.UseDefault {
		out.Allowlists = append(out.Allowlists, base.Allowlist)
		out.Allowlists = append(out.Allowlists, base.Allowlists...)
		for _, r := range base.Rules {
			if !slices.ContainsFunc(user.Rules, func(u *Rule) bool { return u.ID == r.ID }) {
				out.Rules = append(out.Rules, r)
			}
		}
	}
	out.Allowlist = user.Allowlist
	out.Allowlists = append(out.Allowlists, user.Allowlists...)
	out.Rules = append(out.Rules, user.Rules...)
	out.Rules = slices.DeleteFunc(out.Rules, func(r *Rule) bool {
		return slices.Contains(user.Extend.DisabledRules, r.ID)
	})
	return out
}

func (c *Config) check() error {
	seen := make(map[string]bool, len(c.Rules))
	for i, r := range c.Rules {
		if r.ID == "" {
			return fmt.Errorf("rule %d: no id", i+1)
		}
		if seen[r.ID] {
			return fmt.Errorf("rule %s: duplicate id", r.ID)
		}
		seen[r.ID] = true
		if r.Regex == "" {
			return fmt.Errorf("rule %s: no regex", r.ID)
		}
		if slices.Contains(r.Keywords, "") {
			return fmt.Errorf("rule %s: empty keyword", r.ID)
		}
		if r.RegexEngine != "" && r.RegexEngine != "re2" && r.RegexEngine != "regexp2" {
			return fmt.Errorf("rule %s: engine %q: want re2 or regexp2", r.ID, r.RegexEngine)
		}
		if r.Filter != "" && filters[r.Filter] == nil {
			return fmt.Errorf("rule %s: unknown filter %q", r.ID, r.Filter)
		}
		if r.Validate != "" && validators[r.Validate] == nil {
			return fmt.Errorf("rule %s: unknown validator %q", r.ID, r.Validate)
		}
	}
	return nil
}
