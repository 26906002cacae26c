package detectors

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	ac "github.com/petar-dambovaliev/aho-corasick"
)

// naiveHits finds every case-insensitive keyword occurrence the slow, obvious way.
func naiveHits(keywords []string, text []byte) []keywordHit {
	lowb := make([]byte, len(text))
	for i, c := range text {
		lowb[i] = fold[c]
	}
	low := string(lowb)
	var out []keywordHit
	for i := 0; i < len(low); i++ {
		for k, w := range keywords {
			if strings.HasPrefix(low[i:], strings.ToLower(w)) {
				out = append(out, keywordHit{kw: k, start: i, end: i + len(w)})
			}
		}
	}
	return out
}

func sortHits(h []keywordHit) {
	slices.SortFunc(h, func(a, b keywordHit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.kw - b.kw
	})
}

func TestPrefilter(t *testing.T) {
	keywords := []string{"ghp_", "AKIA", "token", "tok", "x", "api_key", "api", "-----BEGIN"}
	tests := []string{
		"",
		"t",
		"GHP_abc akia TOKEN api_key_token",
		"tokentoken apiapi_KEY",
		"-----begin RSA -----BEGIN x",
		"\x00\xffAKIAAKIA",
	}
	p := newPrefilter(keywords)
	for _, text := range tests {
		got := p.find([]byte(text), nil)
		want := naiveHits(keywords, []byte(text))
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Errorf("find(%q) = %v, want %v", text, got, want)
		}
	}
}

func FuzzPrefilter(f *testing.F) {
	f.Add([]byte("ghp_ AKIA token"), "toK")
	f.Fuzz(func(t *testing.T, text []byte, extra string) {
		keywords := []string{"ghp_", "akia", "token", "-----begin"}
		if extra != "" && !strings.ContainsFunc(extra, func(r rune) bool { return r >= 0x80 }) {
			keywords = append(keywords, extra)
		}
		got := newPrefilter(keywords).find(text, nil)
		want := naiveHits(keywords, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("find(%q) with %q = %v, want %v", text, keywords, got, want)
		}
	})
}

// benchCorpus returns about 10 MiB of Go source from the toolchain, or random bytes.
func benchCorpus(b *testing.B, kind string) []byte {
	b.Helper()
	if kind == "random" {
		rng := rand.New(rand.NewPCG(1, 2))
		out := make([]byte, 10<<20)
		for i := range out {
			out[i] = byte(rng.Uint32())
		}
		return out
	}
	var out []byte
	root := filepath.Join(goroot(b), "src")
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || len(out) >= 10<<20 || !strings.HasSuffix(p, ".go") {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			out = append(out, data...)
		}
		return nil
	})
	return out
}

func goroot(b *testing.B) string {
	b.Helper()
	return runtime.GOROOT()
}

func builtinKeywords(b *testing.B) []string {
	cfg, err := Builtin()
	if err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range cfg.Rules {
		for _, k := range r.Keywords {
			if k = strings.ToLower(k); !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

func BenchmarkPrefilter(b *testing.B) {
	for _, kind := range []string{"source", "random"} {
		text := benchCorpus(b, kind)
		keywords := builtinKeywords(b)
		b.Run("bitmap/"+kind, func(b *testing.B) {
			p := newPrefilter(keywords)
			var hits []keywordHit
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				hits = p.find(text, hits[:0])
			}
		})
		b.Run("petar/"+kind, func(b *testing.B) {
			builder := ac.NewAhoCorasickBuilder(ac.Opts{AsciiCaseInsensitive: true,
				MatchKind: ac.StandardMatch, DFA: true})
			m := builder.Build(keywords)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				it := m.IterOverlappingByte(text)
				for h := it.Next(); h != nil; h = it.Next() {
				}
			}
		})
	}
}
