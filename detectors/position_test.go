package detectors

import (
	"strings"
	"testing"
)

// TestPositions checks 1-based line and column on every line ending and on a single line
// longer than one megabyte.
func TestPositions(t *testing.T) {
	key := "AKIA" + "Q3EGUNZ7XKJ4WP2Z"
	long := strings.Repeat("x", 1<<20+12345)
	tests := []struct {
		name      string
		text      string
		line, col int
	}{
		{"LF", "a\nbb\nkey=" + key + "\n", 3, 5},
		{"CRLF", "a\r\nbb\r\nkey=" + key + "\r\n", 3, 5},
		{"CR", "a\rbb\rkey=" + key + "\r", 3, 5},
		{"mixed", "a\r\n\rb\nkey=" + key, 4, 5},
		{"first byte", key, 1, 1},
		{"long line", long + " " + key + " " + long, 1, len(long) + 2},
		{"after long line", long + "\n  " + key, 2, 3},
	}
	cfg, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sc := e.NewScanner()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := sc.Scan("", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			var got *Match
			for i := range ms {
				if ms[i].Rule.ID == "aws-access-key-id" {
					got = &ms[i]
				}
			}
			if got == nil {
				t.Fatalf("no aws-access-key-id match in %d bytes", len(tt.text))
			}
			want := Position{Line: tt.line, Column: tt.col}
			wantEnd := Position{Line: tt.line, Column: tt.col + len(key) - 1}
			if got.Pos != want || got.EndPos != wantEnd {
				t.Errorf("position %v to %v, want %v to %v", got.Pos, got.EndPos, want, wantEnd)
			}
		})
	}
}
