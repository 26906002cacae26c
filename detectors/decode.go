package detectors

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"unicode/utf8"
)

// Limits on decoding. Encoded text is decoded and scanned again so that secrets inside
// base64, hex, percent-encoding or string escapes are found; these caps keep a hostile or
// merely unusual file (megabytes of base64, escapes nested in escapes) from multiplying the
// cost of a scan.
const (
	// maxDecodeDepth is how many encodings deep a secret may sit (base64 of a JSON file with
	// escaped newlines is two).
	maxDecodeDepth = 3
	// maxDecodedBytes caps the bytes decoded per scanned text, over all depths.
	maxDecodedBytes = 8 << 20
	// minBase64Run is the shortest base64 run decoded: 24 characters hold 18 bytes, less
	// than any credential worth finding with its context.
	minBase64Run = 24
	// minHexRun is the shortest hex run decoded, 16 bytes.
	minHexRun = 32
	// maxSpan caps one encoded span; longer base64 runs are blobs (images, archives).
	maxSpan = 256 << 10
)

// Encoding names how a span was decoded.
type Encoding string

// Encodings the scanner decodes.
const (
	Base64  Encoding = "base64"
	Hex     Encoding = "hex"
	Percent Encoding = "percent"
	Escape  Encoding = "escape"
)

// span is a candidate for decoding: text[start:end] in one encoding.
type span struct {
	start, end int
	enc        Encoding
}

// decoded is a span's decoded bytes and, for each decoded byte and one past the last, the
// offset in the span it came from.
type decoded struct {
	text   []byte
	origin func(i int) int
}

// b64Class marks bytes of the standard and URL-safe base64 alphabets, padding included.
var b64Class = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=") {
		t[c] = true
	}
	return t
}()

// findSpans appends the candidate spans of text: base64 and hex runs, found by sampling one
// byte in every minBase64Run (a run that long must cover a sampled byte); lines holding
// string escapes; and tokens holding percent escapes, both found with IndexByte.
func findSpans(text []byte, spans []span) []span {
	spans = findRuns(text, spans)
	spans = findEscapes(text, spans)
	return findPercent(text, spans)
}

func findRuns(text []byte, spans []span) []span {
	for i := minBase64Run - 1; i < len(text); i += minBase64Run {
		if !b64Class[text[i]] {
			continue
		}
		start, end := i, i+1
		for start > 0 && b64Class[text[start-1]] {
			start--
		}
		for end < len(text) && b64Class[text[end]] {
			end++
		}
		if n := end - start; n >= minBase64Run && n <= maxSpan {
			spans = append(spans, span{start: start, end: end, enc: runEncoding(text[start:end])})
		}
		i = end
	}
	return spans
}

func runEncoding(run []byte) Encoding {
	if len(run) >= minHexRun && len(run)%2 == 0 && isAllHex(run) {
		return Hex
	}
	return Base64
}

// escapeStarts are the bytes that, after a backslash, make an escape worth decoding.
var escapeStarts = [256]bool{'n': true, 'r': true, 't': true, '"': true, '\'': true,
	'\\': true, '/': true, 'u': true, 'x': true}

func findEscapes(text []byte, spans []span) []span {
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '\\')
		if j < 0 {
			break
		}
		i += j
		if i+1 >= len(text) || !escapeStarts[text[i+1]] {
			i++
			continue
		}
		start, end := lineBounds(text, i)
		if end-start <= maxSpan {
			spans = append(spans, span{start: start, end: end, enc: Escape})
		}
		i = end
	}
	return spans
}

func findPercent(text []byte, spans []span) []span {
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '%')
		if j < 0 {
			break
		}
		i += j
		if i+2 >= len(text) || !isHexByte(text[i+1]) || !isHexByte(text[i+2]) {
			i++
			continue
		}
		start, end := i, i
		for start > 0 && !isTokenBreak(text[start-1]) {
			start--
		}
		for end < len(text) && !isTokenBreak(text[end]) {
			end++
		}
		if end-start <= maxSpan {
			spans = append(spans, span{start: start, end: end, enc: Percent})
		}
		i = end
	}
	return spans
}

func isHexByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isTokenBreak(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '<', '>', '`':
		return true
	}
	return false
}

// decodeSpan decodes b as enc. It returns false when b is not valid in enc or decodes to
// something other than text, which holds no findable secret.
func decodeSpan(b []byte, enc Encoding) (decoded, bool) {
	var d decoded
	switch enc {
	case Base64:
		d = decodeBase64(b)
	case Hex:
		d = decodeHex(b)
	case Percent:
		d = decodeMapped(b, percentStep)
	case Escape:
		d = decodeMapped(b, escapeStep)
	}
	if len(d.text) == 0 || !isText(d.text) {
		return decoded{}, false
	}
	return d, true
}

func decodeBase64(b []byte) decoded {
	b = bytes.TrimRight(b, "=")
	if len(b)%4 == 1 { // a lone trailing sextet carries no whole byte
		b = b[:len(b)-1]
	}
	enc := base64.RawStdEncoding
	if bytes.ContainsAny(b, "-_") {
		enc = base64.RawURLEncoding
	}
	out := make([]byte, enc.DecodedLen(len(b)))
	n, err := enc.Decode(out, b)
	if err != nil {
		return decoded{}
	}
	return decoded{text: out[:n], origin: func(i int) int { return min(len(b), i*4/3) }}
}

func decodeHex(b []byte) decoded {
	out := make([]byte, len(b)/2)
	if _, err := hex.Decode(out, b); err != nil {
		return decoded{}
	}
	return decoded{text: out, origin: func(i int) int { return 2 * i }}
}

// step decodes one unit at b[i:], returning the bytes it stands for and its length in b.
type step func(b []byte, i int, out []byte) ([]byte, int)

// decodeMapped decodes b one unit at a time and records where each decoded byte came from.
// It returns no text when nothing was unescaped.
func decodeMapped(b []byte, st step) decoded {
	out := make([]byte, 0, len(b))
	origin := make([]int, 0, len(b)+1)
	changed := false
	for i := 0; i < len(b); {
		before := len(out)
		var n int
		out, n = st(b, i, out)
		changed = changed || n > 1
		for range len(out) - before {
			origin = append(origin, i)
		}
		i += n
	}
	if !changed {
		return decoded{}
	}
	origin = append(origin, len(b))
	return decoded{text: out, origin: func(i int) int { return origin[i] }}
}

func percentStep(b []byte, i int, out []byte) ([]byte, int) {
	if b[i] == '%' && i+2 < len(b) && isHexByte(b[i+1]) && isHexByte(b[i+2]) {
		return append(out, unhex(b[i+1])<<4|unhex(b[i+2])), 3
	}
	if b[i] == '+' {
		return append(out, ' '), 1
	}
	return append(out, b[i]), 1
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// simpleEscapes maps the byte after a backslash to what the escape stands for.
var simpleEscapes = [256]byte{'n': '\n', 'r': '\r', 't': '\t', '"': '"', '\'': '\'',
	'\\': '\\', '/': '/'}

func escapeStep(b []byte, i int, out []byte) ([]byte, int) {
	if b[i] != '\\' || i+1 >= len(b) {
		return append(out, b[i]), 1
	}
	c := b[i+1]
	if r := simpleEscapes[c]; r != 0 {
		return append(out, r), 2
	}
	switch {
	case c == 'u' && i+6 <= len(b) && allHexBytes(b[i+2:i+6]):
		r := rune(0)
		for _, h := range b[i+2 : i+6] {
			r = r<<4 | rune(unhex(h))
		}
		return utf8.AppendRune(out, r), 6
	case c == 'x' && i+4 <= len(b) && allHexBytes(b[i+2:i+4]):
		return append(out, unhex(b[i+2])<<4|unhex(b[i+3])), 4
	}
	return append(out, b[i]), 1
}

func allHexBytes(b []byte) bool {
	for _, c := range b {
		if !isHexByte(c) {
			return false
		}
	}
	return true
}

// isText reports whether b is valid UTF-8 with at most one control byte in twenty, other
// than tabs and line breaks: decoded binary (keys' DER bodies, images, random bytes that
// happened to be base64) holds nothing a text rule can find.
func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			ctl++
		}
	}
	return ctl*20 <= len(b)
}
