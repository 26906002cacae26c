// Package configs embeds leakhound's built-in rule set, rules.toml. The detectors package
// parses it; nothing else should read it directly.
package configs

import _ "embed"

// Rules is the text of the built-in rule set in TOML.
//
//go:embed rules.toml
var Rules []byte
