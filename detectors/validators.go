package detectors

import (
	"hash/crc32"
	"strings"
)

// A validator checks the structure of a secret offline. It returns false when the secret
// cannot be a real credential of its format.
type validator func(secret string) bool

// validators is the registry of offline format checks, named by a rule's validate field.
var validators = map[string]validator{
	"crc32-base62": validCRC32Base62,
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
