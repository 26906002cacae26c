package detectors

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/leakhound/leakhound/configs"
)

// The built-in rules are written as TOML (configs/rules.toml), and tests read them from
// there, examples included. Parsing 180 KB of TOML costs about 9 ms, too much for a hook that
// must answer in tens of milliseconds, so every run loads a gob snapshot of the same rules
// without their examples (configs/rules.gob), which decodes in a fraction of that.
// `go generate ./configs` rewrites the snapshot; TestBuiltinSnapshotCurrent fails when it is
// stale.

// Snapshot encodes cfg, less its rules' examples, as the built-in snapshot is stored.
func Snapshot(cfg *Config) ([]byte, error) {
	lean := *cfg
	lean.Rules = make([]*Rule, len(cfg.Rules))
	for i, r := range cfg.Rules {
		lean.Rules[i] = &Rule{
			ID: r.ID, Description: r.Description, Keywords: r.Keywords, Regex: r.Regex,
			SecretGroup: r.SecretGroup, Entropy: r.Entropy, Severity: r.Severity,
			Confidence: r.Confidence, Validate: r.Validate, Filter: r.Filter,
			References: r.References, Window: r.Window, Anchored: r.Anchored,
			RegexEngine: r.RegexEngine, Path: r.Path, Allowlist: r.Allowlist,
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&lean); err != nil {
		return nil, fmt.Errorf("encode rule snapshot: %w", err)
	}
	return buf.Bytes(), nil
}

// Builtin returns a fresh copy of the built-in rules, without their examples.
func Builtin() (*Config, error) {
	var c Config
	if err := gob.NewDecoder(bytes.NewReader(configs.Snapshot)).Decode(&c); err != nil {
		return nil, fmt.Errorf("built-in rules: decode snapshot: %w (run go generate "+
			"./configs)", err)
	}
	return &c, nil
}

// BuiltinTOML parses the built-in rules from their TOML source, examples included.
func BuiltinTOML() (*Config, error) {
	return Parse("built-in rules", configs.Rules)
}

// Default returns an engine over the built-in rules.
func Default() (*Engine, error) {
	cfg, err := Builtin()
	if err != nil {
		return nil, err
	}
	return New(cfg)
}
