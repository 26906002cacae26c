package detectors

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leakhound/leakhound/internal/fixture"
)

// deltaCorpus returns a text with every example of every built-in rule (multi-line private
// keys included), some base64-encoded, some on CRLF lines, between lines of ordinary code.
func deltaCorpus(e *Engine) []byte {
	var b bytes.Buffer
	code := []string{
		"func main() {", "\tx := load(cfg.Token)", "}", "# settings", "",
		`password = os.Getenv("PASSWORD")`, "key: value", `"escaped\tline\n"`,
		"url=https%3A%2F%2Fexample.com%2Fpath",
	}
	for i, r := range e.Rules() {
		for j, ex := range r.Examples {
			b.WriteString(code[(i+j)%len(code)])
			b.WriteString("\n")
			switch (i + j) % 7 {
			case 3:
				b.WriteString("blob: " + base64.StdEncoding.EncodeToString([]byte(ex)) + "\n")
			case 5:
				b.WriteString(strings.ReplaceAll(ex, "\n", "\r\n") + "\r\n")
			default:
				b.WriteString(ex + "\n")
			}
		}
	}
	return b.Bytes()
}

// edit builds a new text from base the way a delta does, recording the copies: mostly base in
// order with lines dropped, moved and inserted, as files change between versions.
func edit(rng *rand.Rand, base, pool []byte) ([]byte, []Copy) {
	var out []byte
	var copies []Copy
	copyFrom := func(src, n int) {
		n = min(n, len(base)-src)
		if n <= 0 {
			return
		}
		copies = append(copies, Copy{Dst: len(out), Src: src, Len: n})
		out = append(out, base[src:src+n]...)
	}
	insert := func() {
		switch rng.IntN(5) {
		case 0: // a line of the pool, maybe with a secret
			i := rng.IntN(len(pool))
			end := len(pool)
			if j := bytes.IndexByte(pool[i:], '\n'); j >= 0 {
				end = i + j + 1
			}
			out = append(out, pool[i:end]...)
		case 1: // bytes of base, inserted rather than copied
			i := rng.IntN(len(base) + 1)
			out = append(out, base[i:min(len(base), i+rng.IntN(200))]...)
		case 2:
			out = append(out, '\n')
		case 3:
			out = append(out, []byte("token=")...)
		default:
			const alphabet = "ab+/=\n\r\\%x9Z\""
			for range rng.IntN(20) {
				out = append(out, alphabet[rng.IntN(len(alphabet))])
			}
		}
	}
	for pos := 0; pos < len(base); {
		switch k := rng.IntN(10); {
		case k < 5:
			n := 1 + rng.IntN(600)
			copyFrom(pos, n)
			pos += n
		case k < 7:
			pos += rng.IntN(100) // deleted
		case k < 9:
			insert()
		default:
			src := rng.IntN(len(base))
			copyFrom(src, 1+rng.IntN(300)) // a moved block
		}
	}
	if rng.IntN(4) == 0 {
		insert()
	}
	return out, copies
}

// TestScanDeltaEqualsScan checks that a chain of incremental scans, each from the trace of
// the one before, finds exactly what full scans of the same texts find, and keeps the same
// traces.
func TestScanDeltaEqualsScan(t *testing.T) {
	e := builtinEngine(t)
	if !e.deltaOK {
		t.Fatal("built-in rules cannot be scanned incrementally")
	}
	corpus := deltaCorpus(e)
	sc := e.NewScanner()
	rng := rand.New(rand.NewPCG(1, 2))
	iterations := 100
	if testing.Short() || raceEnabled {
		iterations = 25
	}

	text := corpus
	_, trace, err := sc.ScanTrace(text)
	if err != nil {
		t.Fatal(err)
	}
	carried := 0
	for i := range iterations {
		if i%25 == 0 { // start over from the corpus now and then, so texts keep secrets
			text = corpus
			_, trace, _ = sc.ScanTrace(text)
		}
		next, copies := edit(rng, text, corpus)
		got, gotTrace, err := sc.ScanDelta(next, trace, copies)
		if err != nil {
			t.Fatal(err)
		}
		want, wantTrace, err := sc.ScanTrace(next)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatalf("edit %d: the corpus lost all its secrets", i)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("edit %d: ScanDelta differs from Scan:\n%s", i, diffMatches(got, want))
		}
		if !sameTrace(gotTrace, wantTrace) {
			t.Fatalf("edit %d: traces differ", i)
		}
		carried += len(cleanSpans(next, len(text), copies))
		text, trace = next, gotTrace
	}
	if carried == 0 {
		t.Fatal("no edit carried anything over: the test does not test ScanDelta")
	}
}

// TestScanDeltaEdges covers edits at the ends of a text and around its line breaks.
func TestScanDeltaEdges(t *testing.T) {
	e := builtinEngine(t)
	sc := e.NewScanner()
	secret := "ghp_" + strings.Repeat("x", 36) // a GitHub token shape; the checksum fails
	tok := base64.StdEncoding.EncodeToString([]byte("password=" + secret))
	base := []byte("a\ntoken = \"" + tok + "\"\nb\r\nlast line " + tok)
	cases := []struct {
		name   string
		text   string
		copies []Copy
	}{
		{"identical", string(base), []Copy{{0, 0, len(base)}}},
		{"all new", string(base), nil},
		{"prefix added", "x" + string(base), []Copy{{1, 0, len(base)}}},
		{"suffix added", string(base) + "\n", []Copy{{0, 0, len(base)}}},
		{"line break removed", string(base[:1]) + string(base[2:]),
			[]Copy{{0, 0, 1}, {1, 2, len(base) - 2}}},
		{"copied in pieces", string(base), []Copy{{0, 0, 5}, {5, 5, 7}, {12, 12, len(base) - 12}}},
		{"lines swapped", string(base[2:]) + string(base[:2]),
			[]Copy{{0, 2, len(base) - 2}, {len(base) - 2, 0, 2}}},
	}
	_, trace, err := sc.ScanTrace(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := sc.ScanDelta([]byte(tc.text), trace, tc.copies)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sc.Scan("", []byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("ScanDelta differs from Scan:\n%s", diffMatches(got, want))
			}
		})
	}
}

// TestScanDeltaRejectsBadCopies checks that copies outside the texts fall back to a full scan.
func TestScanDeltaRejectsBadCopies(t *testing.T) {
	sc := builtinEngine(t).NewScanner()
	base := []byte("hello\nworld\n")
	_, trace, _ := sc.ScanTrace(base)
	for _, copies := range [][]Copy{
		{{0, 5, 100}}, {{3, 0, 2}, {2, 0, 2}}, {{0, -1, 2}}, {{0, 0, 0}}, {{10, 0, 5}},
	} {
		text := []byte("hello\nthere\n")
		got, _, err := sc.ScanDelta(text, trace, copies)
		want, _ := sc.Scan("", text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("copies %v: got %v, %v; want %v", copies, got, err, want)
		}
	}
}

// FuzzScanDelta builds a text from a base with copies and inserts read from script and checks
// that ScanDelta finds what Scan finds.
func FuzzScanDelta(f *testing.F) {
	e := builtinEngine(f)
	corpus := deltaCorpus(e)
	f.Add(corpus[:4000], []byte{0, 10, 200, 1, 'x', 0, 50, 255})
	f.Add([]byte("key = \"AKIA\"\nline\n"), []byte{2, '\n', 0, 0, 40})
	f.Fuzz(func(t *testing.T, base, script []byte) {
		if len(base) == 0 {
			return
		}
		sc := e.NewScanner()
		_, trace, err := sc.ScanTrace(base)
		if err != nil || trace == nil {
			return
		}
		var text []byte
		var copies []Copy
		for len(script) >= 3 {
			op, a, b := script[0], int(script[1]), int(script[2])
			script = script[3:]
			switch op % 3 {
			case 0:
				src := a * len(base) / 256
				n := min(1+b*4, len(base)-src)
				copies = append(copies, Copy{Dst: len(text), Src: src, Len: n})
				text = append(text, base[src:src+n]...)
			case 1:
				text = append(text, byte(a), byte(b))
			default:
				i := a * len(corpus) / 256
				text = append(text, corpus[i:min(len(corpus), i+b)]...)
			}
		}
		got, _, err := sc.ScanDelta(text, trace, copies)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := sc.Scan("", text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ScanDelta differs from Scan:\n%s", diffMatches(got, want))
		}
	})
}

func sameTrace(a, b *Trace) bool {
	if a == nil || b == nil || a.size != b.size || (a.d == nil) != (b.d == nil) {
		return false
	}
	if a.d == nil {
		return true
	}
	norm := func(ms []Match) []Match {
		ms = slices.Clone(ms)
		slices.SortFunc(ms, compareMatches)
		return ms
	}
	return reflect.DeepEqual(norm(a.d.local), norm(b.d.local)) &&
		reflect.DeepEqual(norm(a.d.failed), norm(b.d.failed)) &&
		reflect.DeepEqual(a.d.hits, b.d.hits)
}

func diffMatches(got, want []Match) string {
	var b strings.Builder
	show := func(label string, ms []Match) {
		for _, m := range ms {
			fmt.Fprintf(&b, "%s %s %q secret %.4s... at %d-%d line %d\n", label, m.Rule.ID,
				m.Encoding, m.Secret, m.Start, m.End, m.Pos.Line)
		}
	}
	show("got ", got)
	show("want", want)
	return b.String()
}

// TestEmptyPathNotAllowedByPath checks that a global path allowlist that matches the empty
// path (here, only the empty path) does not silence a text scanned without a path, whether
// scanned whole or incrementally: a history scan asks about each real path afterwards.
func TestEmptyPathNotAllowedByPath(t *testing.T) {
	cfg, err := BuiltinTOML()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Allowlist.Paths = []string{`^$`}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sc := e.NewScanner()
	base := []byte("a\nb\n")
	text := []byte("a\naws = " + fixture.AWSKeyID(3) + "\nb\n")
	full, err := sc.Scan("", text)
	if err != nil || len(full) == 0 {
		t.Fatalf("Scan: %d matches, %v; want the key", len(full), err)
	}
	_, trace, _ := sc.ScanTrace(base)
	inc, _, err := sc.ScanDelta(text, trace, []Copy{{0, 0, 2}, {len(text) - 2, 2, 2}})
	if err != nil || !reflect.DeepEqual(inc, full) {
		t.Fatalf("ScanDelta differs from Scan:\n%s", diffMatches(inc, full))
	}
	if ms, _ := sc.Scan("docs/x.txt", text); len(ms) == 0 {
		t.Fatal("a path the allowlist does not match was silenced")
	}
}
