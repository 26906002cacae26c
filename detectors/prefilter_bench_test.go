package detectors

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	bobu "github.com/BobuSumisu/aho-corasick"
	ac "github.com/petar-dambovaliev/aho-corasick"
)

// benchCorpusSize is how much Go source the benchmarks scan: large enough that per-call set-up
// vanishes, small enough to sit in memory.
const benchCorpusSize = 10 << 20

var benchCorpus = sync.OnceValues(loadGoSource)

// maxBenchFile skips the few huge generated files (SSA rewrite rules, tables) that would
// otherwise make up much of the corpus.
const maxBenchFile = 200 << 10

// loadGoSource concatenates .go files from the Go distribution until it has benchCorpusSize
// bytes: real source with comments, string literals and test fixtures. It takes every k-th
// file, then the ones after those, so that the corpus spans the whole tree.
func loadGoSource() ([]byte, error) {
	var paths []string
	total := 0
	root := filepath.Join(runtime.GOROOT(), "src")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		info, err := d.Info()
		if err != nil || info.Size() > maxBenchFile {
			return err
		}
		paths = append(paths, path)
		total += int(info.Size())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk Go source: %w", err)
	}
	stride := max(1, total/benchCorpusSize)
	var buf bytes.Buffer
	for off := 0; off < stride && buf.Len() < benchCorpusSize; off++ {
		for i := off; i < len(paths) && buf.Len() < benchCorpusSize; i += stride {
			data, err := os.ReadFile(paths[i])
			if err != nil {
				return nil, fmt.Errorf("read Go source: %w", err)
			}
			buf.Write(data)
		}
	}
	return buf.Bytes()[:min(buf.Len(), benchCorpusSize)], nil
}

func goSource(b *testing.B) []byte {
	b.Helper()
	text, err := benchCorpus()
	if err != nil || len(text) < benchCorpusSize {
		b.Skipf("Go source corpus: %d bytes, %v", len(text), err)
	}
	return text
}

// asciiLower writes src to dst with ASCII letters lower-cased, keeping every offset.
func asciiLower(dst, src []byte) []byte {
	dst = append(dst[:0], src...)
	for i, c := range dst {
		if 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// BenchmarkPrefilter compares keyword prefilters over Go source with every built-in keyword:
// the engine's own hashed-window bitmap, petar-dambovaliev's case-insensitive DFA with
// overlapping iteration, and BobuSumisu's case-sensitive trie run over a lower-cased copy,
// kept in a reused buffer or allocated per scan. All must report the same hits.
func BenchmarkPrefilter(b *testing.B) {
	text := goSource(b)
	keywords, _, _ := indexKeywords(builtinEngine(b).Rules())
	builder := ac.NewAhoCorasickBuilder(ac.Opts{
		AsciiCaseInsensitive: true,
		MatchKind:            ac.StandardMatch,
		DFA:                  true,
	})
	dfa := builder.Build(keywords)
	bitmap := newPrefilter(keywords)
	trie := bobu.NewTrieBuilder().AddStrings(keywords).Build()

	countDFA := func(text []byte) int {
		n := 0
		it := dfa.IterOverlappingByte(text)
		for m := it.Next(); m != nil; m = it.Next() {
			n++
		}
		return n
	}
	countTrie := func(lower []byte) int {
		n := 0
		trie.Walk(lower, func(_, _, _ int64) bool {
			n++
			return true
		})
		return n
	}
	want := countDFA(text)
	if got := countTrie(asciiLower(nil, text)); got != want {
		b.Fatalf("prefilters disagree: trie %d hits, DFA %d", got, want)
	}
	if got := len(bitmap.find(text, nil)); got != want {
		b.Fatalf("prefilters disagree: bitmap %d hits, DFA %d", got, want)
	}

	var hits []keywordHit
	b.Run("leakhound-bitmap", func(b *testing.B) {
		benchHits(b, text, want, func(text []byte) int {
			hits = bitmap.find(text, hits[:0])
			return len(hits)
		})
	})
	b.Run("petar-dfa-ci-overlapping", func(b *testing.B) {
		benchHits(b, text, want, countDFA)
	})
	b.Run("bobu-trie-lower-reused", func(b *testing.B) {
		var lower []byte
		benchHits(b, text, want, func(text []byte) int {
			lower = asciiLower(lower, text)
			return countTrie(lower)
		})
	})
	b.Run("bobu-trie-lower-alloc", func(b *testing.B) {
		benchHits(b, text, want, func(text []byte) int {
			return countTrie(asciiLower(nil, text))
		})
	})
}

func benchHits(b *testing.B, text []byte, want int, count func([]byte) int) {
	benchLoop(b, text, func() {
		if n := count(text); n != want {
			b.Fatalf("got %d hits, want %d", n, want)
		}
	})
	b.ReportMetric(float64(want), "hits/op")
}
