package gctune

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live, floor uint64
		want        int
	}{
		{0, 64 * mb, 1600},       // a tiny heap is paced as 4 MB
		{4 * mb, 64 * mb, 1600},  // 4 MB + 64 MB
		{32 * mb, 64 * mb, 200},  // 32 MB + 64 MB
		{128 * mb, 64 * mb, 60},  // 60 % of the live heap is more than the floor
		{1024 * mb, 64 * mb, 60}, // large sites: GOGC=60
		{1, 1 << 40, 10000},      // capped
		{100 * mb, 99 * mb, 99},  // between the bounds
	}
	for _, tt := range tests {
		if got := Percent(tt.live, tt.floor); got != tt.want {
			t.Errorf("Percent(%d MB, %d MB) = %d, want %d", tt.live/mb, tt.floor/mb, got, tt.want)
		}
	}
}

// gogc reads the current GOGC.
func gogc() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTune: after each collection the pace follows the live heap, and stop
// ends that.
func TestTune(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(gogc())
	debug.SetGCPercent(100)
	stop := Tune(1 << 40)
	if got := gogc(); got != 10000 {
		t.Fatalf("GOGC = %d right after Tune, want 10000", got)
	}
	debug.SetGCPercent(100)
	// The pace is set again by a finalizer after the next collection.
	deadline := time.Now().Add(5 * time.Second)
	for gogc() != 10000 {
		if time.Now().After(deadline) {
			t.Fatal("GOGC was not set again after a collection")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	stop()
	runtime.GC()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	debug.SetGCPercent(100)
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if got := gogc(); got != 100 {
		t.Errorf("GOGC = %d after stop, want 100 (left alone)", got)
	}
}

func TestTuneLeavesGOGC(t *testing.T) {
	t.Setenv("GOGC", "75")
	defer debug.SetGCPercent(gogc())
	debug.SetGCPercent(75)
	Tune(1 << 40)()
	if got := gogc(); got != 75 {
		t.Errorf("GOGC = %d with GOGC=75 in the environment, want 75", got)
	}
}
