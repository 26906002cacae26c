package gitscan

import (
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/detectors"
)

// BlobCache lets a scan skip blobs that an earlier scan, of this repository or any other,
// already found to hold no match under the same rules. It is how a sweep scans a blob shared
// by many repositories and forks once.
//
// Only clean blobs are cached: a blob with matches is scanned again wherever it appears, so
// its findings are attributed to each repository, path and commit without the cache ever
// holding a secret. The caller keys the cache on everything that changes a blob's outcome
// (the rules and the size limit).
type BlobCache interface {
	// Clean reports whether blob h is known to hold no match. The scan then neither reads
	// nor scans it, and counts it in Stats.Skipped as "already-scanned". Clean is called
	// from one goroutine of the scan.
	Clean(h plumbing.Hash) bool
	// MarkClean records that blob h was read and held no match, or was skipped as binary,
	// an LFS pointer or too large. It is not called for a blob that could not be read.
	// MarkClean may be called from several goroutines at once.
	MarkClean(h plumbing.Hash)
}

// skipKnown reports whether the options' cache knows blob h is clean; if so it counts the
// skip.
func (s *scan) skipKnown(h plumbing.Hash) bool {
	if s.opts.Blobs == nil || !s.opts.Blobs.Clean(h) {
		return false
	}
	s.skip("already-scanned")
	return true
}

// markClean tells the options' cache about a blob that was scanned without error or match.
func (s *scan) markClean(h plumbing.Hash, matches []detectors.Match, err error) {
	if s.opts.Blobs != nil && err == nil && len(matches) == 0 {
		s.opts.Blobs.MarkClean(h)
	}
}
