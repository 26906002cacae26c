package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// orEmpty returns sum, or an empty summary when sum is nil.
func orEmpty(sum *Summary) *Summary {
	if sum == nil {
		return &Summary{}
	}
	return sum
}

// humanBytes formats a byte count with a binary unit: "512 B", "1.5 KiB", "3.2 GiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}

// printable replaces control characters, which could move a terminal's cursor or change
// its colours, with U+FFFD. Text from a scanned repository (paths, authors, messages) goes
// through it before it reaches a terminal.
// Printable returns s with control characters (C0, DEL and C1) replaced, so that text from a
// repository (paths, authors, commit messages) cannot drive the terminal it is printed on.
func Printable(s string) string {
	return printable(s)
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return utf8.RuneError
		}
		return r
	}, s)
}
