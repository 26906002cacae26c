package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The collector runs when the heap has grown by half since the last collection (gcPercent).
// On its own that leaves the process holding memory it has freed but not yet returned, and
// an audit frees gigabytes of blob content in pieces of kilobytes to megabytes, so the
// resident size ran about 50% over the heap. A soft memory limit makes the runtime return
// freed memory as it goes and collect a little earlier near the limit. A fixed limit would
// make the collector run without pause once the live heap nears it (very large histories),
// so the governor keeps the limit at least memoryHeadroom times the live heap.
const (
	memoryFloor    = 250 << 20 // the limit for any heap up to about 140 MiB live
	memoryHeadroom = 1.6
	memoryPeriod   = 250 * time.Millisecond
)

// governMemory adjusts the soft memory limit to the live heap until ctx ends.
func governMemory(ctx context.Context) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		limit := int64(memoryFloor)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live := float64(sample[0].Value.Uint64())
			limit = max(limit, int64(live*memoryHeadroom)+32<<20)
		}
		debug.SetMemoryLimit(limit)
	}
	set()
	go func() {
		t := time.NewTicker(memoryPeriod)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				set()
			}
		}
	}()
}
