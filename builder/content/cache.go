package content

import (
	"sync"

	"github.com/exempelbanken/portal/builder/diag"
)

// Cache keeps parsed documents between loads, keyed by file and content
// hash, so the preview server re-parses only files that changed. The zero
// value is not usable; call NewCache. A nil *Cache disables caching.
type Cache struct {
	mu sync.Mutex
	m  map[string]cacheEntry
}

type cacheEntry struct {
	hash   uint64
	drafts bool
	draft  string
	doc    any
	fields *fields
	errs   *diag.List
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]cacheEntry{}} }

func (c *Cache) get(file string, hash uint64, drafts bool) *cacheEntry {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[file]
	if !ok || e.hash != hash || e.drafts != drafts {
		return nil
	}
	return &e
}

func (c *Cache) put(file string, hash uint64, drafts bool, doc any, f *fields, errs *diag.List, draft string) {
	if c == nil {
		return
	}
	snap := &diag.List{}
	snap.Merge(errs)
	c.mu.Lock()
	c.m[file] = cacheEntry{hash: hash, drafts: drafts, doc: cloneDoc(doc), fields: f, errs: snap, draft: draft}
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
