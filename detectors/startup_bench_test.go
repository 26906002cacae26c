package detectors

import "testing"

// BenchmarkStartup measures what every run pays before scanning: parsing the built-in
// rules and building the engine (regexes compile later, on first use). Hooks run it on
// every commit, so it must stay a few milliseconds.
func BenchmarkStartup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := Builtin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
