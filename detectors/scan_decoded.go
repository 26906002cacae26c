package detectors

// scanDecoded decodes the candidate spans of text, scans what they decode to, and appends
// the matches not already found, located at the encoded text. depth counts the encodings
// around text's spans; spans deeper than maxDecodeDepth, or past the scan's decode budget,
// are left alone.
func (s *Scanner) scanDecoded(out []Match, path string, text []byte, depth int) []Match {
	if depth > maxDecodeDepth || s.budget <= 0 {
		return out
	}
	for _, sp := range findSpans(text, nil) {
		if s.budget <= 0 {
			break
		}
		d, ok := decodeSpan(text[sp.start:sp.end], sp.enc)
		if !ok {
			continue
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
			if !alreadyFound(out, m) {
				out = append(out, m)
			}
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
