//go:build linux && !race && (amd64 || arm64 || ppc64le || riscv64 || s390x || loong64)

package hugeheap

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

func TestSize(t *testing.T) {
	const gb = 1 << 30
	ok := system{thp: "always [madvise] never\n", overcommit: "0", memTotal: 24 * gb, addrLimit: noLimit}
	with := func(f func(*system)) system { s := ok; f(&s); return s }
	for _, tc := range []struct {
		name string
		max  int
		sys  system
		want int
	}{
		{"madvise", 4 * gb, ok, 4 * gb},
		{"a quarter of memory", 4 * gb, with(func(s *system) { s.memTotal = 8 * gb }), 2 * gb},
		{"rounded to huge pages", 100<<20 + 5, ok, 100 << 20},
		{"heuristic overcommit 1", 4 * gb, with(func(s *system) { s.overcommit = "1" }), 4 * gb},
		{"always", 4 * gb, with(func(s *system) { s.thp = "[always] madvise never" }), 0},
		{"never", 4 * gb, with(func(s *system) { s.thp = "always madvise [never]" }), 0},
		{"no THP", 4 * gb, with(func(s *system) { s.thp = "" }), 0},
		{"strict overcommit", 4 * gb, with(func(s *system) { s.overcommit = "2" }), 0},
		{"overcommit unknown", 4 * gb, with(func(s *system) { s.overcommit = "" }), 0},
		{"GODEBUG disablethp", 4 * gb, with(func(s *system) { s.godebug = "gctrace=1,disablethp=1" }), 0},
		{"address space limit", 4 * gb, with(func(s *system) { s.addrLimit = 8 * gb }), 0},
		{"memory unknown", 4 * gb, with(func(s *system) { s.memTotal = 0 }), 0},
		{"too small", 6 << 20, ok, 0},
	} {
		if got := size(tc.max, tc.sys); got != tc.want {
			t.Errorf("%s: size(%d) = %d, want %d", tc.name, tc.max, got, tc.want)
		}
	}
}

func TestMemTotal(t *testing.T) {
	if got := memTotal("MemFree: 5 kB\nMemTotal:       24684412 kB\n"); got != 24684412<<10 {
		t.Errorf("memTotal = %d", got)
	}
	if got := memTotal("MemTotal: many kB\n"); got != 0 {
		t.Errorf("memTotal of junk = %d", got)
	}
}

// TestPrepare checks on this machine that memory the heap takes after
// Prepare lies in a mapping advised for huge pages (VmFlags "hg").
func TestPrepare(t *testing.T) {
	want := size(256<<20, readSystem())
	got := Prepare(256 << 20)
	// The advice covers the whole huge pages inside the reservation.
	if got > want || (want > 0 && got <= want-2*hugePage) {
		t.Fatalf("Prepare = %d bytes, want about %d for this system", got, want)
	}
	if got == 0 {
		t.Logf("this system needs no advice (%q): nothing to check", readSystem().thp)
		return
	}
	b := make([]byte, 64<<20)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	addr := uintptr(unsafe.Pointer(&b[len(b)/2]))
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	flags, ok := vmFlags(string(smaps), addr)
	if !ok {
		t.Fatalf("no mapping holds %#x", addr)
	}
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the heap's mapping at %#x has VmFlags %q, without hg", addr, flags)
	}
}

// sink keeps the allocations of TestPrepareTouchesNothing reachable
// until it drops them.
var sink [][]byte

// TestPrepareTouchesNothing checks that the reservation stays untouched
// when the top of the heap holds pages a collection freed, which a block
// from make would start on and then clear whole.
func TestPrepareTouchesNothing(t *testing.T) {
	if size(512<<20, readSystem()) == 0 {
		t.Skip("no reservation on this system")
	}
	for range 4000 {
		sink = append(sink, make([]byte, 16<<10))
	}
	sink = nil
	runtime.GC()
	// Reset the peak of resident memory (VmHWM) to what is resident now.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatal(err)
	}
	before := peakRSS(t)
	if Prepare(512<<20) == 0 {
		t.Fatal("Prepare reserved nothing")
	}
	if grew := peakRSS(t) - before; grew > 64<<20 {
		t.Errorf("Prepare made %d MB resident, want nothing", grew>>20)
	}
}

// peakRSS returns VmHWM of /proc/self/status in bytes.
func peakRSS(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	n := kBField(string(b), "VmHWM:")
	if n == 0 {
		t.Fatal("no VmHWM in /proc/self/status")
	}
	return n
}

// vmFlags returns the VmFlags of the mapping in smaps that holds addr.
func vmFlags(smaps string, addr uintptr) (string, bool) {
	in := false
	for line := range strings.Lines(smaps) {
		line = strings.TrimSpace(line)
		if lo, hi, ok := mapRange(line); ok {
			in = lo <= addr && addr < hi
			continue
		}
		if rest, ok := strings.CutPrefix(line, "VmFlags:"); ok && in {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

// mapRange parses the address range that starts a mapping's smaps entry.
func mapRange(line string) (lo, hi uintptr, ok bool) {
	r, _, _ := strings.Cut(line, " ")
	a, b, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
