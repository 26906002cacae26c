// Package configs embeds leakhound's built-in rule set: rules.toml, its source, and
// rules.gob, a snapshot of it without examples that runs load quickly. The detectors package
// reads both; nothing else should.
package configs

import _ "embed"

//go:generate go run ../detectors/internal/snapshot rules.gob

// Rules is the text of the built-in rule set in TOML.
//
//go:embed rules.toml
var Rules []byte

// Snapshot is the gob encoding of the built-in rules without their examples; see
// detectors.Snapshot.
//
//go:embed rules.gob
var Snapshot []byte
