package detectors

import "bytes"

// Position is a 1-based line and column; the column counts bytes of the decoded text.
type Position struct {
	Line, Column int
}

// locator turns byte offsets into positions. Offsets must be asked in non-decreasing order,
// so that a blob is walked once however many matches it has. LF, CRLF and lone CR each end a
// line.
type locator struct {
	text      []byte
	off       int // offset reached
	line      int // line at off
	lineStart int // offset where that line starts
}

func newLocator(text []byte) locator {
	return locator{text: text, line: 1}
}

// at returns the position of offset off; off may not be less than the previous call's.
func (l *locator) at(off int) Position {
	if off < l.off {
		*l = newLocator(l.text)
	}
	if seg := l.text[l.off:off]; bytes.IndexByte(seg, '\r') < 0 {
		// No CR: count LFs with the vectorised helpers instead of a byte loop.
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			l.line += n
			l.lineStart = l.off + bytes.LastIndexByte(seg, '\n') + 1
		}
		l.off = off
	}
	for ; l.off < off; l.off++ {
		switch l.text[l.off] {
		case '\n':
			l.line++
			l.lineStart = l.off + 1
		case '\r':
			if l.off+1 < len(l.text) && l.text[l.off+1] == '\n' {
				continue
			}
			l.line++
			l.lineStart = l.off + 1
		}
	}
	return Position{Line: l.line, Column: off - l.lineStart + 1}
}

// lineBounds returns the start and end (exclusive, before the line break) of the line that
// holds off.
func lineBounds(text []byte, off int) (int, int) {
	start := off
	for start > 0 && text[start-1] != '\n' && text[start-1] != '\r' {
		start--
	}
	end := off
	for end < len(text) && text[end] != '\n' && text[end] != '\r' {
		end++
	}
	return start, end
}
