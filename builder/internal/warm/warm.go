// Package warm grows the heap to its working size ahead of the work that
// needs it (Heap).
package warm

import (
	"runtime"
	"runtime/metrics"
)

// Heap touches the memory the heap will grow into before the
// next collection, and returns how many bytes that was (0 when the heap
// already has it).
//
// A rebuild after an edit allocates tens of megabytes, and until the
// heap has reached its working size each one takes that memory fresh from
// the system: a page fault per 4 kB page. On the bench machine a fault
// costs 14 µs (512 MB: 1.9 s; on a laptop 0.2–1 µs), which made each of a
// preview's first eight or so edits at 10,000 cases take 450–550 ms
// instead of 200 ms, until the first collection after them. The
// preview calls this once, when the first build and its search index are
// made: the pages are then faulted in while nobody waits, and freed to
// the heap, which keeps them for the rebuilds (the runtime returns memory
// to the system only beyond its goal).
func Heap() int64 {
	n := gap()
	if n < minGrowth {
		return 0
	}
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	runtime.KeepAlive(b)
	// Collected now, while it is garbage, so that its pages are free
	// for the next allocations and the heap's goal is set by what is
	// live.
	b = nil
	runtime.GC()
	return int64(n)
}

// minGrowth is the growth below which Heap leaves the heap alone.
const minGrowth = 16 << 20

// gap is how far the heap will grow before the next collection
// beyond the memory it holds (in use or free, not given back), at most
// what it holds: with GOGC=off the goal is the memory limit, or none.
func gap() uint64 {
	s := []metrics.Sample{
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	var have uint64
	for _, x := range s[1:] {
		have += x.Value.Uint64()
	}
	goal := s[0].Value.Uint64()
	if goal <= have {
		return 0
	}
	return min(goal-have, have)
}
