package pagefind

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/output"
)

// Tee returns a Writer that passes every file to w and indexes the HTML
// pages on their way, on all cores (a builder may write from a single
// goroutine): Write copies a page to be indexed and returns at once. Wait
// waits for the pages written so far and returns the first errors of
// indexing. The Tee keeps w's Streaming and DirMaker behaviour.
func (x *Index) Tee(w output.Writer) *Tee {
	t := &Tee{w: w, x: x, pages: make(chan teePage, 64)}
	for range runtime.GOMAXPROCS(0) {
		t.wg.Add(1)
		go func() {
			defer t.wg.Done()
			for p := range t.pages {
				if _, err := x.Add(p.name, p.data); err != nil {
					t.mu.Lock()
					t.errs = append(t.errs, err)
					t.mu.Unlock()
				}
			}
		}()
	}
	return t
}

// Tee is the Writer Index.Tee returns.
type Tee struct {
	w     output.Writer
	x     *Index
	pages chan teePage
	wg    sync.WaitGroup
	once  sync.Once
	mu    sync.Mutex
	errs  []error
}

type teePage struct {
	name string
	data []byte
}

// Index returns the Index the pages go to.
func (t *Tee) Index() *Index { return t.x }

// Write queues name for indexing when it is a page Pagefind indexes, then
// writes it to the underlying Writer.
func (t *Tee) Write(name string, data []byte) error {
	if strings.HasSuffix(name, ".html") && Indexed(data) {
		t.pages <- teePage{name, bytes.Clone(data)}
	}
	return t.w.Write(name, data)
}

// Keep implements output.Keeper: a page of the last build is kept when
// the underlying Writer keeps it and, for a page the index holds
// (indexed), the index keeps its entry (Index.Keep).
func (t *Tee) Keep(name string, size int, sum uint64, indexed bool) bool {
	k, ok := t.w.(output.Keeper)
	if !ok || indexed && !t.x.Keep(name, size, sum) {
		return false
	}
	return k.Keep(name, size, sum, indexed)
}

var _ output.Keeper = (*Tee)(nil)

// Streams reports whether the underlying Writer streams (output.Streaming):
// Add keeps nothing of data once it returns.
func (t *Tee) Streams() bool { return output.Streams(t.w) }

// MakeDirs passes the directories on when the underlying Writer makes them.
func (t *Tee) MakeDirs(dirs []string) {
	if d, ok := t.w.(output.DirMaker); ok {
		d.MakeDirs(dirs)
	}
}

// Wait waits until every page written has been indexed (no Write may
// follow) and returns the errors of indexing, one per page, or nil.
func (t *Tee) Wait() error {
	t.once.Do(func() { close(t.pages) })
	t.wg.Wait()
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) == 0 {
		return nil
	}
	slices.SortFunc(t.errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	if len(t.errs) == 1 {
		return t.errs[0]
	}
	return fmt.Errorf("%w (och %d sidor till)", t.errs[0], len(t.errs)-1)
}
