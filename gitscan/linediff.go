package gitscan

// maxDiffEdits bounds the edit distance the line diff searches for. Past it the changed middle
// of the file is taken as added in full: the diff may then report a line the old version had,
// never miss one it lacked.
const maxDiffEdits = 1000

// splitLines splits text into lines the way detectors number them: LF, CRLF and a lone CR
// each end a line. Each line keeps its terminator.
func splitLines(text []byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				continue
			}
		default:
			continue
		}
		out = append(out, string(text[start:i+1]))
		start = i + 1
	}
	if start < len(text) {
		out = append(out, string(text[start:]))
	}
	return out
}

// addedLines returns, indexed by 1-based line number of new, whether that line is added: not
// matched to a line of old by a shortest line diff. Line endings are not compared.
func addedLines(old, new []byte) []bool {
	a, b := splitLines(old), splitLines(new)
	trimBreaks(a)
	trimBreaks(b)
	added := make([]bool, len(b)+1)
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ids := lineIDs(a[pre:len(a)-suf], b[pre:len(b)-suf])
	na := len(a) - pre - suf
	keep, ok := myersMatched(ids[:na], ids[na:])
	for j := range len(b) - pre - suf {
		added[pre+j+1] = !ok || !keep[j]
	}
	return added
}

// trimBreaks drops each line's terminator, so that "x" at the end of a file and "x\n" compare
// equal, as do lines whose ending changed from CRLF to LF.
func trimBreaks(lines []string) {
	for i, s := range lines {
		for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
			s = s[:len(s)-1]
		}
		lines[i] = s
	}
}

// lineIDs numbers the distinct lines of a and b and returns the numbers of a then of b.
func lineIDs(a, b []string) []int {
	seen := map[string]int{}
	out := make([]int, 0, len(a)+len(b))
	for _, l := range append(a[:len(a):len(a)], b...) {
		id, ok := seen[l]
		if !ok {
			id = len(seen)
			seen[l] = id
		}
		out = append(out, id)
	}
	return out
}

// myersMatched runs Myers' O(ND) diff and returns, for each element of b, whether it is
// matched to one of a. It gives up (ok false) past maxDiffEdits. The frontier saved for step
// d covers diagonals -d-1 to d+1 only, so memory grows with the square of the edits, not with
// the file.
func myersMatched(a, b []int) ([]bool, bool) {
	n, m := len(a), len(b)
	max := n + m
	if max == 0 {
		return nil, true
	}
	off := max + 1
	v := make([]int, 2*max+3)
	var trace [][]int
	for d := 0; d <= max && d <= maxDiffEdits; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			x := v[off+k+1]
			if k != -d && (k == d || v[off+k-1] >= v[off+k+1]) {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, d), true
			}
		}
	}
	return nil, false
}

// backtrack walks the saved frontiers from the end and marks the elements of b that the
// diagonal moves match.
func backtrack(trace [][]int, a, b []int, d int) []bool {
	keep := make([]bool, len(b))
	x, y := len(a), len(b)
	for ; d > 0; d-- {
		v, o := trace[d], d+1 // v[o+k] is diagonal k after step d-1
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && v[o+k-1] < v[o+k+1]) {
			prevK = k + 1
		}
		px := v[o+prevK]
		py := px - prevK
		for x > px && y > py {
			x, y = x-1, y-1
			keep[y] = true
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		keep[y] = true
	}
	return keep
}
