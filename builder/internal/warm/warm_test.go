//go:build linux && !race

package warm

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestHeap: after Heap, the heap grows towards its goal without
// page faults (Linux: getrusage's minor faults). In a new test process,
// with 64 MB live, that growth is 64 MB; without Heap nearly every
// page of it faults. Not under the race detector, whose shadow memory
// faults on its own.
func TestHeap(t *testing.T) {
	// In a process of its own: the package's other tests leave a heap
	// the runtime is still giving back.
	if os.Getenv("WARM_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHeap$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "WARM_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestHeap") {
			t.Fatalf("%v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	live := make([][]byte, 64)
	for i := range live {
		live[i] = make([]byte, 1<<20)
		live[i][0] = 1
	}
	defer runtime.KeepAlive(live)
	faults := func() int64 {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return ru.Minflt
	}
	// garbage allocates n bytes in 64 kB pieces, touching each page, and
	// returns the faults that took.
	garbage := func(n int64) int64 {
		before := faults()
		for ; n > 0; n -= 64 << 10 {
			b := make([]byte, 64<<10)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1
			}
			sink = b // on the heap, as a build's garbage is
		}
		return faults() - before
	}
	runtime.GC()
	gap := int64(gap())
	Heap()
	pages := gap / 2 / 4096
	f := garbage(gap / 2)
	t.Logf("gap %d, pages %d, faults %d", gap, pages, f)
	if f > pages/5+64 {
		t.Errorf("after Heap, %d pages of garbage took %d faults", pages, f)
	}
}

var sink []byte
