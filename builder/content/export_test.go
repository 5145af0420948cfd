package content

import (
	"fmt"
	"reflect"
	"slices"
	"time"
	"unsafe"
)

// Test hooks for the external test package (content_test), which can use
// builder/corpus without an import cycle.

// FastYAML is fastYAML.
var FastYAML = fastYAML

// FrontMatter returns the front matter of a document file, as parseRaw
// splits it.
func FrontMatter(file string, raw []byte) ([]byte, error) {
	fm, _, _, _, err := splitFile(file, raw)
	return fm, err
}

// DiffNodes is diffNodes.
var DiffNodes = diffNodes

// DiffFields is diffFields.
var DiffFields = diffFields

// ListReads counts the listings of the document folders.
var ListReads = &listReads

// DocReads counts the document files read.
var DocReads = &docReads

// SetSettleTime sets how long after its last change a file's stamp is
// trusted, and returns a function that puts it back.
func SetSettleTime(d time.Duration) (restore func()) {
	old := settleTime
	settleTime = d
	return func() { settleTime = old }
}

// CacheLen returns the number of entries in c.
func CacheLen(c *Cache) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// CaseFieldsKept returns the number of cases c keeps parsed fields of
// (Cache.put keeps their text alone), and of those it keeps.
func CaseFieldsKept(c *Cache) (parsed, cases int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.m {
		if _, ok := e.doc.(*Case); ok {
			cases++
			if e.fm.f != nil {
				parsed++
			}
		}
	}
	return parsed, cases
}

// DiffCaches returns the first difference between the entries that a
// keeps between processes and those of b ("": none), and how many it
// compared.
func DiffCaches(a, b *Cache) (string, int) {
	n := 0
	for f, ea := range a.m {
		if !keepable(&ea) {
			continue
		}
		n++
		eb, ok := b.m[f]
		if !ok {
			return f + ": missing", n
		}
		// The error list a parse's fields report to is the parse's own; a
		// load sets it when it resolves.
		var fa, fb fields
		if ea.fm.f != nil {
			fa = *ea.fm.f
		}
		if eb.fm.f != nil {
			fb = *eb.fm.f
		}
		fa.errs, fb.errs = nil, nil
		switch {
		case ea.hash != eb.hash, ea.stamp != eb.stamp, ea.drafts != eb.drafts, ea.draft != eb.draft:
			return fmt.Sprintf("%s: entry %+v, read back %+v", f, ea, eb), n
		case !reflect.DeepEqual(ea.doc, eb.doc):
			return fmt.Sprintf("%s: document\n%#v\nread back\n%#v", f, ea.doc, eb.doc), n
		case !reflect.DeepEqual(fa, fb):
			return fmt.Sprintf("%s: front matter\n%#v\nread back\n%#v", f, fa, fb), n
		}
	}
	return "", n
}

// ResolvedFromMemo counts the cases resolved from the cache's memo of the
// last load (resolveMemo).
var ResolvedFromMemo = &resolvedFromMemo

// CachedCaseRuns returns how many cases c keeps and in how many runs of
// adjacent array elements they lie (1: all in one array).
func CachedCaseRuns(c *Cache) (cases, runs int) {
	c.mu.RLock()
	var addrs []uintptr
	for _, e := range c.m {
		if cs, ok := e.doc.(*Case); ok {
			addrs = append(addrs, uintptr(unsafe.Pointer(cs)))
		}
	}
	c.mu.RUnlock()
	slices.Sort(addrs)
	for i, a := range addrs {
		if i == 0 || a-addrs[i-1] != unsafe.Sizeof(Case{}) {
			runs++
		}
	}
	return len(addrs), runs
}
