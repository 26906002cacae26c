package detectors

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/leakhound/leakhound/entropy"
	"github.com/leakhound/leakhound/finding"
)

// Match is one rule matching one place in a text.
type Match struct {
	Rule *Rule
	// Start and End are the secret's byte offsets in the scanned text.
	Start, End int
	// Pos and EndPos are the positions of the secret's first and last byte.
	Pos, EndPos Position
	// Secret is the matched credential. Callers wrap it in finding.Secret before it goes
	// anywhere a person could read it.
	Secret string
	// Entropy is the secret's Shannon entropy in bits per byte.
	Entropy float64
	// Validated is ValidationPass, or "" for rules without an offline check. Matches that
	// fail their check are dropped.
	Validated string
	// Encoding is empty for a secret found as written. For one found by decoding, it names
	// the encodings, outermost first ("base64", "base64+escape"); Secret then holds the
	// decoded secret and Start and End span the encoded text it came from.
	Encoding string
}

// inlineAllowMarks, anywhere on a line, allow every match on it. The gitleaks and
// detect-secrets marks are honoured so that teams can switch without editing their code.
var inlineAllowMarks = [][]byte{
	[]byte("leakhound:allow"),
	[]byte("gitleaks:allow"),
	[]byte("pragma: allowlist secret"),
}

// window is a span of text one rule's regex runs over.
type window struct {
	rule       int
	start, end int
}

// Scanner matches texts against an engine's rules. It owns scratch buffers, so it is not
// safe for concurrent use: give each goroutine its own. The zero value is not usable; get
// one from Engine.NewScanner.
type Scanner struct {
	e      *Engine
	wins   []window
	hits   []keywordHit
	budget int // bytes the current Scan may still decode
	// failed holds the matches of the current text that failed their format check: what
	// they cover is not a credential of their format, so less confident rules may not
	// report it either.
	failed []Match
}

// NewScanner returns a scanner for the engine's rules.
func (e *Engine) NewScanner() *Scanner {
	return &Scanner{e: e}
}

// Scan returns the matches in text, which was found at path, ordered by offset. Encoded
// spans (base64, hex, percent-encoding, string escapes) are decoded and scanned again; their
// matches are located at the encoded text. A rule whose pattern does not compile is an
// error; the matches of the other rules are returned with it. Path allowlists apply to a
// non-empty path only: a text scanned without one (a blob that may lie at many paths, a
// commit message, standard input) is never allowed by path, and callers that know its paths
// ask Engine.PathAllowed for each.
func (s *Scanner) Scan(path string, text []byte) ([]Match, error) {
	for _, a := range s.e.allowlists {
		if path != "" && a.allowsPath(path) {
			return nil, nil
		}
	}
	r, err := s.scanRaw(path, text)
	return s.finalize(&r, text), err
}

// raw is what one pass over a text finds before its matches are weighed against each other.
// A scan is built in two stages so that the first can be reused piecemeal (see Trace): every
// match in local lies within one line and depends on nothing outside that line and the byte
// before it; the rest is recomputed whole.
type raw struct {
	// local holds the line rules' matches as written and every decoded match.
	local []Match
	// failed holds the line rules' matches as written that failed their format check.
	failed []Match
	// wide and wideFailed are the same for rules whose windows cross lines.
	wide, wideFailed []Match
	// hits are the keyword hits of the wide rules, by start.
	hits []keywordHit
}

// scanRaw runs every rule over text and decodes its encoded spans.
func (s *Scanner) scanRaw(path string, text []byte) (raw, error) {
	var r raw
	s.hits = s.e.prefilter.find(text, s.hits[:0])
	for _, h := range s.hits {
		if s.e.wideKw[h.kw] {
			r.hits = append(r.hits, h)
		}
	}
	local, err := s.matchHits(nil, path, text, s.hits, lineRules)
	r.failed = s.takeFailed()
	wide, err2 := s.matchHits(nil, path, text, r.hits, wideRules)
	r.wide = wide
	r.wideFailed = s.takeFailed()
	for _, sp := range findSpans(text, nil) {
		local = s.decodeTop(local, path, text, sp)
	}
	r.local = local
	return r, cmp.Or(err, err2)
}

// takeFailed returns the failed matches collected so far and forgets them.
func (s *Scanner) takeFailed() []Match {
	if len(s.failed) == 0 {
		return nil
	}
	f := slices.Clone(s.failed)
	s.failed = s.failed[:0]
	return f
}

// finalize weighs a raw scan's matches against each other and locates them: failed format
// checks silence less confident rules on the same text, a decoded secret already found as
// written (or decoded elsewhere first) is dropped, and a confident rule shadows a generic one.
// r is not modified.
func (s *Scanner) finalize(r *raw, text []byte) []Match {
	var top, dec []Match
	for _, m := range r.local {
		if m.Encoding == "" {
			top = append(top, m)
		} else {
			dec = append(dec, m)
		}
	}
	top = append(top, r.wide...)
	failed := append(slices.Clip(r.failed), r.wideFailed...)
	out := dropFailed(top, failed)

	slices.SortFunc(dec, compareMatches)
	for _, m := range dec {
		if !alreadyFound(out, m) {
			out = append(out, m)
		}
	}

	slices.SortFunc(out, compareMatches)
	// Overlapping keyword hits of an anchored rule can find one secret twice.
	out = slices.CompactFunc(out, func(a, b Match) bool {
		return a.Rule == b.Rule && a.Start == b.Start && a.End == b.End &&
			len(a.Encoding) == len(b.Encoding)
	})
	out = dropShadowed(out)
	locate(out, text)
	return out
}

// compareMatches orders matches by offset, then as written before decoded, then by the rest
// of their fields, so that ties never depend on the order they were found in.
func compareMatches(a, b Match) int {
	return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(len(a.Encoding), len(b.Encoding)),
		cmp.Compare(a.End, b.End), cmp.Compare(a.Rule.ID, b.Rule.ID),
		cmp.Compare(a.Encoding, b.Encoding), cmp.Compare(a.Secret, b.Secret))
}

// locate sets the positions of ms, which is sorted by Start, walking text twice at most:
// once for the starts and once for the ends, taken in their own order.
func locate(ms []Match, text []byte) {
	if len(ms) == 0 {
		return
	}
	loc := newLocator(text)
	for i := range ms {
		ms[i].Pos = loc.at(ms[i].Start)
	}
	byEnd := make([]int, len(ms))
	for i := range byEnd {
		byEnd[i] = i
	}
	last := func(m *Match) int { return max(m.Start, m.End-1) }
	slices.SortFunc(byEnd, func(a, b int) int { return cmp.Compare(last(&ms[a]), last(&ms[b])) })
	loc = newLocator(text)
	for _, i := range byEnd {
		ms[i].EndPos = loc.at(last(&ms[i]))
	}
}

// scanText appends the matches of every rule in text, unordered, without decoding. Failed
// format checks silence less confident rules within text only.
func (s *Scanner) scanText(out []Match, path string, text []byte) ([]Match, error) {
	s.hits = s.e.prefilter.find(text, s.hits[:0])
	n := len(out)
	out, err := s.matchHits(out, path, text, s.hits, allRules)
	out = append(out[:n], dropFailed(out[n:], s.failed)...)
	s.failed = s.failed[:0]
	return out, err
}

// ruleSet selects rules by how far their windows reach.
type ruleSet uint8

const (
	allRules  ruleSet = iota
	lineRules         // rules whose windows end at line breaks
	wideRules         // rules with a window in bytes, or without keywords
)

func (e *Engine) inSet(ri int, set ruleSet) bool {
	switch set {
	case lineRules:
		return !e.wide[ri]
	case wideRules:
		return e.wide[ri]
	}
	return true
}

// matchHits runs the rules of set over the windows hits open in text, merging overlapping
// windows of one rule, and appends their matches to out; failed format checks go to s.failed.
func (s *Scanner) matchHits(out []Match, path string, text []byte, hits []keywordHit,
	set ruleSet) ([]Match, error) {
	s.collectWindows(text, hits, set)
	var firstErr error
	for i := 0; i < len(s.wins); {
		w := s.wins[i]
		i++
		r := s.e.rules[w.rule]
		for !r.Anchored && i < len(s.wins) && s.wins[i].rule == w.rule &&
			s.wins[i].start <= w.end {
			w.end = max(w.end, s.wins[i].end)
			i++
		}
		if err := r.compile(); err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if path != "" && s.e.PathAllowed(r, path) {
			continue
		}
		out = s.matchWindow(out, r, text, w.start, w.end)
	}
	return out, firstErr
}

// dropFailed removes matches that overlap a failed match of a more confident rule: a
// checksum-broken GitHub token is not a generic secret either.
func dropFailed(ms, failed []Match) []Match {
	if len(failed) == 0 {
		return ms
	}
	return slices.DeleteFunc(ms, func(m Match) bool {
		for _, f := range failed {
			if f.Start < m.End && m.Start < f.End &&
				confidenceRank[f.Rule.Confidence] > confidenceRank[m.Rule.Confidence] {
				return true
			}
		}
		return false
	})
}

// collectWindows fills s.wins with one window per keyword hit and rule of set, sorted by rule
// and start, plus one whole-text window for each rule of set without keywords.
func (s *Scanner) collectWindows(text []byte, hits []keywordHit, set ruleSet) {
	s.wins = s.wins[:0]
	if set != lineRules {
		for _, ri := range s.e.always {
			s.wins = append(s.wins, window{rule: ri, start: 0, end: len(text)})
		}
	}
	for _, h := range hits {
		for _, ri := range s.e.byKeyword[h.kw] {
			if !s.e.inSet(ri, set) {
				continue
			}
			r := s.e.rules[ri]
			start, end := s.bounds(text, h.start, h.end, r.Window)
			if r.Anchored {
				start = h.start
			}
			s.wins = append(s.wins, window{rule: ri, start: start, end: end})
		}
	}
	slices.SortFunc(s.wins, func(a, b window) int {
		return cmp.Or(cmp.Compare(a.rule, b.rule), cmp.Compare(a.start, b.start),
			cmp.Compare(a.end, b.end))
	})
}

// bounds returns the span a regex examines around a keyword hit at [hs, he).
func (s *Scanner) bounds(text []byte, hs, he, ahead int) (int, int) {
	start := hs
	for lim := max(0, hs-maxBehind); start > lim && !isBreak(text[start-1]); {
		start--
	}
	if ahead > 0 {
		return start, min(len(text), he+ahead)
	}
	end := he
	for lim := min(len(text), he+maxAhead); end < lim && !isBreak(text[end]); {
		end++
	}
	return start, end
}

func isBreak(c byte) bool {
	return c == '\n' || c == '\r'
}

// matchWindow runs rule r over text[start:end] and appends the matches that pass its filters.
func (s *Scanner) matchWindow(out []Match, r *Rule, text []byte, start, end int) []Match {
	for _, loc := range r.findAll(text[start:end]) {
		m, ok := s.accept(r, text, start+loc[0], start+loc[1], start+loc[2], start+loc[3])
		if ok {
			out = append(out, m)
		}
	}
	return out
}

// accept applies a rule's filters to one regex match: [ms, me) is the whole match and
// [ss, se) the secret.
func (s *Scanner) accept(r *Rule, text []byte, ms, me, ss, se int) (Match, bool) {
	secret := text[ss:se]
	if len(secret) == 0 {
		return Match{}, false
	}
	h := entropy.Shannon(secret)
	if r.Entropy > 0 && h < r.Entropy {
		return Match{}, false
	}
	ls, le := lineBounds(text, ss)
	c := candidate{secret: secret, match: text[ms:me], line: text[ls:le], next: next(text, se)}
	if ss > 0 {
		c.before = text[ss-1]
	}
	if se < len(text) {
		c.after = text[se]
	}
	if r.Allowlist.allows(&c) || s.globallyAllowed(&c) || inlineAllowed(c.line) {
		return Match{}, false
	}
	if knownExample(secret) {
		return Match{}, false
	}
	if f := filters[r.Filter]; f != nil && !f(&c) {
		return Match{}, false
	}
	m := Match{Rule: r, Start: ss, End: se, Secret: string(secret), Entropy: h}
	if v := validators[r.Validate]; v != nil {
		if !v(m.Secret) {
			s.failed = append(s.failed, m)
			return Match{}, false
		}
		m.Validated = ValidationPass
	}
	return m, true
}

// next returns up to 8 bytes after a secret that ends at se, stopping at a line break, so that
// what a match depends on stays within its line (see raw).
func next(text []byte, se int) []byte {
	n := text[se:min(len(text), se+8)]
	if i := bytes.IndexAny(n, "\r\n"); i >= 0 {
		n = n[:i]
	}
	return n
}

func (s *Scanner) globallyAllowed(c *candidate) bool {
	for _, a := range s.e.allowlists {
		if a.allows(c) {
			return true
		}
	}
	return false
}

func inlineAllowed(line []byte) bool {
	for _, mark := range inlineAllowMarks {
		if bytes.Contains(line, mark) {
			return true
		}
	}
	return false
}

// findAll returns, for each match in b, the match's and the secret's offsets.
func (r *Rule) findAll(b []byte) [][4]int {
	var out [][4]int
	if r.re2 != nil {
		return r.findAllRegexp2(b)
	}
	for _, loc := range r.re.FindAllSubmatchIndex(b, -1) {
		g := r.SecretGroup
		if loc[2*g] < 0 {
			continue
		}
		out = append(out, [4]int{loc[0], loc[1], loc[2*g], loc[2*g+1]})
	}
	return out
}

// Finding turns the match into a finding at path, without commit fields.
func (m *Match) Finding(path string) *finding.Finding {
	return &finding.Finding{
		RuleID:      m.Rule.ID,
		Description: m.Rule.Description,
		Severity:    m.Rule.Severity,
		Confidence:  m.Rule.Confidence,
		Path:        path,
		Line:        m.Pos.Line,
		Column:      m.Pos.Column,
		EndLine:     m.EndPos.Line,
		EndColumn:   m.EndPos.Column + 1,
		Secret:      finding.NewSecret(m.Secret),
		Entropy:     m.Entropy,
		Fingerprint: finding.Fingerprint(m.Rule.ID, path, m.Secret),
		Validated:   m.Validated,
	}
}

// confidenceRank orders confidences; unknown values rank lowest.
var confidenceRank = map[string]int{"low": 1, "medium": 2, "high": 3}

// dropShadowed removes a match whose secret overlaps the secret of a match of a more
// confident rule, so a token found by its own rule is not reported again by a generic one.
// ms must be sorted by Start.
func dropShadowed(ms []Match) []Match {
	drop := make([]bool, len(ms))
	for i := range ms {
		for j := i + 1; j < len(ms) && ms[j].Start < ms[i].End; j++ {
			ri, rj := confidenceRank[ms[i].Rule.Confidence], confidenceRank[ms[j].Rule.Confidence]
			switch {
			case ri < rj:
				drop[i] = true
			case rj < ri:
				drop[j] = true
			}
		}
	}
	out := ms[:0]
	for i, m := range ms {
		if !drop[i] {
			out = append(out, m)
		}
	}
	return out
}
