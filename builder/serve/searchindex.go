package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/pagefind"
)

// The preview keeps its search index current without indexing the whole
// site after each save. At start, and when many pages have changed, it
// indexes every page (the base). After an edit it indexes only the pages
// whose HTML differs from the base into a second, small index under
// OverlayDir, and lists in ReplacedFile the base's entries for those
// pages; the search page merges the two (Pagefind's mergeIndex) and leaves
// the replaced entries out.
const (
	// OverlayDir holds the index of the pages changed since the base.
	OverlayDir = "pagefind/andrat/"
	// ReplacedFile tells the search page what to merge and leave out:
	// {"ersatta": [the base index's result ids of the pages changed or
	// removed since], "andrat": whether OverlayDir holds an index}. Only
	// the preview serves it.
	ReplacedFile = "pagefind/ersatta.json"
)

// overlayLimit is the most changed pages an overlay takes for a base of
// n pages.
func overlayLimit(n int) int { return min(maxOverlay, max(10, n/10)) }

// pageSeed keys the hashes that tell the preview which pages changed
// (they never leave the process).
var pageSeed = maphash.MakeSeed()

// maxOverlay is the most changed pages the overlay takes; beyond it (or a
// tenth of the indexed pages) the whole site is indexed again.
const maxOverlay = 200

// searchIndex is the index the preview serves.
type searchIndex struct {
	files *output.Memory // pagefind/…, and the overlay and ReplacedFile when there is one
	base  *output.Memory // pagefind/… of the base alone
	// pages is the hash of each indexed page of the base (its name in the
	// site → maphash of its HTML), ids its Pagefind result id by URL.
	pages map[string]uint64
	ids   map[string]string
	// hashes remembers the pages' hashes from build to build.
	hashes *hashMemo
}

// indexedPages returns the HTML pages of m that Pagefind indexes (those
// with data-pagefind-body) and their hashes.
func indexedPages(m *output.Memory, hm *hashMemo) map[string]uint64 {
	out := make(map[string]uint64, hm.len())
	m.Each(func(name string, b []byte) {
		if !strings.HasSuffix(name, ".html") {
			return
		}
		if sum, indexed := hm.hash(name, b); indexed {
			out[name] = sum
		}
	})
	return out
}

// htmlPages returns the HTML pages of m, less those made only when read
// (output.LaterWriter: the open data's page, whose layout has no
// data-pagefind-body), which indexing must not make.
func htmlPages(m *output.Memory) []string {
	var out []string
	for _, name := range m.Names() {
		if strings.HasSuffix(name, ".html") && !m.Later(name) {
			out = append(out, name)
		}
	}
	return out
}

// hashMemo remembers the hash of each page's HTML with the HTML itself:
// a build reuses the bytes of the pages it did not render again, so only
// new bytes are hashed.
type hashMemo struct {
	mu sync.Mutex
	m  map[string]hashed
}

type hashed struct {
	data    []byte
	sum     uint64
	indexed bool
}

// len is the number of pages hm remembers.
func (hm *hashMemo) len() int {
	hm.mu.Lock()
	defer hm.mu.Unlock()
	return len(hm.m)
}

// hash returns the hash of the page name with the HTML b and whether
// Pagefind indexes it.
func (hm *hashMemo) hash(name string, b []byte) (uint64, bool) {
	hm.mu.Lock()
	defer hm.mu.Unlock()
	return hm.hashLocked(name, b)
}

// hashLocked is hash, with hm.mu held.
func (hm *hashMemo) hashLocked(name string, b []byte) (uint64, bool) {
	if h, ok := hm.m[name]; ok && h.same(b) {
		return h.sum, h.indexed
	}
	h := hashed{data: b}
	h.fill()
	hm.m[name] = h
	return h.sum, h.indexed
}

// same reports whether b is the very HTML h was made from (pages are never
// changed in place: new HTML is a new slice).
func (h hashed) same(b []byte) bool {
	return len(h.data) == len(b) && (len(b) == 0 || &h.data[0] == &b[0])
}

// fill sets whether Pagefind indexes h's HTML, and its hash if so.
func (h *hashed) fill() {
	h.indexed = pagefind.Indexed(h.data)
	if h.indexed {
		h.sum = maphash.Bytes(pageSeed, h.data)
	}
}

// changedSince lists the indexed pages of m that are new or differ from
// base, and the pages of base that m no longer has or indexes, each
// sorted: in one pass over m, without a map of every page, since the
// preview does it after each edit.
func changedSince(base map[string]uint64, m *output.Memory, hm *hashMemo) (changed, removed []string) {
	kept := 0 // pages of base that m has and indexes
	// see classifies a page by its hash.
	see := func(name string, sum uint64, indexed bool) {
		if !indexed {
			return
		}
		if bh, ok := base[name]; ok {
			kept++
			if bh == sum {
				return
			}
		}
		changed = append(changed, name)
	}
	// Pages hm knows are classified at once; the others (every page a
	// build made again) are looked at and hashed on every core.
	type page struct {
		name string
		h    hashed
	}
	var fresh []page
	hm.mu.Lock()
	m.Each(func(name string, b []byte) {
		if !strings.HasSuffix(name, ".html") {
			return
		}
		if h, ok := hm.m[name]; ok && h.same(b) {
			see(name, h.sum, h.indexed)
			return
		}
		fresh = append(fresh, page{name, hashed{data: b}})
	})
	par.For(len(fresh), func(i int) { fresh[i].h.fill() })
	for _, p := range fresh {
		hm.m[p.name] = p.h
		see(p.name, p.h.sum, p.h.indexed)
	}
	hm.mu.Unlock()
	if kept < len(base) {
		for name := range base {
			if !m.Later(name) {
				if b, ok := m.Get(name); ok {
					if _, indexed := hm.hash(name, b); indexed {
						continue
					}
				}
			}
			removed = append(removed, name)
		}
	}
	sort.Strings(changed)
	sort.Strings(removed)
	return changed, removed
}

// fragmentIDs maps each page URL of a Pagefind index to its result id
// (the name of its fragment file: "sv_2a4d11e").
func fragmentIDs(idx *output.Memory) (map[string]string, error) {
	ids := map[string]string{}
	for _, name := range idx.Names() {
		if !strings.HasPrefix(name, "pagefind/fragment/") || strings.HasPrefix(name, OverlayDir) {
			continue
		}
		b, _ := idx.Get(name)
		data, err := pagefind.Decompress(b, name)
		if err != nil {
			return nil, err
		}
		var frag struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(data, &frag); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ids[frag.URL] = strings.TrimSuffix(strings.TrimPrefix(name, "pagefind/fragment/"), ".pf_fragment")
	}
	return ids, nil
}

// updateIndex returns the index of m: the base with an overlay of the
// pages changed since it, or a new base when there is no base yet or
// too much has changed. stale reports that a newer build has come; then
// it returns nil.
func updateIndex(cur *searchIndex, m *output.Memory, root string, index indexFunc, stale func() bool) (*searchIndex, error) {
	hm := &hashMemo{m: map[string]hashed{}}
	if cur != nil {
		hm = cur.hashes
	}
	if cur != nil && cur.pages != nil {
		changed, removed := changedSince(cur.pages, m, hm)
		if len(changed)+len(removed) <= overlayLimit(len(cur.pages)) {
			return overlayIndex(cur, m, changed, removed, root, index, stale)
		}
	}
	now := indexedPages(m, hm)
	files, err := buildIndex(m, nil, root, index, stale)
	if files == nil || err != nil {
		return nil, err
	}
	ids, err := fragmentIDs(files)
	if err != nil {
		return nil, err
	}
	return &searchIndex{files: files, base: files.Clone(), pages: now, ids: ids, hashes: hm}, nil
}

// overlayIndex is cur's base with the changed pages of m indexed apart.
func overlayIndex(cur *searchIndex, m *output.Memory, changed, removed []string, root string, index indexFunc, stale func() bool) (*searchIndex, error) {
	files := cur.base.Clone()
	next := &searchIndex{files: files, base: cur.base, pages: cur.pages, ids: cur.ids, hashes: cur.hashes}
	if len(changed)+len(removed) == 0 {
		return next, nil
	}
	replaced := []string{}
	for _, name := range append(append([]string(nil), changed...), removed...) {
		if id, ok := cur.ids[pagefind.PageURL(name)]; ok {
			replaced = append(replaced, id)
		}
	}
	sort.Strings(replaced)
	if len(changed) > 0 {
		over, err := buildIndex(m, changed, root, index, stale)
		if over == nil || err != nil {
			return nil, err
		}
		for _, name := range over.Names() {
			b, _ := over.Get(name)
			files.Write(OverlayDir+strings.TrimPrefix(name, "pagefind/"), b)
		}
	}
	list, _ := json.Marshal(struct {
		Replaced []string `json:"ersatta"`
		Overlay  bool     `json:"andrat"`
	}{replaced, len(changed) > 0})
	files.Write(ReplacedFile, list)
	return next, nil
}

// indexFunc indexes the site written to dir (Options.Index); nil: the
// portal's own indexer, in memory (builtinIndex).
type indexFunc func(dir, root string, log io.Writer) error

// builtinIndex indexes the HTML pages of m (only those named in pages,
// when it is not nil) with the portal's own indexer, without a folder.
func builtinIndex(m *output.Memory, pages []string, stale func() bool) (*output.Memory, error) {
	if pages == nil {
		pages = htmlPages(m)
	}
	x := pagefind.New(pagefind.FastCompression())
	x.Begin()
	errs := make([]error, len(pages))
	par.For(len(pages), func(i int) {
		if !stale() {
			b, _ := m.Get(pages[i])
			_, errs[i] = x.Add(pages[i], b)
		}
	})
	if stale() {
		return nil, nil
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	idx := output.NewMemory()
	_, err := x.Write(idx, pagefind.Dir)
	return idx, err
}

// buildIndex writes the HTML pages of m (only those named in pages, when
// it is not nil) to a temporary folder, indexes them with index and
// returns the files of pagefind/. It returns nil, nil when stale reports
// that a newer build has come.
func buildIndex(m *output.Memory, pages []string, root string, index indexFunc, stale func() bool) (*output.Memory, error) {
	if index == nil {
		return builtinIndex(m, pages, stale)
	}
	dir, err := os.MkdirTemp("", "exempelbanken-sok-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	names := pages
	if names == nil {
		names = htmlPages(m)
	}
	for _, name := range names {
		b, _ := m.Get(name)
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return nil, err
		}
		if stale() {
			return nil, nil
		}
	}
	var log bytes.Buffer
	if err := index(dir, root, &log); err != nil {
		return nil, fmt.Errorf("%v %s", err, log.String())
	}
	idx := output.NewMemory()
	base := filepath.Join(dir, "pagefind")
	err = filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return idx.Write(filepath.ToSlash(rel), b)
	})
	return idx, err
}
