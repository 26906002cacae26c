package gitscan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestAddedLines(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []int // added line numbers
	}{
		{"empty old", "", "a\nb\n", []int{1, 2}},
		{"same", "a\nb\n", "a\nb\n", nil},
		{"insert middle", "a\nc\n", "a\nb\nc\n", []int{2}},
		{"append", "a\n", "a\nb\n", []int{2}},
		{"no final newline", "a\nb", "a\nb\nc", []int{3}},
		{"replace", "a\nb\nc\n", "a\nx\nc\n", []int{2}},
		{"moved to top", "a\nb\nc\n", "c\na\nb\n", []int{1}},
		{"crlf", "a\r\nb\r\n", "a\r\nz\r\nb\r\n", []int{2}},
		{"lone cr", "a\rb\r", "a\rz\rb\r", []int{2}},
		{"deleted only", "a\nb\nc\n", "a\nc\n", nil},
		{"duplicate", "x\n", "x\nx\n", []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addedLines([]byte(tt.old), []byte(tt.new))
			var lines []int
			for i, a := range got {
				if a {
					lines = append(lines, i)
				}
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.want) {
				t.Errorf("got added %v, want %v", lines, tt.want)
			}
		})
	}
}

// TestAddedLinesRandom checks the diff against its contract on random edits: every line of
// new that is not added must be matched, in order, to an equal line of old, and no more lines
// are added than the edit inserted.
func TestAddedLinesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		var old []string
		for range rng.IntN(40) {
			old = append(old, fmt.Sprintf("l%d\n", rng.IntN(8)))
		}
		nw := append([]string(nil), old...)
		inserted := 0
		for range rng.IntN(6) {
			at := rng.IntN(len(nw) + 1)
			nw = append(nw[:at], append([]string{"new\n"}, nw[at:]...)...)
			inserted++
		}
		got := addedLines([]byte(strings.Join(old, "")), []byte(strings.Join(nw, "")))
		n, j := 0, 0
		for li, line := range nw {
			if got[li+1] {
				n++
				continue
			}
			for j < len(old) && old[j] != line {
				j++
			}
			if j == len(old) {
				t.Fatalf("case %d: line %d not added but not in old in order", i, li+1)
			}
			j++
		}
		if n > inserted {
			t.Fatalf("case %d: got %d added lines, want at most %d", i, n, inserted)
		}
	}
}
