package entropy

import (
	"math"
	"testing"
)

func TestShannon(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"", 0},
		{"aaaaaaaa", 0},
		{"ab", 1},
		{"abcd", 2},
		{"0123456789abcdef", 4},
	}
	for _, tt := range tests {
		if got := Shannon([]byte(tt.in)); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Shannon(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzShannon(f *testing.F) {
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h := Shannon(b)
		if h < 0 || h > 8+1e-9 || math.IsNaN(h) {
			t.Fatalf("Shannon = %v, out of [0, 8]", h)
		}
	})
}
