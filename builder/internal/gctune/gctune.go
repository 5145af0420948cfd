// Package gctune sets the garbage collector's pace for a one-off build.
//
// A build's live heap grows from nothing to the whole parsed site. With a
// fixed GOGC the collector runs very often while the heap is small (a
// dozen collections before the first 50 MB) and lets the heap grow by
// half again when it is large. Tune keeps the room between collections at
// least floor bytes and at most half the live heap beyond that: few
// collections for small and middle-sized sites, and a peak of about 1.5
// times the live heap for large ones.
package gctune

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// Tune sets the collector's pace after every collection until stop is
// called: the next collection starts when the heap has grown by
// max(live/2, floor) bytes. It does nothing when GOGC is set in the
// environment.
func Tune(floor uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	var stopped atomic.Bool
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(samples)
		var live uint64
		if samples[0].Value.Kind() == metrics.KindUint64 {
			live = samples[0].Value.Uint64()
		}
		debug.SetGCPercent(Percent(live, floor))
	}
	var arm func()
	arm = func() {
		sentinel := new([16]byte)
		runtime.SetFinalizer(sentinel, func(*[16]byte) {
			if stopped.Load() {
				return
			}
			set()
			arm()
		})
	}
	set()
	arm()
	return func() { stopped.Store(true) }
}

// Percent returns the GOGC value that lets a heap of live bytes grow by
// max(live/2, floor) before the next collection, between 50 and 10,000.
func Percent(live, floor uint64) int {
	// The runtime paces a heap of less than 4 MB as if it were 4 MB.
	p := floor * 100 / max(live, 4<<20)
	return int(max(50, min(p, 10000)))
}
