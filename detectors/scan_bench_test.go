package detectors

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkScan measures the whole matcher (prefilter, windows, regexes, filters, positions)
// with the built-in rules over 10 MiB of Go source, of random bytes and of random printable
// ASCII.
func BenchmarkScan(b *testing.B) {
	e := builtinEngine(b)
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, benchCorpusSize)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	printable := make([]byte, benchCorpusSize)
	for i := range printable {
		printable[i] = byte(' ' + rng.IntN('~'-' '+1))
		if rng.IntN(80) == 0 {
			printable[i] = '\n'
		}
	}

	b.Run("go-source", func(b *testing.B) { benchScan(b, e, goSource(b)) })
	b.Run("random-bytes", func(b *testing.B) { benchScan(b, e, random) })
	b.Run("random-printable", func(b *testing.B) { benchScan(b, e, printable) })
}

func benchScan(b *testing.B, e *Engine, text []byte) {
	sc := e.NewScanner()
	matches := 0
	benchLoop(b, text, func() {
		ms, err := sc.Scan("bench.go", text)
		if err != nil {
			b.Fatal(err)
		}
		matches = len(ms)
	})
	b.ReportMetric(float64(matches), "matches/op")
}
