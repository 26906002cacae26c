package detectors

import (
	"bytes"
	"testing"

	"github.com/leakhound/leakhound/configs"
)

// FuzzScan feeds arbitrary bytes to the built-in rules: Scan must not panic, and every
// match must lie inside the text with positions that agree with its offsets.
//
// For short runs pass -fuzzminimizetime 5s: with the default of 60s the fuzzer can spend a
// whole one-minute run minimizing a single new input (no scan took over 110ms when that
// happened, so it is not a slow scan).
func FuzzScan(f *testing.F) {
	e := builtinEngine(f)
	for _, r := range e.Rules() {
		for _, ex := range r.Examples {
			f.Add([]byte(ex))
		}
	}
	f.Add([]byte("password = \"\r\nghp_\r\r\n-----BEGIN PRIVATE KEY-----\n"))
	f.Add([]byte{0xff, 0xfe, 'a', 0, 'k', 0, 'i', 0, 'a', 0})
	f.Fuzz(func(t *testing.T, text []byte) {
		ms, err := e.NewScanner().Scan("fuzz.txt", text)
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		for _, m := range ms {
			checkMatch(t, text, m)
		}
	})
}

func checkMatch(t *testing.T, text []byte, m Match) {
	t.Helper()
	if m.Start < 0 || m.End > len(text) || m.Start >= m.End {
		t.Fatalf("rule %s: offsets [%d, %d) outside text of %d bytes",
			m.Rule.ID, m.Start, m.End, len(text))
	}
	if m.Encoding == "" && !bytes.Equal([]byte(m.Secret), text[m.Start:m.End]) {
		t.Fatalf("rule %s: secret differs from text[%d:%d]", m.Rule.ID, m.Start, m.End)
	}
	if m.Pos.Line < 1 || m.Pos.Column < 1 || m.EndPos.Line < m.Pos.Line {
		t.Fatalf("rule %s: positions %+v to %+v", m.Rule.ID, m.Pos, m.EndPos)
	}
}

// maxFuzzConfig caps FuzzParse inputs. Larger ones add nothing a small one cannot reach and,
// at tens of milliseconds each, stall the fuzzer while it minimizes them.
const maxFuzzConfig = 4 << 10

// FuzzParse feeds arbitrary text to the config parser: Parse must not panic, and a config
// it accepts must build an engine whose scans do not panic either.
func FuzzParse(f *testing.F) {
	f.Add(firstRule(configs.Rules))
	f.Add([]byte("[[rules]]\nid = \"a\"\nregex = '''x(y)'''\nkeywords = [\"x\"]\n"))
	f.Add([]byte("[extend]\nuse_default = true\ndisabled_rules = [\"jwt\"]\n"))
	f.Add([]byte("[[rules]]\nid = \"b\"\nregex = '''(?=a)b'''\nengine = \"regexp2\"\n" +
		"[rules.allowlist]\nregex_target = \"line\"\nstopwords = [\"q\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzConfig {
			return
		}
		cfg, err := Parse("fuzz.toml", data)
		if err != nil {
			return
		}
		e, err := New(cfg)
		if err != nil {
			return
		}
		_ = e.Check()
		ms, _ := e.NewScanner().Scan("fuzz.txt", data)
		for _, m := range ms {
			checkMatch(t, data, m)
		}
	})
}

// firstRule returns the built-in rule set's text up to the end of its first rule.
func firstRule(rules []byte) []byte {
	const sep = "\n[[rules]]\n"
	first := bytes.Index(rules, []byte(sep))
	if first < 0 {
		return rules
	}
	if next := bytes.Index(rules[first+len(sep):], []byte(sep)); next >= 0 {
		return rules[:first+len(sep)+next]
	}
	return rules
}
