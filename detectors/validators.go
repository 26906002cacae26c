package detectors

import (
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"strconv"
	"strings"
)

// A validator checks the structure of a secret offline. It returns false when the secret
// cannot be a real credential of its format.
type validator func(secret string) bool

// validators is the registry of offline format checks, named by a rule's validate field.
var validators = map[string]validator{
	"crc32-base62":     validCRC32Base62,
	"crc32-hex-suffix": validCRC32HexSuffix,
	"gitlab-routable":  validGitLabRoutable,
	"grafana-crc32":    validGrafanaCRC32,
	"age-bech32":       validAgeBech32,
	"jwt":              validJWT,
	"pypi-macaroon":    validPyPIMacaroon,
	"pem-body":         validPEMBody,
	"id-colon-base64":  validIDColonBase64,
	"basic-auth":       validBasicAuth,
	"discord-bot":      validDiscordBot,
}

// Validation outcomes recorded on a match.
const (
	ValidationPass = "pass"
	ValidationFail = "fail"
)

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// validCRC32Base62 checks the checksum GitHub and npm put on their tokens: the body after the
// last underscore ends in six base62 characters encoding the CRC-32 of the rest of the body.
func validCRC32Base62(secret string) bool {
	i := strings.LastIndexByte(secret, '_')
	body := secret[i+1:]
	if len(body) <= 6 {
		return false
	}
	random, sum := body[:len(body)-6], body[len(body)-6:]
	return base62(crc32.ChecksumIEEE([]byte(random)), 6) == sum
}

// base62 writes v in base62, left-padded with '0' to width characters.
func base62(v uint32, width int) string {
	buf := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		buf[i] = base62Alphabet[v%62]
		v /= 62
	}
	return string(buf)
}

// validCRC32HexSuffix checks tokens that end in eight hex digits holding the CRC-32 of
// everything before them, as Atlassian API tokens and Bitbucket app passwords do.
func validCRC32HexSuffix(secret string) bool {
	if len(secret) <= 8 {
		return false
	}
	head, tail := secret[:len(secret)-8], secret[len(secret)-8:]
	sum, err := strconv.ParseUint(tail, 16, 32)
	return err == nil && uint32(sum) == crc32.ChecksumIEEE([]byte(head))
}

// validGitLabRoutable checks a routable GitLab token, prefix-payload.[vv.]LLCCCCCCC: LL is
// the payload's length and CCCCCCC the CRC-32 of everything before it, both in lower-case
// base36, zero-padded.
func validGitLabRoutable(secret string) bool {
	dash := strings.IndexByte(secret, '-')
	dot := strings.IndexByte(secret, '.')
	if dash < 0 || dot < dash || len(secret)-dot-1 != 9 && len(secret)-dot-1 != 12 {
		return false
	}
	tail := secret[len(secret)-9:]
	n, err := strconv.ParseUint(tail[:2], 36, 16)
	if err != nil || int(n) != dot-dash-1 {
		return false
	}
	sum := strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(secret[:len(secret)-7]))), 36)
	return strings.Repeat("0", 7-len(sum))+sum == tail[2:]
}

// grafanaTokenLen is the length of a Grafana service account token: "glsa_", 32 random
// characters, "_" and eight hex digits.
const grafanaTokenLen = 46

// validGrafanaCRC32 checks a Grafana service account token: its last eight hex digits are
// the CRC-32 of the first 37 characters, written as little-endian bytes.
func validGrafanaCRC32(secret string) bool {
	if len(secret) != grafanaTokenLen || secret[37] != '_' {
		return false
	}
	sum, err := hex.DecodeString(secret[38:])
	return err == nil && binary.LittleEndian.Uint32(sum) == crc32.ChecksumIEEE([]byte(secret[:37]))
}
