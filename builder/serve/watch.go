package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches folders recursively (fsnotify watches are not), follows
// folders that are created, renamed, removed or swapped for others, and
// delivers changed paths in batches once the files have been quiet for the
// debounce interval, so an editor's write-temp-then-rename save arrives as
// one change. While saves keep coming, a batch goes out at least every
// MaxWait. A nil batch means "everything may have changed": the watcher
// lost events (the system's queue overflowed, or another error) and has
// re-read its folders.
type Watcher struct {
	w        *fsnotify.Watcher
	root     string
	dirs     []string // the watched trees, relative to root
	debounce time.Duration
	maxWait  time.Duration
	Changes  chan []string // slash paths relative to root, sorted, unique; nil: everything
	Errors   chan error
	done     chan struct{}
	// errs is where the loop reads fsnotify's errors; tests add their own.
	errs chan error
}

// defaultMaxWait is the longest a steady stream of saves delays a batch.
const defaultMaxWait = time.Second

// NewWatcher watches dirs (relative to root) that exist.
func NewWatcher(root string, dirs []string, debounce time.Duration) (*Watcher, error) {
	return newWatcher(root, dirs, debounce, defaultMaxWait)
}

func newWatcher(root string, dirs []string, debounce, maxWait time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{w: fw, root: root, dirs: dirs, debounce: debounce, maxWait: maxWait,
		Changes: make(chan []string, 1), Errors: make(chan error, 1), done: make(chan struct{}), errs: make(chan error, 1)}
	w.rescan()
	go func() {
		for err := range fw.Errors {
			select {
			case w.errs <- err:
			case <-w.done:
				return
			}
		}
	}()
	go w.loop()
	return w, nil
}

// Close stops watching.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	return w.w.Close()
}

// rescan watches every folder of the watched trees that is not watched
// yet, and forgets watches on folders that are gone. Adding a folder that
// is watched already costs one system call, so a full walk is cheap next
// to the rebuild that follows it.
func (w *Watcher) rescan() {
	for _, p := range w.w.WatchList() {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			w.w.Remove(p)
		}
	}
	for _, d := range w.dirs {
		w.addTree(filepath.Join(w.root, d))
	}
}

func (w *Watcher) addTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			w.w.Add(p)
		}
		return nil
	})
}

// ignored reports editor and system temp files: vim's .swp and 4913,
// emacs's #x# and .#x, backup~ files, JetBrains' ___jb_ files, .DS_Store.
func ignored(name string) bool {
	base := filepath.Base(name)
	switch {
	case strings.HasPrefix(base, ".#"), strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"),
		strings.HasSuffix(base, "~"), strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"),
		strings.HasSuffix(base, ".tmp"), strings.Contains(base, "___jb_"), base == "4913", base == ".DS_Store":
		return true
	}
	return false
}

func (w *Watcher) loop() {
	pending := map[string]bool{}
	everything := false // events were lost: the next batch is nil
	var timer *time.Timer
	var fire <-chan time.Time
	var first time.Time // when the pending batch began
	moved := false      // a watched folder was removed or renamed
	schedule := func() {
		now := time.Now()
		if fire == nil {
			first = now
		}
		wait := w.debounce
		if left := first.Add(w.maxWait).Sub(now); left < wait {
			wait = max(left, 0)
		}
		if timer == nil {
			timer = time.NewTimer(wait)
		} else {
			timer.Stop()
			timer.Reset(wait)
		}
		fire = timer.C
	}
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || ignored(ev.Name) {
				continue
			}
			if ev.Op&fsnotify.Create != 0 {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					w.addTree(ev.Name) // a new folder, maybe already with files
				}
			}
			if ev.Op&(fsnotify.Remove|fsnotify.Rename) != 0 && slices.Contains(w.w.WatchList(), ev.Name) {
				moved = true // a watched folder went: rescan before the rebuild
			}
			rel, err := filepath.Rel(w.root, ev.Name)
			if err != nil {
				rel = ev.Name
			}
			pending[filepath.ToSlash(rel)] = true
			schedule()
		case err := <-w.errs:
			// Lost events (fsnotify.ErrEventOverflow) or a broken watch:
			// re-read the folders and rebuild everything.
			everything = true
			schedule()
			select {
			case w.Errors <- err:
			default:
			}
		case <-fire:
			fire = nil
			// Folders renamed, removed or swapped since the last batch are
			// watched again before the rebuild reads them. (A walk of the
			// trees takes 10 ms at 10,000 files: not for a saved file.)
			if moved || everything {
				w.rescan()
			}
			moved = false
			var batch []string
			if !everything {
				batch = make([]string, 0, len(pending))
				for p := range pending {
					batch = append(batch, p)
				}
				sortStrings(batch)
			}
			pending, everything = map[string]bool{}, false
			select {
			case w.Changes <- batch:
			case <-w.done:
				return
			}
		}
	}
}
