package detectors

import (
	"encoding/base64"
	"encoding/hex"
	"hash/crc32"
	"net/url"
	"strings"
	"testing"
)

// checksummed returns a synthetic token of the GitHub and npm format: prefix, random body
// and the body's CRC-32 in base62.
func checksummed(prefix, random string) string {
	return prefix + random + base62(crc32.ChecksumIEEE([]byte(random)), 6)
}

// pemBody returns base64 lines that decode to n pseudo-random bytes, for synthetic keys.
func pemBody(n int, sep string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131 + 7)
	}
	s := base64.StdEncoding.EncodeToString(b)
	var lines []string
	for len(s) > 64 {
		lines = append(lines, s[:64])
		s = s[64:]
	}
	return strings.Join(append(lines, s), sep)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

type decodeCase struct {
	name     string
	text     string
	rule     string
	line     int
	encoding string
}

func decodeCases() []decodeCase {
	ghp := checksummed("ghp_", "Wq3Lk9ZtR2mVx8Pn4Hs7Jd1Fg6Cb0Y")
	awsValue := "Qm8xZr4Tk2Vn7Lp9" + "Ws3Hd6Jf1Gb5Cy0Ae+Xu/Roq" // 40 characters
	dbPass := "Zx8Qv2Lm" + "7Rk4Tp9W"
	pkcs8 := "-----BEGIN PRIVATE KEY-----\n" + pemBody(120, "\n") + "\n-----END PRIVATE KEY-----\n"
	esc := strings.ReplaceAll(pkcs8, "\n", `\n`)
	return []decodeCase{
		{"kubernetes secret", "apiVersion: v1\nkind: Secret\ndata:\n  token: " + b64(ghp) + "\n",
			"github-pat", 4, "base64"},
		{"kubernetes secret, base64 of a PEM key", "data:\n  tls.key: " + b64(pkcs8) + "\n",
			"private-key-pkcs8", 2, "base64"},
		{"notebook source with escaped quotes",
			"{\n \"source\": [\n  \"aws_secret_access_key = \\\"" + awsValue + "\\\"\\n\"\n ]\n}",
			"aws-secret-access-key", 3, "escape"},
		{"unicode escapes", `{"k": "` + strings.ReplaceAll(ghp, "_", `\u005f`) + `"}`,
			"github-pat", 1, "escape"},
		{"url-encoded query", "GET /cb?next=" + url.QueryEscape("postgres://app:"+dbPass+"@db.internal/app") +
			" HTTP/1.1", "database-url-password", 1, "percent"},
		{"hex", "blob = " + hex.EncodeToString([]byte("token: "+ghp)), "github-pat", 1, "hex"},
		{"base64 of base64", "x: " + b64(b64("key = "+ghp)), "github-pat", 1, "base64+base64"},
		{"service account json", `{"type": "service_account", "private_key": "` + esc + `"}`,
			"private-key-pkcs8", 1, ""},
		{"pem flattened with spaces", strings.ReplaceAll(pkcs8, "\n", " "), "private-key-pkcs8", 1, ""},
		{"pem in a yaml block scalar", "tls:\n  key: |\n    " + strings.ReplaceAll(pkcs8, "\n", "\n    "),
			"private-key-pkcs8", 3, ""},
	}
}

// TestScanDecoded checks that secrets inside encodings are found by their own rules, at the
// line of the encoded text.
func TestScanDecoded(t *testing.T) {
	sc := builtinEngine(t).NewScanner()
	for _, c := range decodeCases() {
		t.Run(c.name, func(t *testing.T) {
			ms, err := sc.Scan("case.txt", []byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Rule.ID != c.rule {
					continue
				}
				if m.Pos.Line != c.line || m.Encoding != c.encoding {
					t.Errorf("got line %d encoding %q, want line %d encoding %q",
						m.Pos.Line, m.Encoding, c.line, c.encoding)
				}
				return
			}
			t.Errorf("no %s match in %d matches", c.rule, len(ms))
		})
	}
}

// TestScanDecodedDepth checks that decoding stops at maxDecodeDepth.
func TestScanDecodedDepth(t *testing.T) {
	sc := builtinEngine(t).NewScanner()
	text := "key = " + checksummed("ghp_", "Wq3Lk9ZtR2mVx8Pn4Hs7Jd1Fg6Cb0Y")
	for depth := 1; depth <= maxDecodeDepth+1; depth++ {
		text = b64(text)
		ms, err := sc.Scan("x", []byte("v: "+text))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(ms) > 0, depth <= maxDecodeDepth; got != want {
			t.Errorf("depth %d: found %v, want %v", depth, got, want)
		}
	}
}

// TestDecodeEscapeOrigin checks that escape decoding maps each byte to where it came from.
func TestDecodeEscapeOrigin(t *testing.T) {
	d, ok := decodeSpan([]byte(`a\nb\u0041c`), Escape)
	if !ok || string(d.text) != "a\nbAc" {
		t.Fatalf("decoded %q, %v", d.text, ok)
	}
	want := []int{0, 1, 3, 4, 10, 11}
	for i, w := range want {
		if got := d.origin(i); got != w {
			t.Errorf("origin(%d) = %d, want %d", i, got, w)
		}
	}
}

// FuzzDecode checks that no decoder panics and that every origin lies inside its span and
// never decreases.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`"a\"b\\n\u00e9\x41"`), byte(0))
	f.Add([]byte("cGFzc3dvcmQ9aHVudGVyMg=="), byte(1))
	f.Add([]byte("a%20b%2"), byte(2))
	f.Add([]byte("6869"), byte(3))
	encs := []Encoding{Escape, Base64, Percent, Hex}
	f.Fuzz(func(t *testing.T, b []byte, which byte) {
		for _, sp := range findSpans(b, nil) {
			if sp.start < 0 || sp.end > len(b) || sp.start >= sp.end {
				t.Fatalf("span %+v outside %d bytes", sp, len(b))
			}
		}
		d, ok := decodeSpan(b, encs[int(which)%len(encs)])
		if !ok {
			return
		}
		prev := 0
		for i := 0; i <= len(d.text); i++ {
			o := d.origin(i)
			if o < prev || o > len(b) {
				t.Fatalf("origin(%d) = %d after %d, span of %d", i, o, prev, len(b))
			}
			prev = o
		}
	})
}
