package finding

import (
	"fmt"
	"log/slog"
	"strings"
)

// DefaultRedactKeep is how many leading characters a redacted secret keeps by default.
const DefaultRedactKeep = 4

// Secret holds matched credential bytes. Its String, Format, LogValue and MarshalText methods
// never reveal more than its redacted form, so a Secret that reaches a log, an error or a
// panic leaks nothing. The raw value comes out only through Reveal.
//
// The zero value is an empty secret.
type Secret struct {
	raw string
}

// NewSecret wraps raw credential text.
func NewSecret(raw string) Secret {
	return Secret{raw: raw}
}

// Reveal returns the full secret. Only a reporter honouring --no-redact should call it.
func (s Secret) Reveal() string {
	return s.raw
}

// Len returns the length of the secret in bytes.
func (s Secret) Len() int {
	return len(s.raw)
}

// Redacted returns the secret with at most keep leading characters shown and the rest
// replaced by a fixed-length mask, so the mask does not reveal the length either. keep is
// clamped to [0, DefaultRedactKeep], and a secret of 8 characters or fewer shows none.
func (s Secret) Redacted(keep int) string {
	keep = max(0, min(keep, DefaultRedactKeep))
	r := []rune(s.raw)
	if len(r) <= 2*DefaultRedactKeep {
		keep = 0
	}
	return string(r[:keep]) + strings.Repeat("*", 8)
}

// String returns the default redacted form.
func (s Secret) String() string {
	return s.Redacted(DefaultRedactKeep)
}

// Format prints the redacted form for every verb, including %#v.
func (s Secret) Format(f fmt.State, _ rune) {
	fmt.Fprint(f, s.String())
}

// LogValue makes slog print the redacted form.
func (s Secret) LogValue() slog.Value {
	return slog.StringValue(s.String())
}

// MarshalText makes encoders print the redacted form unless a report replaces it on purpose.
func (s Secret) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}
