package detectors

// decodeTop decodes one candidate span of a scanned text, scans what it decodes to (and the
// spans inside that, to maxDecodeDepth), and appends the matches, located at the encoded
// text. Each span has its own budget of decoded bytes, so what a span yields depends on
// nothing but its own bytes. Whether a match was already found as written is left to
// finalize, which sees the whole text.
func (s *Scanner) decodeTop(out []Match, path string, text []byte, sp span) []Match {
	s.budget = min(maxDecodedBytes, 2*(sp.end-sp.start)+4096)
	return s.decodeSpanInto(out, path, text, sp, 1, false)
}

// scanDecoded decodes the candidate spans of text, a decoded text, and appends the matches
// not already found, located at the encoded text. depth counts the encodings around text's
// spans; spans deeper than maxDecodeDepth, or past the span's decode budget, are left alone.
func (s *Scanner) scanDecoded(out []Match, path string, text []byte, depth int) []Match {
	if depth > maxDecodeDepth || s.budget <= 0 {
		return out
	}
	for _, sp := range findSpans(text, nil) {
		if s.budget <= 0 {
			break
		}
		out = s.decodeSpanInto(out, path, text, sp, depth, true)
	}
	return out
}

// decodeSpanInto decodes text[sp.start:sp.end], scans it and appends its matches to out,
// skipping those already in out when dedup is set.
func (s *Scanner) decodeSpanInto(out []Match, path string, text []byte, sp span, depth int,
	dedup bool) []Match {
	d, ok := decodeSpan(text[sp.start:sp.end], sp.enc)
	if !ok {
		return out
	}
	s.budget -= len(d.text)
	inner, _ := s.scanText(nil, path, d.text)
	inner = s.scanDecoded(inner, path, d.text, depth+1)
	for _, m := range inner {
		m.Start = sp.start + d.origin(m.Start)
		m.End = sp.start + d.origin(m.End)
		if m.End <= m.Start {
			m.End = m.Start + 1
		}
		m.Encoding = joinEncoding(sp.enc, m.Encoding)
		if !dedup || !alreadyFound(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func joinEncoding(outer Encoding, inner string) string {
	if inner == "" {
		return string(outer)
	}
	return string(outer) + "+" + inner
}

// alreadyFound reports whether out holds a match of the same rule overlapping m, or of the
// same rule and secret anywhere: the secret as written and as decoded is one finding.
func alreadyFound(out []Match, m Match) bool {
	for _, o := range out {
		if o.Rule != m.Rule {
			continue
		}
		if o.Secret == m.Secret || o.Start < m.End && m.Start < o.End {
			return true
		}
	}
	return false
}
