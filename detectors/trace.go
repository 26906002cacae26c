package detectors

import (
	"bytes"
	"cmp"
	"slices"
)

// Incremental scanning. Most versions of a file differ from another version in a few lines,
// and git stores them that way: as a delta that copies ranges of a base and inserts new bytes.
// A scan of the base, kept as a Trace, lets ScanDelta scan such a text by looking only at the
// lines the delta does not copy whole, and reuse the base's results for the rest.
//
// This is exact because of how a raw scan is split (see raw): every line rule's match, and
// every decoded match, lies within one line and depends only on that line and the line break
// before it. A line whose bytes and that context were copied from the base in
// one piece therefore holds exactly what the base's copy held. The rules whose windows cross
// lines are matched over the whole text again, from keyword hits that are themselves carried
// over where copied; and everything that weighs matches against each other (failed checks,
// shadowing, a decoded secret also found as written) runs on the whole result, as in Scan.
// The tests compare ScanDelta with Scan on random edits.
//
// Known limit: an engine with a rule that has no keywords, or a keyword holding a line break,
// has no traces; ScanTrace then returns nil and ScanDelta scans in full.

// Copy says that text[Dst:Dst+Len] equals base[Src:Src+Len].
type Copy struct {
	Dst, Src, Len int
}

// Trace is what an incremental scan keeps of a scanned text: for most texts, only their
// size. It is immutable and may be shared between goroutines.
type Trace struct {
	size int
	d    *traceData // nil when the text has no matches and no wide keyword hits
}

type traceData struct {
	local  []Match      // line-confined matches, by Start
	failed []Match      // line rules' failed checks, by Start
	hits   []keywordHit // keyword hits of wide rules, by start
}

func newTrace(size int, r *raw) *Trace {
	t := &Trace{size: size}
	if len(r.local)+len(r.failed)+len(r.hits) == 0 {
		return t
	}
	d := &traceData{local: slices.Clip(r.local), failed: slices.Clip(r.failed),
		hits: slices.Clip(r.hits)}
	slices.SortStableFunc(d.local, byStart)
	slices.SortStableFunc(d.failed, byStart)
	slices.SortStableFunc(d.hits, func(a, b keywordHit) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.kw, b.kw))
	})
	t.d = d
	return t
}

func byStart(a, b Match) int { return cmp.Compare(a.Start, b.Start) }

// ScanTrace is Scan with an empty path, and also returns the trace ScanDelta needs to scan
// texts built from this one. The trace is nil when the engine cannot scan incrementally or
// the scan failed.
func (s *Scanner) ScanTrace(text []byte) ([]Match, *Trace, error) {
	r, err := s.scanRaw("", text)
	ms := s.finalize(&r, text)
	if err != nil || !s.e.deltaOK {
		return ms, nil, err
	}
	return ms, newTrace(len(text), &r), nil
}

// ScanDelta returns what Scan("", text) returns, given the trace of a base text and the
// ranges text copies from it, sorted by Dst and not overlapping. Bytes no copy covers are
// new. It reads only the lines not copied whole (and the rules whose windows cross lines read
// around their keywords). Copies that do not fit base or text, or a nil base, make it scan
// text in full.
func (s *Scanner) ScanDelta(text []byte, base *Trace, copies []Copy) ([]Match, *Trace, error) {
	if base == nil || !s.e.deltaOK || !copiesFit(copies, base.size, len(text)) {
		return s.ScanTrace(text)
	}
	var r raw
	var firstErr error
	prev := 0 // text before prev is accounted for
	for _, c := range cleanSpans(text, base.size, copies) {
		if prev < c.Dst {
			firstErr = cmp.Or(firstErr, s.scanLines(&r, text, prev, c.Dst))
		}
		carry(&r, base, c)
		prev = c.Dst + c.Len
	}
	if prev < len(text) {
		firstErr = cmp.Or(firstErr, s.scanLines(&r, text, prev, len(text)))
	}

	slices.SortStableFunc(r.hits, func(a, b keywordHit) int { return cmp.Compare(a.start, b.start) })
	wide, err := s.matchHits(nil, "", text, r.hits, wideRules)
	r.wide = wide
	r.wideFailed = s.takeFailed()
	firstErr = cmp.Or(firstErr, err)

	ms := s.finalize(&r, text)
	if firstErr != nil {
		return ms, nil, firstErr
	}
	return ms, newTrace(len(text), &r), nil
}

// copiesFit reports whether copies are in order, disjoint and within both texts.
func copiesFit(copies []Copy, baseSize, size int) bool {
	end := 0
	for _, c := range copies {
		if c.Len <= 0 || c.Dst < end || c.Src < 0 || c.Src+c.Len > baseSize ||
			c.Dst+c.Len > size {
			return false
		}
		end = c.Dst + c.Len
	}
	return true
}

// cleanSpans returns, for each run of copies that continue one another, the whole lines in it
// whose context was copied too, as a Copy. A line's context is the byte before it: the
// previous line's break, or the start of both texts. A last line without a break is clean
// only where the copy ends both texts.
func cleanSpans(text []byte, baseSize int, copies []Copy) []Copy {
	var out []Copy
	for i := 0; i < len(copies); {
		c := copies[i]
		for i++; i < len(copies); i++ {
			n := copies[i]
			if n.Dst != c.Dst+c.Len || n.Src != c.Src+c.Len {
				break
			}
			c.Len += n.Len
		}
		start := c.Dst
		if c.Dst != 0 || c.Src != 0 {
			nl := bytes.IndexByte(text[c.Dst:c.Dst+c.Len], '\n')
			if nl < 0 {
				continue
			}
			start = c.Dst + nl + 1
		}
		end := c.Dst + c.Len
		if end != len(text) || c.Src+c.Len != baseSize {
			nl := bytes.LastIndexByte(text[start:end], '\n')
			if nl < 0 {
				continue
			}
			end = start + nl + 1
		}
		if start < end {
			out = append(out, Copy{Dst: start, Src: c.Src + start - c.Dst, Len: end - start})
		}
	}
	return out
}

// carry appends what base found in the clean span c to r, moved to c's place in the text.
func carry(r *raw, base *Trace, c Copy) {
	if base.d == nil {
		return
	}
	shift := c.Dst - c.Src
	lo, hi := c.Src, c.Src+c.Len
	r.local = appendMoved(r.local, inRange(base.d.local, lo, hi), lo, hi, shift)
	r.failed = appendMoved(r.failed, inRange(base.d.failed, lo, hi), lo, hi, shift)
	i, _ := slices.BinarySearchFunc(base.d.hits, lo, func(h keywordHit, t int) int {
		return cmp.Compare(h.start, t)
	})
	for ; i < len(base.d.hits) && base.d.hits[i].start < hi; i++ {
		h := base.d.hits[i]
		h.start += shift
		h.end += shift
		r.hits = append(r.hits, h)
	}
}

// inRange returns the matches of ms, sorted by Start, that start in [lo, hi).
func inRange(ms []Match, lo, hi int) []Match {
	i, _ := slices.BinarySearchFunc(ms, lo, func(m Match, t int) int {
		return cmp.Compare(m.Start, t)
	})
	j := i
	for j < len(ms) && ms[j].Start < hi {
		j++
	}
	return ms[i:j]
}

// scanLines scans the whole lines text[a:e] with their context, as scanRaw would within the
// whole text, and appends to r what starts in them.
func (s *Scanner) scanLines(r *raw, text []byte, a, e int) error {
	lo, hi := max(a-1, 0), e
	sub := text[lo:hi]
	in := func(start int) bool { return start >= a-lo && start < e-lo }

	s.hits = s.e.prefilter.find(sub, s.hits[:0])
	for _, h := range s.hits {
		if s.e.wideKw[h.kw] && in(h.start) {
			h.start += lo
			h.end += lo
			r.hits = append(r.hits, h)
		}
	}
	local, err := s.matchHits(nil, "", sub, s.hits, lineRules)
	failed := s.takeFailed()
	for _, sp := range findSpans(sub, nil) {
		if in(sp.start) {
			local = s.decodeTop(local, "", sub, sp)
		}
	}
	r.local = appendMoved(r.local, local, a-lo, e-lo, lo)
	r.failed = appendMoved(r.failed, failed, a-lo, e-lo, lo)
	return err
}

// appendMoved appends to dst the matches of ms that start in [lo, hi), moved by shift.
func appendMoved(dst, ms []Match, lo, hi, shift int) []Match {
	for _, m := range ms {
		if m.Start >= lo && m.Start < hi {
			m.Start += shift
			m.End += shift
			dst = append(dst, m)
		}
	}
	return dst
}
