package detectors

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind classifies raw content before matching.
type Kind int

// Kinds of content. Only Text and UTF16 are matched; the others are skipped and counted.
const (
	Text Kind = iota
	UTF16
	Binary
	LFSPointer
)

// String names the kind for summaries and logs.
func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case UTF16:
		return "utf-16"
	case Binary:
		return "binary"
	case LFSPointer:
		return "lfs-pointer"
	}
	return "unknown"
}

// sniffLen is how much of a blob is inspected to tell text from binary, as git does.
const sniffLen = 8000

var lfsHeader = []byte("version https://git-lfs.github.com/spec/v1")

// Decode classifies data and returns the text to match: data itself for UTF-8 or other
// 8-bit text, a UTF-8 transcoding for UTF-16 (with or without a byte-order mark), and nil for
// binary content and Git LFS pointers.
func Decode(data []byte) ([]byte, Kind) {
	if bytes.HasPrefix(data, lfsHeader) && len(data) < 1024 {
		return nil, LFSPointer
	}
	if order, skip, ok := utf16Order(data); ok {
		return decodeUTF16(data[skip:], order), UTF16
	}
	if bytes.IndexByte(data[:min(len(data), sniffLen)], 0) >= 0 {
		return nil, Binary
	}
	return data, Text
}

// utf16Order detects UTF-16 by its byte-order mark or, without one, by a NUL in every other
// byte of the sniffed prefix, as ASCII-heavy UTF-16 text has. It returns 0 for little-endian
// and 1 for big-endian, and how many bytes of mark to skip.
func utf16Order(data []byte) (order, skip int, ok bool) {
	if len(data) >= 2 {
		switch {
		case data[0] == 0xFF && data[1] == 0xFE:
			return 0, 2, true
		case data[0] == 0xFE && data[1] == 0xFF:
			return 1, 2, true
		}
	}
	n := min(len(data), 512) &^ 1
	if n < 4 {
		return 0, 0, false
	}
	var zeros [2]int
	for i := 0; i < n; i++ {
		if data[i] == 0 {
			zeros[i&1]++
		}
	}
	half := n / 2
	switch {
	case zeros[1] >= half*9/10 && zeros[0] == 0:
		return 0, 0, true
	case zeros[0] >= half*9/10 && zeros[1] == 0:
		return 1, 0, true
	}
	return 0, 0, false
}

func decodeUTF16(data []byte, order int) []byte {
	units := make([]uint16, len(data)/2)
	for i := range units {
		lo, hi := data[2*i], data[2*i+1]
		if order == 1 {
			lo, hi = hi, lo
		}
		units[i] = uint16(lo) | uint16(hi)<<8
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}
