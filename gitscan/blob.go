package gitscan

import (
	"context"
	"errors"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
)

// blobJob is a worker's unit of work: the delta tree under a root of the forest, or one blob
// found in no pack.
type blobJob struct {
	root  int32 // -1 for a loose blob
	loose resultID
}

// work scans blob jobs until jobs is closed. Each worker owns its object reader and scanner,
// so the hot path takes no locks but the stats mutex once per blob.
func (s *scan) work(ctx context.Context, f *forest, jobs <-chan blobJob) {
	rd := s.repo.newStorer()
	rd.o = s.order.borrow()
	rd.o.win.enabled = true
	w := &treeWorker{s: s, f: f, rd: rd, sc: s.eng.NewScanner()}
	for j := range jobs {
		if ctx.Err() != nil {
			continue
		}
		if j.root < 0 {
			s.scanOne(rd, w.sc, j.loose)
			continue
		}
		w.scanTree(ctx, j.root)
	}
}

// scanOne reads blob id through the object reader and scans it whole.
func (s *scan) scanOne(rd *objectSource, sc *detectors.Scanner, id resultID) {
	data, err := rd.readMax(s.blobs[id], plumbing.BlobObject, s.opts.MaxFileSize)
	switch {
	case errors.Is(err, errTooLarge):
		s.skip("too-large")
		s.finish(id, nil, nil)
	case err != nil:
		s.finish(id, nil, err)
	default:
		s.scanData(sc, id, data, nil, nil)
	}
}

// scanData scans the content of blob id and records what it found. Given the trace of a base
// and what data copies from it, the scan is incremental (unless Options.FullScan); it returns
// the blob's own trace for the deltas built on it, or nil.
func (s *scan) scanData(sc *detectors.Scanner, id resultID, data []byte, base *detectors.Trace,
	copies []detectors.Copy) *detectors.Trace {
	if int64(len(data)) > s.opts.MaxFileSize {
		s.skip("too-large")
		s.finish(id, nil, nil)
		return nil
	}
	s.opts.Progress.Bytes.Add(int64(len(data)))
	s.mu.Lock()
	s.st.Blobs++
	s.st.Bytes += int64(len(data))
	s.mu.Unlock()

	text, kind := detectors.Decode(data)
	if text == nil {
		s.skip(kind.String())
		s.finish(id, nil, nil)
		return nil
	}
	var matches []detectors.Match
	var tr *detectors.Trace
	var err error
	switch {
	case s.opts.FullScan || kind != detectors.Text:
		matches, err = sc.Scan("", text)
	case base != nil:
		matches, tr, err = sc.ScanDelta(text, base, copies)
		s.mu.Lock()
		s.st.Incremental++
		s.mu.Unlock()
	default:
		matches, tr, err = sc.ScanTrace(text)
	}
	s.finish(id, matches, err)
	return tr
}

// finish records a blob's outcome.
func (s *scan) finish(id resultID, matches []detectors.Match, err error) {
	s.setOutcome(id, matches, err)
	s.markClean(s.blobs[id], matches, err)
	s.opts.Progress.BlobsDone.Add(1)
}

func (s *scan) skip(reason string) {
	s.mu.Lock()
	s.st.Skipped[reason]++
	s.mu.Unlock()
}
