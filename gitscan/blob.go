package gitscan

import (
	"context"
	"errors"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
)

// work reads and scans blobs until jobs is closed. Each worker owns its object store and
// scanner, so the hot path takes no locks but the stats mutex once per blob.
func (s *scan) work(ctx context.Context, jobs <-chan []resultID) {
	rd := s.repo.newStorer()
	rd.o = s.order.borrow()
	rd.o.track = !s.opts.FullScan
	rd.o.win.enabled = true
	sc := s.eng.NewScanner()
	for batch := range jobs {
		for _, id := range batch {
			if ctx.Err() == nil {
				h := s.blobs[id]
				matches, err := s.scanBlob(rd, sc, h)
				s.setOutcome(id, matches, err)
				s.markClean(h, matches, err)
			}
			s.opts.Progress.BlobsDone.Add(1)
		}
	}
}

func (s *scan) scanBlob(rd *objectSource, sc *detectors.Scanner,
	h plumbing.Hash) ([]detectors.Match, error) {
	data, err := rd.readMax(h, plumbing.BlobObject, s.opts.MaxFileSize)
	if errors.Is(err, errTooLarge) {
		s.skip("too-large")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.opts.Progress.Bytes.Add(int64(len(data)))
	s.mu.Lock()
	s.st.Blobs++
	s.st.Bytes += int64(len(data))
	s.mu.Unlock()

	text, kind := detectors.Decode(data)
	if text == nil {
		s.skip(kind.String())
		return nil, nil
	}
	if !rd.o.track || kind != detectors.Text {
		return sc.Scan("", text)
	}
	last := &rd.o.last
	base := s.traces.get(last.base)
	var matches []detectors.Match
	var tr *detectors.Trace
	if base != nil {
		matches, tr, err = sc.ScanDelta(text, base, last.copies)
		s.mu.Lock()
		s.st.Incremental++
		s.mu.Unlock()
	} else {
		matches, tr, err = sc.ScanTrace(text)
	}
	s.traces.put(last.at, tr)
	return matches, err
}

func (s *scan) skip(reason string) {
	s.mu.Lock()
	s.st.Skipped[reason]++
	s.mu.Unlock()
}
