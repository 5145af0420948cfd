//go:build linux && !race && (amd64 || arm64 || ppc64le || riscv64 || s390x || loong64)

package hugeheap

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the architectures
// above with 4 KiB base pages.
const hugePage = 2 << 20

// noLimit is RLIM_INFINITY as getrlimit(2) reports it.
const noLimit = ^uint64(0)

func prepare(max int) int {
	n := size(max, readSystem())
	if n == 0 {
		return 0
	}
	// A large allocation grows the heap by a mapping of its own size,
	// untouched. Not make: when the free pages at the top of the heap
	// (left by a collection before this call) begin the block, the
	// runtime clears all of it, and 4 GB become resident (a build of
	// 10,000 cases then took 20 s and 4.3 GB instead of 1.2 s and 300 MB).
	b := mallocgc(uintptr(n), nil, false)
	p := uintptr(b)
	beg := (p + hugePage - 1) &^ (hugePage - 1)
	end := (p + uintptr(n)) &^ (hugePage - 1)
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, beg, end-beg, syscall.MADV_HUGEPAGE)
	runtime.KeepAlive(b)
	b = nil
	// Free it and give its pages back at once, so that the collector's
	// pace does not count it; the mapping, and its advice, stay.
	debug.FreeOSMemory()
	if errno != 0 {
		return 0
	}
	return int(end - beg)
}

// mallocgc is the runtime's allocator, which can leave a block
// uncleared (needzero false) and which the runtime keeps callable by
// this name (go.dev/issue/67401). typ nil: no pointers.
//
//go:linkname mallocgc runtime.mallocgc
func mallocgc(size uintptr, typ unsafe.Pointer, needzero bool) unsafe.Pointer

// system is what size decides by.
type system struct {
	godebug    string // $GODEBUG
	thp        string // /sys/kernel/mm/transparent_hugepage/enabled
	overcommit string // /proc/sys/vm/overcommit_memory
	memTotal   int    // bytes, from /proc/meminfo; 0: unknown
	addrLimit  uint64 // RLIMIT_AS; RLIM_INFINITY: none
}

func readSystem() system {
	s := system{godebug: os.Getenv("GODEBUG")}
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err == nil {
		s.thp = string(b)
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err == nil {
		s.overcommit = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		s.memTotal = memTotal(string(b))
	}
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &lim) == nil {
		s.addrLimit = lim.Cur
	}
	return s
}

// size returns how many bytes prepare should reserve: 0 when it should
// not.
func size(max int, s system) int {
	switch {
	case strings.Contains(s.godebug, "disablethp=1"),
		// "always" needs no advice, "never" ignores it.
		!strings.Contains(s.thp, "[madvise]"),
		// Strict accounting would charge the whole reservation.
		s.overcommit != "0" && s.overcommit != "1",
		// A limit on address space is better left to the heap.
		s.addrLimit != noLimit:
		return 0
	}
	n := min(max, s.memTotal/4) &^ (hugePage - 1)
	if n < 4*hugePage {
		return 0
	}
	return n
}

// memTotal returns MemTotal of /proc/meminfo in bytes, or 0.
func memTotal(meminfo string) int { return kBField(meminfo, "MemTotal:") }

// kBField returns the value of the line of text that starts with key, a
// number of kilobytes ("MemTotal:  24684412 kB", as /proc writes them), in
// bytes; 0 when there is none.
func kBField(text, key string) int {
	for line := range strings.Lines(text) {
		if rest, ok := strings.CutPrefix(line, key); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
