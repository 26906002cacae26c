package gitscan

import (
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// resultID numbers a result slot of a scan: a unique blob of the walk, a commit message that
// holds matches, or an object that could not be read. 0 is no result (a rename entry).
type resultID uint32

// commitID numbers a walked commit, in walk order.
type commitID uint32

// outcome is what scanning one blob or message found, shared by every place that holds it.
// Blobs with nothing found have none.
type outcome struct {
	matches []detectors.Match
	err     error
	errSeen bool // the error was reported already
}

// entry is one place to attribute: a blob a commit introduced at a path, a commit's message
// (no path), an unreadable object, or a rename (res 0). A walk records one per changed file,
// hundreds of thousands on a large history, so an entry is numbers only.
type entry struct {
	commit commitID
	res    resultID
	path   pathID
	from   pathID // for a rename entry: the path the file moved from
	known  bool   // a left-out parent's blob: its secrets are marked seen, not reported
}

// pathID numbers a path in a scan's path table; 0 is no path.
type pathID uint32

// pathTable interns the paths a walk meets.
type pathTable struct {
	names []string // by pathID; names[0] is ""
	ids   map[string]pathID
}

func newPathTable() *pathTable {
	return &pathTable{names: []string{""}, ids: map[string]pathID{"": 0}}
}

// id returns p's number, adding it if new.
func (t *pathTable) id(p string) pathID {
	if id, ok := t.ids[p]; ok {
		return id
	}
	id := pathID(len(t.names))
	t.names = append(t.names, p)
	t.ids[p] = id
	return id
}

// name returns the path numbered id.
func (t *pathTable) name(id pathID) string {
	return t.names[id]
}

// newResult adds a result slot for blob h (the zero hash for anything else) and, if o is not
// nil, its outcome. Only the walk calls it, before the blob workers start.
func (s *scan) newResult(h plumbing.Hash, o *outcome) resultID {
	id := resultID(len(s.blobs))
	s.blobs = append(s.blobs, h)
	if o != nil {
		s.outcomes[id] = o
	}
	return id
}

// setOutcome records what a blob worker found in blob id; nothing for a clean blob.
func (s *scan) setOutcome(id resultID, matches []detectors.Match, err error) {
	if len(matches) == 0 && err == nil {
		return
	}
	s.mu.Lock()
	s.outcomes[id] = &outcome{matches: matches, err: err}
	s.mu.Unlock()
}

// attribute turns results into findings in walk order, so that the first place a secret
// appears is the one reported.
func (s *scan) attribute(entries []entry) error {
	for _, e := range entries {
		if e.res == 0 {
			s.alias(s.paths.name(e.from), s.paths.name(e.path))
			continue
		}
		o := s.outcomes[e.res]
		if o == nil {
			continue
		}
		if o.err != nil && !o.errSeen {
			o.errSeen = true
			s.addError(s.placeError(e, o.err))
		}
		for i := range o.matches {
			if e.known {
				m := &o.matches[i]
				s.seen[finding.Fingerprint(m.Rule.ID, s.paths.name(e.path), m.Secret)] = true
				continue
			}
			if err := s.report(e, &o.matches[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *scan) placeError(e entry, err error) error {
	c := s.commits[e.commit]
	if e.path == 0 {
		return fmt.Errorf("commit %s: %w", c.hash, err)
	}
	return fmt.Errorf("%s in commit %s: %w", s.paths.name(e.path), c.hash, err)
}

func (s *scan) report(e entry, m *detectors.Match) error {
	path := s.paths.name(e.path)
	if path != "" && s.eng.PathAllowed(m.Rule, path) {
		return nil
	}
	fp := finding.Fingerprint(m.Rule.ID, path, m.Secret)
	if s.seen[fp] {
		return nil
	}
	s.seen[fp] = true
	if path != "" {
		s.atPath[path] = append(s.atPath[path], ruleSecret{m.Rule.ID, m.Secret})
	}
	s.st.Findings++
	f := m.Finding(path)
	c := s.commits[e.commit]
	f.Commit = c.hash.String()
	f.Author, f.Email, f.Message = s.commitMeta(e.commit)
	f.Date = c.when.UTC().Truncate(time.Second)
	return s.emit(f)
}

// meta is what a finding shows of its commit.
type meta struct {
	author, email, subject string
}

// commitMeta returns the author, email and subject of a commit, read again now: a walk
// keeps none of them for the many commits without findings. A secret in the commit message
// is masked in the subject. A commit that cannot be read again shows empty fields.
func (s *scan) commitMeta(id commitID) (string, string, string) {
	if m, ok := s.metas[id]; ok {
		return m.author, m.email, m.subject
	}
	var m meta
	if c, err := s.repo.readCommit(s.commits[id].hash); err == nil {
		m = meta{c.Author.Name, c.Author.Email, firstLine(c.Message)}
		if s.msgScanner == nil {
			s.msgScanner = s.eng.NewScanner()
		}
		if matches, _ := s.msgScanner.Scan("", []byte(c.Message)); len(matches) > 0 {
			m.subject = maskSecrets(m.subject, matches)
		}
	}
	if s.metas == nil {
		s.metas = map[commitID]meta{}
	}
	s.metas[id] = m
	return m.author, m.email, m.subject
}
