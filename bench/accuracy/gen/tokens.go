package main

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Alphabets the synthetic tokens are drawn from.
const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits = "0123456789"
	alnum  = upper + lower + digits
	hexLow = "0123456789abcdef"
	b64    = alnum + "+/"
	b64url = alnum + "-_"
	base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b62    = digits + upper + lower
	bech32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
)

// gen draws synthetic credentials from a seeded source, so a corpus is reproducible.
type gen struct {
	r *rand.Rand
}

func (g *gen) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// mixed draws from alphabet until the result holds an upper, a lower and a digit, as
// machine-made keys of that length almost always do.
func (g *gen) mixed(alphabet string, n int) string {
	for {
		s := g.pick(alphabet, n)
		if strings.ContainsAny(s, upper) && strings.ContainsAny(s, lower) &&
			strings.ContainsAny(s, digits) {
			return s
		}
	}
}

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

func (g *gen) uuid() string {
	h := hex.EncodeToString(g.bytes(16))
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}

// crcBase62 is the checksum GitHub and npm append: CRC-32 of the random part in base62.
func crcBase62(random string) string {
	v := crc32.ChecksumIEEE([]byte(random))
	out := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		out[i] = b62[v%62]
		v /= 62
	}
	return string(out)
}

func (g *gen) github(prefix string) string {
	body := g.mixed(alnum, 30)
	return prefix + body + crcBase62(body)
}

// crcHexSuffix appends the CRC-32 of s in upper-case hex, as Atlassian tokens end.
func crcHexSuffix(s string) string {
	return s + fmt.Sprintf("%08X", crc32.ChecksumIEEE([]byte(s)))
}

func (g *gen) grafana() string {
	head := "glsa_" + g.mixed(alnum, 32) + "_"
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc32.ChecksumIEEE([]byte(head[:37])))
	return head + hex.EncodeToString(sum[:])
}

func (g *gen) pypi() string {
	raw := append([]byte("\x02\x01\x08pypi.org\x02"), g.bytes(120)...)
	return "pypi-" + base64.RawURLEncoding.EncodeToString(raw)
}

func (g *gen) jwt() string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":"%d","name":"%s","iat":%d}`,
		g.r.IntN(1e9), g.pick(lower, 8), 1700000000+g.r.IntN(1e7))))
	return header + "." + payload + "." + enc.EncodeToString(g.bytes(32))
}

// age returns an age secret key: bech32 of 32 random bytes under its human-readable part.
func (g *gen) age() string {
	const hrp = "age-secret-key-"
	data := toFiveBits(g.bytes(32))
	values := make([]byte, 0, 2*len(hrp)+1+len(data)+6)
	for _, c := range []byte(hrp) {
		values = append(values, c>>5)
	}
	values = append(values, 0)
	for _, c := range []byte(hrp) {
		values = append(values, c&31)
	}
	values = append(values, data...)
	mod := polymod(append(values, 0, 0, 0, 0, 0, 0)) ^ 1
	var sb strings.Builder
	sb.WriteString(hrp + "1")
	for _, v := range data {
		sb.WriteByte(bech32[v])
	}
	for i := range 6 {
		sb.WriteByte(bech32[(mod>>uint(5*(5-i)))&31])
	}
	return strings.ToUpper(sb.String())
}

func toFiveBits(b []byte) []byte {
	var out []byte
	acc, bits := 0, 0
	for _, c := range b {
		acc = acc<<8 | int(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, byte(acc>>bits&31))
		}
	}
	if bits > 0 {
		out = append(out, byte(acc<<(5-bits)&31))
	}
	return out
}

func polymod(values []byte) uint32 {
	gens := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i, gv := range gens {
			if top>>i&1 == 1 {
				chk ^= gv
			}
		}
	}
	return chk
}

// pem returns a private key block of the given label with a random DER-sized body.
func (g *gen) pem(label string, n int) string {
	body := base64.StdEncoding.EncodeToString(append([]byte{0x30, 0x82}, g.bytes(n)...))
	var lines []string
	for len(body) > 64 {
		lines = append(lines, body[:64])
		body = body[64:]
	}
	lines = append(lines, body)
	return "-----BEGIN " + label + "-----\n" + strings.Join(lines, "\n") + "\n-----END " + label +
		"-----"
}

func (g *gen) putty() string {
	pub := base64.StdEncoding.EncodeToString(g.bytes(51))
	priv := base64.StdEncoding.EncodeToString(g.bytes(48))
	return "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ci@build\n" +
		"Public-Lines: 2\n" + pub[:64] + "\n" + pub[64:] + "\nPrivate-Lines: 1\n" + priv +
		"\nPrivate-MAC: " + hex.EncodeToString(g.bytes(32))
}

func (g *gen) discordBot() string {
	id := "1" + g.pick(digits, 17)
	return strings.TrimRight(base64.StdEncoding.EncodeToString([]byte(id)), "=") + "." +
		g.pick(b64url, 6) + "." + g.mixed(b64url, 38)
}

func (g *gen) telegram() string {
	return strconv.Itoa(100000000+g.r.IntN(899999999)) + ":AA" + g.mixed(b64url, 33)
}
