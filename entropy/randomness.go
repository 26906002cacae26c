package entropy

import "math"

// minRandomLen is the shortest string LooksRandom will judge; shorter ones never look random,
// since a handful of characters cannot tell a key from a word.
const minRandomLen = 8

// Below shortRandomLen bytes a random-looking string must mix three character classes, and
// below mediumRandomLen two: short strings of one or two classes are too often words.
const (
	shortRandomLen  = 12
	mediumRandomLen = 20
)

// Profile describes how a candidate secret is built, for tests stronger than Shannon entropy.
type Profile struct {
	// Len is the length in bytes.
	Len int
	// Lower, Upper, Digit and Symbol count the bytes of each class.
	Lower, Upper, Digit, Symbol int
	// Distinct is the number of distinct bytes.
	Distinct int
	// ExpectedDistinct is how many distinct bytes a string of Len bytes drawn uniformly
	// from the alphabet its classes imply would hold on average.
	ExpectedDistinct float64
	// WordFraction is the fraction of bytes covered by dictionary words of four or more
	// letters, after undoing common digit-for-letter substitutions (p4ssw0rd).
	WordFraction float64
	// Sequential is the fraction of adjacent pairs that step by +1 or -1 (abcd, 4321).
	Sequential float64
	// ClassSequential is the largest fraction, over letters and over digits taken apart, of
	// adjacent pairs that step by +1 (A1B2C3D4: ABCD and 1234).
	ClassSequential float64
	// VowelRatio is the fraction of letters that are vowels; English text sits near 0.4,
	// random letters near 0.2.
	VowelRatio float64
}

// Classes returns how many of the four character classes occur.
func (p Profile) Classes() int {
	n := 0
	for _, c := range [...]int{p.Lower, p.Upper, p.Digit, p.Symbol} {
		if c > 0 {
			n++
		}
	}
	return n
}

// Analyze profiles b.
func Analyze(b []byte) Profile {
	p := Profile{Len: len(b)}
	var seen [256]bool
	vowels, seq := 0, 0
	for i, c := range b {
		if !seen[c] {
			seen[c] = true
			p.Distinct++
		}
		switch {
		case c >= 'a' && c <= 'z':
			p.Lower++
		case c >= 'A' && c <= 'Z':
			p.Upper++
		case c >= '0' && c <= '9':
			p.Digit++
		default:
			p.Symbol++
		}
		if isVowel(c) {
			vowels++
		}
		if i > 0 && (c == b[i-1]+1 || c+1 == b[i-1]) {
			seq++
		}
	}
	if letters := p.Lower + p.Upper; letters > 0 {
		p.VowelRatio = float64(vowels) / float64(letters)
	}
	if len(b) > 1 {
		p.Sequential = float64(seq) / float64(len(b)-1)
	}
	p.ExpectedDistinct = expectedDistinct(alphabetSize(p, b), len(b))
	p.ClassSequential = max(classSequential(b, isLetter), classSequential(b, isDigit))
	p.WordFraction = wordFraction(b)
	return p
}

func isVowel(c byte) bool {
	switch c | 0x20 {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// alphabetSize estimates the alphabet a string was drawn from: hexadecimal when every byte
// is a hex digit of one case, otherwise the sum of the classes present.
func alphabetSize(p Profile, b []byte) int {
	if isHex(b) {
		return 16
	}
	n := 0
	if p.Lower > 0 {
		n += 26
	}
	if p.Upper > 0 {
		n += 26
	}
	if p.Digit > 0 {
		n += 10
	}
	if p.Symbol > 0 {
		n += 16
	}
	return max(n, 2)
}

func isHex(b []byte) bool {
	lower, upper := false, false
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return false
		}
	}
	return !(lower && upper)
}

// expectedDistinct is the mean number of distinct symbols in n uniform draws from a symbols.
func expectedDistinct(a, n int) float64 {
	fa := float64(a)
	return fa * (1 - math.Pow(1-1/fa, float64(n)))
}

// LooksRandom reports whether b looks like machine-generated key material rather than a
// word, an identifier, a sentence or a human-chosen password. It combines four tests that
// Shannon entropy alone misses: enough distinct characters for the implied alphabet, few
// dictionary words, no long ascending or descending runs, and, for letter-only strings, a
// vowel ratio away from that of English.
func LooksRandom(b []byte) bool {
	if len(b) < minRandomLen {
		return false
	}
	p := Analyze(b)
	return p.looksRandom()
}

func (p Profile) looksRandom() bool {
	if float64(p.Distinct) < 0.75*p.ExpectedDistinct {
		return false
	}
	if p.WordFraction >= 0.5 || p.Sequential > 0.3 || p.ClassSequential > 0.6 {
		return false
	}
	letters := p.Lower + p.Upper
	if letters == p.Len && p.Len < 24 && p.VowelRatio > 0.3 {
		return false
	}
	if p.Classes() == 1 && p.Digit == p.Len {
		return false
	}
	switch {
	case p.Len < shortRandomLen && p.Classes() < 3:
		return false
	case p.Len < mediumRandomLen && p.Classes() < 2:
		return false
	}
	return p.Distinct >= 6
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// classSequential returns the fraction of adjacent pairs, among the bytes of b in class, that
// step up by one (wrapping 9 to 0); it is 0 when the class has fewer than four bytes.
func classSequential(b []byte, class func(byte) bool) float64 {
	var prev byte
	n, seq := 0, 0
	for _, c := range b {
		if !class(c) {
			continue
		}
		c |= 0x20 * boolByte(c >= 'A' && c <= 'Z')
		if n > 0 && (c == prev+1 || prev == '9' && c == '0') {
			seq++
		}
		prev = c
		n++
	}
	if n < 4 {
		return 0
	}
	return float64(seq) / float64(n-1)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
