package gitscan

import (
	"sync"

	"github.com/leakhound/leakhound/detectors"
)

// maxTraces bounds how many blob traces a scan keeps: a trace is a few dozen bytes for a blob
// with nothing found (most of them), so a million cost about 60 MB with the map. Past the
// bound, the oldest are dropped, and a delta whose base trace is gone is scanned whole.
const maxTraces = 1 << 20

// traceStore keeps the trace of each scanned blob by where it lies in its pack, so that a blob
// stored as a delta against it can be scanned incrementally. It is safe for concurrent use.
type traceStore struct {
	mu    sync.Mutex
	m     map[cacheKey]*detectors.Trace
	order []cacheKey // insertion order, for eviction
	head  int
}

func (t *traceStore) get(k cacheKey) *detectors.Trace {
	if k.p == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[k]
}

func (t *traceStore) put(k cacheKey, tr *detectors.Trace) {
	if k.p == nil || tr == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[cacheKey]*detectors.Trace{}
	}
	if _, ok := t.m[k]; ok {
		return
	}
	if len(t.m) >= maxTraces {
		delete(t.m, t.order[t.head])
		t.order[t.head] = k
		t.head = (t.head + 1) % len(t.order)
	} else {
		t.order = append(t.order, k)
	}
	t.m[k] = tr
}
