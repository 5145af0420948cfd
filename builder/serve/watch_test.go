package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchTree makes root/content/exempel with a file and watches content.
func watchTree(t *testing.T, debounce, maxWait time.Duration) (string, *Watcher) {
	t.Helper()
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "content", "exempel"), 0o755)
	os.WriteFile(filepath.Join(root, "content", "exempel", "a.md"), []byte("a"), 0o644)
	w, err := newWatcher(root, []string{"content"}, debounce, maxWait)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return root, w
}

// waitBatch returns the next batch that names want (nil: a full rebuild),
// or fails after a timeout.
func waitBatch(t *testing.T, w *Watcher, want string) []string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case b := <-w.Changes:
			if b == nil && want == "" || b != nil && slices.Contains(b, want) {
				return b
			}
		case <-deadline:
			t.Fatalf("no batch with %q", want)
			return nil
		}
	}
}

// TestWatchSurvivesFolderSwaps: a folder renamed away and another renamed
// into its place (a git checkout, a sync tool) is watched, every time.
func TestWatchSurvivesFolderSwaps(t *testing.T) {
	root, w := watchTree(t, 20*time.Millisecond, time.Second)
	content := filepath.Join(root, "content")
	for i := range 10 {
		next := filepath.Join(content, fmt.Sprintf("ny%d", i))
		os.MkdirAll(next, 0o755)
		os.WriteFile(filepath.Join(next, "a.md"), []byte("ny"), 0o644)
		if err := os.Rename(filepath.Join(content, "exempel"), filepath.Join(content, fmt.Sprintf("gammal%d", i))); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(next, filepath.Join(content, "exempel")); err != nil {
			t.Fatal(err)
		}
		waitBatch(t, w, "content/exempel")
		// A save in the swapped-in folder is seen.
		name := fmt.Sprintf("content/exempel/b%d.md", i)
		os.WriteFile(filepath.Join(root, name), []byte("b"), 0o644)
		waitBatch(t, w, name)
	}
}

// TestWatchOverflowRebuildsEverything: when events were lost, the watcher
// re-reads its folders and asks for a full rebuild (a nil batch), and
// reports the error.
func TestWatchOverflowRebuildsEverything(t *testing.T) {
	root, w := watchTree(t, 20*time.Millisecond, time.Second)
	// A folder made while events are being lost is watched afterwards.
	os.MkdirAll(filepath.Join(root, "content", "dold-ny"), 0o755)
	w.errs <- fsnotify.ErrEventOverflow
	if b := waitBatch(t, w, ""); b != nil {
		t.Fatalf("batch %v, want nil (everything)", b)
	}
	select {
	case err := <-w.Errors:
		if err != fsnotify.ErrEventOverflow {
			t.Errorf("error %v", err)
		}
	default:
		t.Error("the overflow was not reported")
	}
	os.WriteFile(filepath.Join(root, "content", "dold-ny", "x.md"), []byte("x"), 0o644)
	waitBatch(t, w, "content/dold-ny/x.md")
}

// TestWatchSteadySaves: saves every 10 ms never leave 40 ms of quiet, yet
// batches go out at least every maxWait.
func TestWatchSteadySaves(t *testing.T) {
	root, w := watchTree(t, 40*time.Millisecond, 300*time.Millisecond)
	p := filepath.Join(root, "content", "exempel", "a.md")
	stop := time.After(1500 * time.Millisecond)
	batches := 0
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for n := 0; ; n++ {
		select {
		case <-tick.C:
			os.WriteFile(p, []byte(fmt.Sprint(n)), 0o644)
		case <-w.Changes:
			batches++
		case <-stop:
			if batches < 3 {
				t.Errorf("%d batches in 1.5 s of steady saves, want at least 3 (one per 300 ms)", batches)
			}
			t.Logf("%d batches in 1.5 s of saves every 10 ms", batches)
			return
		}
	}
}
