// Package gctune sets the garbage collector's pace for a one-off build.
//
// A build's live heap grows from nothing to the whole parsed site. With a
// fixed GOGC the collector runs very often while the heap is small (a
// dozen collections before the first 50 MB). Tune lets the heap grow by
// 60 % of the live heap between collections, but by at least floor bytes:
// few collections for small and middle-sized sites, and a peak of about
// 1.6 times the live heap for large ones (GOGC=60). (At 100,000 cases,
// GOGC=60 against 50: about 8 % less time for 50–90 MB more memory, a
// peak of 1.7 GB; GOGC=100 would reach 2 GB.)
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
// max(0.6 × live, floor) bytes. It does nothing when GOGC is set in the
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
		// Garbage as soon as arm returns, so its finalizer runs after the
		// next collection. (It holds a pointer so that it is not a tiny
		// allocation, whose finalizers need not run.)
		s := new(sentinel)
		runtime.SetFinalizer(s, func(*sentinel) {
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

type sentinel struct{ _ *byte }

// Percent returns the GOGC value that lets a heap of live bytes grow by
// max(0.6 × live, floor) before the next collection, between 60 and
// 10,000.
func Percent(live, floor uint64) int {
	// The runtime paces a heap of less than 4 MB as if it were 4 MB.
	p := floor * 100 / max(live, 4<<20)
	return int(max(60, min(p, 10000)))
}
