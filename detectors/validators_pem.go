package detectors

import (
	"encoding/base64"
	"strings"
)

// minPEMBody is the least number of decoded bytes a private key block can hold; an Ed25519
// key in PKCS#8, the smallest common one, takes 48.
const minPEMBody = 32

// validPEMBody checks that the body of a PEM or OpenPGP armored block is base64 that decodes
// to at least minPEMBody bytes. Header lines (Proc-Type, DEK-Info, Comment, Version) are
// skipped; an OpenPGP CRC-24 line, when present, must match. Keys pasted into JSON with
// literal \n, or onto one line, are accepted.
func validPEMBody(secret string) bool {
	body, ok := pemInner(secret)
	if !ok {
		return false
	}
	var b64, armorSum strings.Builder
	for _, line := range strings.FieldsFunc(body, isPEMBreak) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.Contains(line, ":"):
		case len(line) == 5 && line[0] == '=':
			armorSum.WriteString(line[1:])
		default:
			b64.WriteString(strings.Join(strings.Fields(line), ""))
		}
	}
	data, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil || len(data) < minPEMBody {
		return false
	}
	return armorSum.Len() == 0 || armorCRCMatches(data, armorSum.String())
}

// pemInner returns what lies between the BEGIN line's closing dashes and the END line.
func pemInner(s string) (string, bool) {
	s = strings.ReplaceAll(s, `\n`, "\n")
	begin := strings.Index(s, "-----BEGIN ")
	if begin < 0 {
		return "", false
	}
	rest := s[begin+len("-----BEGIN "):]
	open := strings.Index(rest, "-----")
	end := strings.LastIndex(rest, "-----END ")
	if open < 0 || end < open+len("-----") {
		return "", false
	}
	return rest[open+len("-----") : end], true
}

func isPEMBreak(r rune) bool {
	return r == '\n' || r == '\r'
}

// armorCRCMatches compares OpenPGP's CRC-24 (RFC 4880, section 6.1) of data with sum, the
// four base64 characters after an armor's "=".
func armorCRCMatches(data []byte, sum string) bool {
	want, err := base64.StdEncoding.DecodeString(sum)
	if err != nil || len(want) != 3 {
		return false
	}
	got := crc24(data)
	return want[0] == byte(got>>16) && want[1] == byte(got>>8) && want[2] == byte(got)
}

// crc24 is OpenPGP's armor checksum.
func crc24(data []byte) uint32 {
	const (
		init = 0xB704CE
		poly = 0x1864CFB
	)
	crc := uint32(init)
	for _, c := range data {
		crc ^= uint32(c) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= poly
			}
		}
	}
	return crc & 0xFFFFFF
}
