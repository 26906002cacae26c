package detectors

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

const (
	bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	ageSecretHRP  = "age-secret-key-"
)

// validAgeBech32 checks the bech32 checksum of an age secret key
// (AGE-SECRET-KEY-1 followed by the data and six checksum characters, upper case).
func validAgeBech32(secret string) bool {
	s := strings.ToLower(secret)
	i := strings.LastIndexByte(s, '1')
	if i < 0 || s[:i] != ageSecretHRP || len(s)-i-1 < 6 {
		return false
	}
	values := make([]byte, 0, 2*len(s))
	for _, c := range []byte(ageSecretHRP) {
		values = append(values, c>>5)
	}
	values = append(values, 0)
	for _, c := range []byte(ageSecretHRP) {
		values = append(values, c&31)
	}
	for _, c := range []byte(s[i+1:]) {
		v := strings.IndexByte(bech32Charset, c)
		if v < 0 {
			return false
		}
		values = append(values, byte(v))
	}
	return bech32Polymod(values) == 1
}

// bech32Polymod is BIP 173's checksum over 5-bit values; a valid bech32 string yields 1.
func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i, g := range gen {
			if top>>i&1 == 1 {
				chk ^= g
			}
		}
	}
	return chk
}

// validJWT checks that a token has three dot-separated base64url parts, that its header and
// payload decode to JSON objects and that the header names an "alg".
func validJWT(secret string) bool {
	parts := strings.Split(secret, ".")
	if len(parts) != 3 {
		return false
	}
	var header, payload map[string]any
	if !decodeJSONPart(parts[0], &header) || !decodeJSONPart(parts[1], &payload) {
		return false
	}
	_, ok := header["alg"]
	return ok
}

// decodeJSONPart decodes one base64url part of a JWT into v.
func decodeJSONPart(part string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	return err == nil && json.Unmarshal(b, v) == nil
}

// pypiMacaroonStart is how every PyPI token's macaroon begins: version 2, a location field
// of 8 bytes holding "pypi.org", then the tag of the identifier field.
var pypiMacaroonStart = []byte("\x02\x01\x08pypi.org\x02")

// validPyPIMacaroon checks that a PyPI token's body is base64url and decodes to a version 2
// macaroon located at pypi.org.
func validPyPIMacaroon(secret string) bool {
	body, ok := strings.CutPrefix(secret, "pypi-")
	if !ok {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(body, "="))
	return err == nil && bytes.HasPrefix(b, pypiMacaroonStart)
}

// validIDColonBase64 checks Atlassian Data Center tokens: standard base64 of a decimal id of
// at least four digits, a colon, and at least eight random bytes.
func validIDColonBase64(secret string) bool {
	secret = strings.TrimPrefix(secret, "BBDC-")
	b, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return false
	}
	id, rest, ok := bytes.Cut(b, []byte(":"))
	return ok && len(id) >= 4 && len(rest) >= 8 && allDigits(id)
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// validBasicAuth checks a base64 "user:password" pair as HTTP Basic authentication and
// Docker's config.json carry it: printable text with a colon and a password of at least
// four characters that is not a well-known placeholder.
func validBasicAuth(secret string) bool {
	b, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return false
	}
	user, pass, ok := bytes.Cut(b, []byte(":"))
	if !ok || len(pass) < 4 || !printable(user) || !printable(pass) {
		return false
	}
	switch strings.ToLower(string(pass)) {
	case "password", "pass", "secret", "changeme", "<password>", "test":
		return false
	}
	return true
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// validDiscordBot checks that a Discord bot token's first segment is the base64 of the bot's
// numeric user id (a snowflake of 17 to 20 digits).
func validDiscordBot(secret string) bool {
	first, _, _ := strings.Cut(secret, ".")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(first, "="))
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(first, "="))
	}
	return err == nil && len(b) >= 17 && len(b) <= 20 && allDigits(b)
}
