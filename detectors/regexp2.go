package detectors

import "unicode/utf8"

// findAllRegexp2 runs a lookaround rule. regexp2 works on runes, so offsets are mapped back
// to bytes. A match that times out ends the search in this window.
func (r *Rule) findAllRegexp2(b []byte) [][4]int {
	s := string(b)
	runeToByte := runeOffsets(s)
	var out [][4]int
	m, err := r.re2.FindStringMatch(s)
	for err == nil && m != nil {
		g := m.GroupByNumber(r.SecretGroup)
		if g != nil && g.Length > 0 {
			out = append(out, [4]int{
				runeToByte[m.Index], runeToByte[m.Index+m.Length],
				runeToByte[g.Index], runeToByte[g.Index+g.Length],
			})
		}
		m, err = r.re2.FindNextMatch(m)
	}
	return out
}

// runeOffsets maps each rune index of s, and one past the last, to its byte offset.
func runeOffsets(s string) []int {
	out := make([]int, 0, utf8.RuneCountInString(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
}
