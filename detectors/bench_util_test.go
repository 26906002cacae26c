package detectors

import "testing"

// benchLoop runs op b.N times over text, reporting throughput, allocations, and the CPU
// throughput (cpu-MB/s) from process CPU time, which includes GC but not time spent waiting
// for a core on a loaded machine.
func benchLoop(b *testing.B, text []byte, op func()) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	start := processCPU()
	for b.Loop() {
		op()
	}
	if cpu := processCPU() - start; cpu > 0 {
		mb := float64(len(text)) * float64(b.N) / 1e6
		b.ReportMetric(mb/cpu.Seconds(), "cpu-MB/s")
	}
}
