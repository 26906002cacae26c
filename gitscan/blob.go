package gitscan

import (
	"context"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/leakhound/leakhound/detectors"
)

// work reads and scans blobs until jobs is closed. Each worker owns its object store and
// scanner, so the hot path takes no locks but the stats mutex once per blob.
func (s *scan) work(ctx context.Context, jobs <-chan *blobResult) {
	store := s.repo.newStorer()
	sc := s.eng.NewScanner()
	for res := range jobs {
		if ctx.Err() == nil {
			res.matches, res.err = s.scanBlob(store, sc, res.hash)
			s.markClean(res)
		}
		s.opts.Progress.BlobsDone.Add(1)
		close(res.done)
	}
}

func (s *scan) scanBlob(store storer.EncodedObjectStorer, sc *detectors.Scanner,
	h plumbing.Hash) ([]detectors.Match, error) {
	obj, err := store.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	if obj.Size() > s.opts.MaxFileSize {
		s.skip("too-large")
		return nil, nil
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	data, err := io.ReadAll(rd)
	rd.Close()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
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
	return sc.Scan("", text)
}

func (s *scan) skip(reason string) {
	s.mu.Lock()
	s.st.Skipped[reason]++
	s.mu.Unlock()
}
