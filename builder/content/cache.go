package content

import (
	"sync"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
)

// Cache keeps parsed documents between loads, keyed by file and content
// hash, so the preview server re-parses only files that changed. A file
// whose stamp (size, modification and change times, inode) is the one it
// had when it was read, long enough after it was last modified
// (settleTime), is not even read again. The zero value is not usable;
// call NewCache. A nil *Cache disables caching.
type Cache struct {
	mu sync.RWMutex
	m  map[string]cacheEntry
	// listing is the last listing of the document files (list).
	listing *listing
	// persist is where the entries are kept between processes
	// (OpenCache); nil: nowhere.
	persist *persisted
	// resolved is the resolution of the cases of the last load
	// (resolveCases).
	resolved resolveMemo
}

type cacheEntry struct {
	hash   uint64
	stamp  fileStamp // zero: not settled when read, or not read from a file
	drafts bool
	draft  string
	doc    any
	fm     frontMatter
	errs   *diag.List
}

// resolvedCases returns c's memo of resolved cases: nil for a nil cache,
// and for one opened from a file (OpenCache), which serves a one-off
// build's single load.
func (c *Cache) resolvedCases() *resolveMemo {
	if c == nil || c.persist != nil {
		return nil
	}
	return &c.resolved
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]cacheEntry{}} }

// get returns the entry of file read with the content hash.
func (c *Cache) get(file string, hash uint64, drafts bool) (cacheEntry, bool) {
	return c.lookup(file, drafts, func(h uint64, _ fileStamp) bool { return h == hash })
}

// getStamped returns the entry of file when it was read with the stamp
// st (settled).
func (c *Cache) getStamped(file string, st fileStamp, drafts bool) (cacheEntry, bool) {
	if st == (fileStamp{}) {
		return cacheEntry{}, false
	}
	return c.lookup(file, drafts, func(_ uint64, s fileStamp) bool { return s == st })
}

// getAny returns the entry of file, however it was read.
func (c *Cache) getAny(file string, drafts bool) (cacheEntry, bool) {
	return c.lookup(file, drafts, func(uint64, fileStamp) bool { return true })
}

// lookup returns a copy of the entry of file read with the same drafts
// setting, when match accepts its hash and stamp. (A copy, not a pointer
// to one: a load looks up every document.)
func (c *Cache) lookup(file string, drafts bool, match func(hash uint64, st fileStamp) bool) (cacheEntry, bool) {
	if c == nil {
		return cacheEntry{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.m[file]
	if !ok || e.drafts != drafts || !match(e.hash, e.stamp) {
		return cacheEntry{}, false
	}
	return e, true
}

// put keeps the document file parsed from content with the hash: doc and
// its front matter fm (nil for a draft left out), the errors of parsing
// it, and the slug of a draft left out. A case's fields are kept as their
// text, to be parsed again by a load that resolves the case anew
// (frontMatter), except in a cache kept between processes, which writes
// them (cachestore.go).
func (c *Cache) put(file string, hash uint64, st fileStamp, drafts bool, doc any, fm *frontMatter, errs *diag.List, draft string) {
	if c == nil {
		return
	}
	if !st.settled(time.Now()) {
		st = fileStamp{}
	}
	var keep frontMatter
	if fm != nil {
		keep = *fm
		if _, isCase := doc.(*Case); isCase && c.persist == nil {
			keep.f = nil
		}
	}
	var snap *diag.List // nil: none (most files; one object fewer each)
	if errs.Len() > 0 {
		snap = &diag.List{}
		snap.Merge(errs)
	}
	c.mu.Lock()
	c.m[file] = cacheEntry{hash: hash, stamp: st, drafts: drafts, doc: cloneDoc(doc), fm: keep, errs: snap, draft: draft}
	c.mu.Unlock()
}

// cloneDoc returns a shallow copy of a parsed document, so resolving one
// load's references never touches another load's documents.
func cloneDoc(d any) any {
	switch v := d.(type) {
	case *Case:
		c := *v
		return &c
	case *Term:
		t := *v
		return &t
	case *Page:
		p := *v
		return &p
	}
	return d
}

// empty reports whether c holds no entry (a nil cache holds none).
func (c *Cache) empty() bool {
	if c == nil {
		return true
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m) == 0
}

// compactCases moves the cases of the given files, as the cache keeps
// them, into one array: a load that parsed many files (the preview's
// first) leaves the cache one object for them instead of one per case,
// which the collector visits on every cycle. Copies handed out before
// stay as they are. Not for a cache kept between processes, whose
// entries serve one load.
func (c *Cache) compactCases(files []string) {
	if c == nil || c.persist != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cases := make([]Case, 0, len(files))
	for _, f := range files {
		e, ok := c.m[f]
		if cs, isCase := e.doc.(*Case); ok && isCase {
			cases = append(cases, *cs)
			e.doc = &cases[len(cases)-1]
			c.m[f] = e
		}
	}
}

// restamp gives the entry of file, read again with the same hash, the
// stamp st (when settled), so the next load need not read it.
func (c *Cache) restamp(file string, hash uint64, st fileStamp) {
	if c == nil {
		return
	}
	if !st.settled(time.Now()) {
		st = fileStamp{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[file]; ok && e.hash == hash {
		e.stamp = st
		c.m[file] = e
	}
}

// fileStamp identifies a file's version by what stat(2) tells of it: size,
// modification and change times (nanoseconds) and inode (0 where the
// system has none). An editor's save changes at least one.
type fileStamp struct {
	size, mtime, ctime int64
	ino                uint64
}

// settleTime is how long after its last modification a file's stamp is
// trusted. File systems keep times in coarse ticks (a few milliseconds on
// Linux, two seconds on FAT), so a file written again in the tick it was
// read in can keep its stamp; one unchanged for longer cannot change
// without a new stamp.
var settleTime = 3 * time.Second // a variable for the tests

// settled reports whether the file was last modified or changed at least
// settleTime before now.
func (st fileStamp) settled(now time.Time) bool {
	limit := now.Add(-settleTime).UnixNano()
	return st.mtime < limit && st.ctime < limit
}
