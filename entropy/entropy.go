// Package entropy measures how random a candidate secret looks. Detectors use it to gate
// rules whose shape alone would match ordinary words.
package entropy

import "math"

// Shannon returns the Shannon entropy of b in bits per byte, from 0 (one repeated byte) to 8.
// It allocates nothing.
func Shannon(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	var h float64
	for _, k := range counts {
		if k == 0 {
			continue
		}
		p := float64(k) / n
		h -= p * math.Log2(p)
	}
	return h
}
