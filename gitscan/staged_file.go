package gitscan

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// maxRenameCandidates bounds how many deleted files a new file is diffed against to find
// the one it was renamed from; files with the same name are tried first.
const maxRenameCandidates = 64

// stagedScan scans the files a stagedDiff found changed.
type stagedScan struct {
	sd   *stagedDiff
	sc   *detectors.Scanner
	eng  *detectors.Engine
	opts StagedOptions
	st   *Stats
	emit func(*finding.Finding) error
	seen map[string]bool // fingerprints emitted
}

// file scans one staged file and emits the matches on its added lines.
func (ss *stagedScan) file(c stagedChange) error {
	text, err := ss.text(c.blob, true)
	if text == nil || err != nil {
		return err
	}
	ms, err := ss.sc.Scan(c.path, text)
	if err != nil || len(ms) == 0 {
		return err
	}
	added, err := ss.addedLines(c, text)
	if err != nil {
		return err
	}
	for i := range ms {
		f := ms[i].Finding(c.path)
		if !touches(added, &ms[i]) || ss.seen[f.Fingerprint] {
			continue
		}
		ss.seen[f.Fingerprint] = true
		ss.st.Findings++
		if err := ss.emit(f); err != nil {
			return err
		}
	}
	return nil
}

// touches reports whether any line of the match is added.
func touches(added []bool, m *detectors.Match) bool {
	for l := m.Pos.Line; l <= m.EndPos.Line; l++ {
		if l >= len(added) || added[l] {
			return true
		}
	}
	return false
}

// text reads and decodes a blob; nil means it is skipped (binary, too large). count says
// whether it counts in the stats as a scanned blob.
func (ss *stagedScan) text(h plumbing.Hash, count bool) ([]byte, error) {
	obj, err := ss.sd.repo.object(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if obj.Size() > ss.opts.MaxFileSize {
		if count {
			ss.st.Skipped["too-large"]++
		}
		return nil, nil
	}
	data, err := readAll(obj)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	text, kind := detectors.Decode(data)
	if count {
		ss.st.Blobs++
		ss.st.Bytes += int64(len(data))
		if text == nil {
			ss.st.Skipped[kind.String()]++
		}
	}
	return text, nil
}

// addedLines diffs the staged text against HEAD's version at the same path or, for a new
// path, against the deleted file it was most likely renamed from.
func (ss *stagedScan) addedLines(c stagedChange, text []byte) ([]bool, error) {
	if !c.base.IsZero() {
		old, err := ss.text(c.base, false)
		if err != nil {
			return nil, err
		}
		return addedLines(old, text), nil
	}
	srcs, err := ss.sd.renameSources()
	if err != nil {
		return nil, err
	}
	return ss.renamedFrom(srcs, c, text)
}

// renamedFrom picks, among deleted files, the one whose diff adds the fewest lines, as git's
// rename detection pairs files that are at least half the same. A file with no such source is
// added in full.
func (ss *stagedScan) renamedFrom(srcs []change, c stagedChange, text []byte) ([]bool, error) {
	best := addedLines(nil, text)
	for _, src := range srcs {
		if src.blob == c.blob {
			return make([]bool, len(best)), nil
		}
	}
	bestN := (len(best)-1)/2 + 1 // at least half the lines must be kept
	for _, src := range orderCandidates(srcs, c.path) {
		old, err := ss.text(src.blob, false)
		if err != nil {
			return nil, err
		}
		a := addedLines(old, text)
		if n := countTrue(a); n < bestN {
			best, bestN = a, n
		}
	}
	return best, nil
}

// orderCandidates puts exact-content and same-name candidates first and keeps at most
// maxRenameCandidates.
func orderCandidates(srcs []change, p string) []change {
	out := make([]change, 0, min(len(srcs), maxRenameCandidates))
	for _, s := range srcs {
		if sameBase(s.path, p) {
			out = append(out, s)
		}
	}
	for _, s := range srcs {
		if !sameBase(s.path, p) {
			out = append(out, s)
		}
	}
	return out[:min(len(out), maxRenameCandidates)]
}

func readAll(obj plumbing.EncodedObject) ([]byte, error) {
	rd, err := obj.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

func countTrue(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}
