package serve

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches folders recursively (fsnotify watches are not), adds
// folders created later, and delivers changed paths in batches once the
// files have been quiet for the debounce interval, so an editor's
// write-temp-then-rename save arrives as one change.
type Watcher struct {
	w        *fsnotify.Watcher
	root     string
	debounce time.Duration
	Changes  chan []string // slash paths relative to root, sorted, unique
	Errors   chan error
	done     chan struct{}
}

// NewWatcher watches dirs (relative to root) that exist.
func NewWatcher(root string, dirs []string, debounce time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{w: fw, root: root, debounce: debounce, Changes: make(chan []string, 1), Errors: make(chan error, 1), done: make(chan struct{})}
	for _, d := range dirs {
		w.addTree(filepath.Join(root, d))
	}
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
	var timer *time.Timer
	var fire <-chan time.Time
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
			rel, err := filepath.Rel(w.root, ev.Name)
			if err != nil {
				rel = ev.Name
			}
			pending[filepath.ToSlash(rel)] = true
			if timer == nil {
				timer = time.NewTimer(w.debounce)
			} else {
				timer.Reset(w.debounce)
			}
			fire = timer.C
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			select {
			case w.Errors <- err:
			default:
			}
		case <-fire:
			fire = nil
			batch := make([]string, 0, len(pending))
			for p := range pending {
				batch = append(batch, p)
			}
			pending = map[string]bool{}
			sortStrings(batch)
			select {
			case w.Changes <- batch:
			case <-w.done:
				return
			}
		}
	}
}
