package detectors

import "encoding/binary"

// The keyword prefilter finds every case-insensitive occurrence of every keyword, overlapping
// ones included, in one pass over the text. It was written here after measuring the two
// Aho-Corasick libraries we tried (docs/performance.md): both spent several times longer per
// byte than reading the repository does.
//
// Each keyword of four bytes or more is represented by its rarest four-byte window (rarity
// estimated from English and source-code letter frequencies). At every position of the text,
// the four bytes there are case-folded with one OR, hashed with one multiplication, and
// tested against a bitmap of the keywords' windows; only where a bit is set are whole
// keywords compared. Shorter keywords use bitmaps of their own, consulted only if any exist.

// fold maps each byte to its ASCII lower case.
var fold = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			t[i] = byte(i) + 'a' - 'A'
		}
	}
	return t
}()

// hashBits sizes the long-keyword bitmap: 2^20 bits (128 KiB) keeps false hits near one in
// ten thousand positions for a few hundred keywords while staying in L2 cache.
const hashBits = 20

// prefilter indexes lower-cased keywords. Keywords of four bytes or more are found through
// a hashed four-byte window; two- and three-byte keywords through a direct bitmap of a
// two-byte window (8 KiB, in L1 cache); one-byte keywords by a table of bytes.
type prefilter struct {
	keywords [][]byte
	long     []uint64              // hashed four-byte windows
	longCand map[uint32][]gramCand // hash -> keywords
	short    []uint64              // two-byte windows, folded, little-endian
	shortOK  bool                  // any two- or three-byte keyword
	shortCnd map[uint32][]gramCand
	single   [256][]int // one-byte keywords, by byte (either case)
	singleOK bool
}

// gramCand is a keyword whose chosen window starts off bytes into it.
type gramCand struct {
	kw  int
	off int
}

// keywordHit is one occurrence of keyword kw at text[start:end].
type keywordHit struct {
	kw         int
	start, end int
}

func newPrefilter(keywords []string) *prefilter {
	p := &prefilter{
		long:     make([]uint64, 1<<hashBits/64),
		longCand: map[uint32][]gramCand{},
		short:    make([]uint64, 1<<16/64),
		shortCnd: map[uint32][]gramCand{},
	}
	for i, k := range keywords {
		b := []byte(k)
		for j := range b {
			b[j] = fold[b[j]]
		}
		p.keywords = append(p.keywords, b)
		switch {
		case len(b) == 1:
			p.addSingle(i, b[0])
		case len(b) < 4:
			off := rarestWindow(b, 2)
			h := loadFolded(b[off:], 2)
			p.short[h>>6] |= 1 << (h & 63)
			p.shortCnd[h] = append(p.shortCnd[h], gramCand{kw: i, off: off})
			p.shortOK = true
		default:
			off := rarestWindow(b, 4)
			h := gramHash(loadFolded(b[off:], 4))
			p.long[h>>6] |= 1 << (h & 63)
			p.longCand[h] = append(p.longCand[h], gramCand{kw: i, off: off})
		}
	}
	return p
}

func (p *prefilter) addSingle(kw int, c byte) {
	p.single[c] = append(p.single[c], kw)
	if u := upper(c); u != c {
		p.single[u] = append(p.single[u], kw)
	}
	p.singleOK = true
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// loadFolded reads n (2 or 4) bytes little-endian with ASCII letters folded to lower case by
// setting bit 5 of each byte. That also merges a few punctuation pairs ('_' and DEL, '@' and
// '`'); such collisions only cost a comparison.
func loadFolded(b []byte, n int) uint32 {
	if n == 4 {
		return binary.LittleEndian.Uint32(b) | 0x20202020
	}
	return (uint32(b[0]) | uint32(b[1])<<8) | 0x2020
}

func gramHash(x uint32) uint32 {
	return (x * 0x9E3779B1) >> (32 - hashBits)
}

// commonness estimates how often a byte occurs in source text, higher for more common.
func commonness(c byte) int {
	const common = "etaoinsrlcdhumpfgbyw" // most frequent first
	for i := range len(common) {
		if common[i] == c {
			return 60 - i
		}
	}
	switch {
	case c >= 'a' && c <= 'z':
		return 30
	case c >= '0' && c <= '9':
		return 25
	case c == ' ' || c == '.' || c == '(' || c == ')' || c == ',' || c == '"':
		return 55
	}
	return 10
}

// rarestWindow returns the offset of the n-byte window of b whose bytes are least common.
func rarestWindow(b []byte, n int) int {
	best, bestScore := 0, 1<<30
	for off := 0; off+n <= len(b); off++ {
		score := 0
		for _, c := range b[off : off+n] {
			score += commonness(c)
		}
		if score < bestScore {
			best, bestScore = off, score
		}
	}
	return best
}

// find appends every keyword occurrence in text to hits and returns it, in no particular
// order.
func (p *prefilter) find(text []byte, hits []keywordHit) []keywordHit {
	i := 0
	long, short := p.long, p.short
	if p.shortOK {
		for ; i+4 <= len(text); i++ {
			x := binary.LittleEndian.Uint32(text[i:]) | 0x20202020
			if h := gramHash(x); long[h>>6]&(1<<(h&63)) != 0 {
				hits = p.verify(p.longCand[h], text, i, hits)
			}
			if y := x & 0xFFFF; short[y>>6]&(1<<(y&63)) != 0 {
				hits = p.verify(p.shortCnd[y], text, i, hits)
			}
		}
	} else {
		for ; i+4 <= len(text); i++ {
			x := binary.LittleEndian.Uint32(text[i:]) | 0x20202020
			if h := gramHash(x); long[h>>6]&(1<<(h&63)) != 0 {
				hits = p.verify(p.longCand[h], text, i, hits)
			}
		}
	}
	for ; p.shortOK && i+2 <= len(text); i++ {
		if y := loadFolded(text[i:], 2); short[y>>6]&(1<<(y&63)) != 0 {
			hits = p.verify(p.shortCnd[y], text, i, hits)
		}
	}
	if p.singleOK {
		for j, c := range text {
			for _, kw := range p.single[c] {
				hits = append(hits, keywordHit{kw: kw, start: j, end: j + 1})
			}
		}
	}
	return hits
}

// verify appends the candidates whose window sits at text[i] and whose whole keyword matches.
func (p *prefilter) verify(cands []gramCand, text []byte, i int,
	hits []keywordHit) []keywordHit {
	for _, c := range cands {
		w := p.keywords[c.kw]
		start := i - c.off
		if start < 0 || start+len(w) > len(text) || !equalFold(text[start:start+len(w)], w) {
			continue
		}
		hits = append(hits, keywordHit{kw: c.kw, start: start, end: start + len(w)})
	}
	return hits
}

// equalFold reports whether a, case-folded, equals the lower-case b.
func equalFold(a, b []byte) bool {
	for i := range b {
		if fold[a[i]] != b[i] {
			return false
		}
	}
	return true
}
