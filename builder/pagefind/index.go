// Package pagefind writes a site's search index in the on-disk format of
// Pagefind 1.6.0, so that Pagefind's own unmodified client (pagefind.js and
// its WebAssembly, embedded in client/) searches it: the same words under
// the same keys, positions, weights, metadata, filters, sort orders and
// excerpts as `pagefind --site` writes for the same HTML.
//
// An Index is fed the HTML of the built pages as they are rendered (Add,
// from many goroutines) and keeps, per page, only its compressed fragment
// and its postings, varint-coded; Write then numbers the pages, merges the
// postings word by word and writes the files through an output.Writer. An
// Index outlives a build: a page whose HTML did not change keeps its entry,
// so a rebuild reads only the pages that changed. Save and Load carry the
// entries from one process to the next (cache.go), and Tee feeds an Index
// from a site's output writer on all cores (tee.go).
//
// What this package reads from the HTML follows Pagefind's indexer
// (parse.go, digest.go, words.go); TestMatchesPagefindCLI compares the two
// on the real content, and TestClientVersion fails when the pinned npm
// package is another version than the embedded client.
package pagefind

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/output"
)

// Version is the Pagefind release whose format and client this package
// writes.
const Version = "1.6.0"

// Dir is the folder of the site the index goes in.
const Dir = "pagefind"

// The client files are Pagefind 1.6.0's, as its CLI writes them, with
// their MIT licence (client/LICENSE, which travels with the portal but
// is not published, as the CLI does not publish it); TestClientVersion
// compares them byte for byte with the pinned npm package's.
//
//go:embed client
var clientFiles embed.FS

// Client returns Pagefind's client files (pagefind.js, its worker, its
// WebAssembly per language and its UI bundles), as the CLI writes them.
func Client() fs.FS {
	sub, _ := fs.Sub(clientFiles, "client")
	return sub
}

// chunkSize is the index chunk size Pagefind 1.6 uses by default: a chunk
// of the word index ends after the word that brings its locations to this
// many. A variable, so that tests can cut a small site into many chunks.
var chunkSize = 20000

// Index holds the search entries of a site's pages. Its methods are safe
// for concurrent use.
type Index struct {
	mu    sync.Mutex
	pages map[string]*page // by URL
	gen   uint64           // the round Begin started
	words interner
	forms interner
	fast  bool // gzip fragments at the default level, not the best
	wc    wordCache
	pool  sync.Pool    // *pageWords
	gz    [3]sync.Pool // *gzip.Writer at the best, the default and the metadata's level
	// chunkGz holds the compressed chunks of the last Write by the
	// SHA-1 of their content.
	chunkGz map[[sha1.Size]byte][]byte
	last    *lastWrite // what the last Write wrote besides fragments and the client
	// dirty holds the words whose postings changed since the last Write:
	// every word of a page whose entry was replaced (old and new); a
	// Write then encodes only the chunks that hold one (writeWords).
	dirty map[uint32]bool
	// totals are those of the postings of every page in pages; nil when
	// not known (a Write then counts them).
	totals *wordTotals
	loaded chan struct{} // closed when Load is done
	src    *os.File      // the cache file the loaded entries are read from
	// loadedFrom is that file's name; changed reports a page read or
	// dropped since it was loaded or saved.
	loadedFrom string
	changed    bool
}

// lastWrite is what a Write wrote besides the fragments and the client:
// the next Write of the same pages (key) writes the same files again
// without merging the postings.
type lastWrite struct {
	key   [sha256.Size]byte
	files []written
	// layout identifies the pages' numbering and metadata fields the
	// chunks were written with (wordLayout); chunks, their words and sums.
	layout [sha256.Size]byte
	chunks []lastChunk
}

// holds returns the file name of the last Write (not a chunk) when it
// is data compressed, as Write compresses it: a file whose data did not
// change need not be compressed again. It decompresses the file to be
// sure (the name is a prefix of data's SHA-1, which two versions of a
// file could share).
func (l *lastWrite) holds(name string, data []byte) ([]byte, bool) {
	if l == nil {
		return nil, false
	}
	i, ok := slices.BinarySearchFunc(l.files, name, func(f written, n string) int { return strings.Compare(f.name, n) })
	if !ok || l.files[i].chunk {
		return nil, false
	}
	gz := l.files[i].data
	if got, err := Decompress(gz, name); err != nil || !bytes.Equal(got, data) {
		return nil, false
	}
	return gz, true
}

// lastChunk is a chunk of the last Write: its first and last word (whole,
// not cut to a prefix) and the SHA-1 of its content.
type lastChunk struct {
	first, last string
	sum         [sha1.Size]byte
}

type written struct {
	name  string
	data  []byte
	chunk bool // an index chunk, kept in chunkGz by sum
	sum   [sha1.Size]byte
}

// pagesKey identifies the pages of a Write: their URLs and HTML in order.
func pagesKey(pages []*page) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(Version))
	for _, p := range pages {
		h.Write([]byte(p.url))
		h.Write([]byte{0})
		h.Write(p.sum[:])
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// page is the entry of one indexed page.
type page struct {
	url       string
	sum       [sha256.Size]byte // of the HTML
	crc       uint64            // stable.Sum64 of the HTML, for Keep
	size      int               // of the HTML
	gen       uint64
	frag      []byte // gzip("pagefind_dcd" + JSON)
	fragHash  string // hex SHA-1 of the JSON
	language  string
	wordCount int
	filters   []filterValue
	sort      map[string]string
	fields    []string // sorted metadata field names
	post      []byte
	store     *stored // where frag and post are when they were loaded, not read
}

// Option configures an Index.
type Option func(*Index)

// FastCompression compresses fragments at gzip's default level instead of
// its best (the preview server's choice: a few per cent more bytes, half
// the time).
func FastCompression() Option { return func(x *Index) { x.fast = true } }

// New returns an empty Index.
func New(opts ...Option) *Index {
	x := &Index{pages: map[string]*page{}, totals: newWordTotals()}
	x.wc.stem = swedishStem
	x.words.init()
	x.forms.init()
	x.forms.id("") // form 0: no diacritics
	for _, o := range opts {
		o(x)
	}
	return x
}

// Begin starts a round: pages neither added nor kept since are left out
// by the next Write and then dropped.
func (x *Index) Begin() {
	x.mu.Lock()
	x.gen++
	x.mu.Unlock()
}

// PageURL is the URL Pagefind gives the page written to the site-relative
// path name: "/exempel/minimili/" for "exempel/minimili/index.html".
func PageURL(name string) string {
	if strings.HasSuffix(name, "/index.html") {
		name = strings.TrimSuffix(name, "index.html")
	} else if name == "index.html" {
		name = ""
	}
	return "/" + (&url.URL{Path: name}).EscapedPath()
}

// Indexed reports whether Pagefind indexes a page with this HTML: it marks
// a part of the page with data-pagefind-body. (Pagefind indexes every page
// when no page has one; the portal's layouts always mark the pages to
// search.)
func Indexed(html []byte) bool { return bytes.Contains(html, []byte("data-pagefind-body")) }

// Add indexes the HTML page written to the site-relative path name, or
// keeps its entry when the HTML is the same as before. It reports whether
// the page is indexed (see Indexed).
func (x *Index) Add(name string, html []byte) (bool, error) {
	if !Indexed(html) {
		return false, nil
	}
	u := PageURL(name)
	x.wait()
	sum := sha256.Sum256(html)
	x.mu.Lock()
	gen := x.gen
	if old := x.pages[u]; old != nil && old.sum == sum {
		old.gen = gen
		x.mu.Unlock()
		return true, nil
	}
	x.mu.Unlock()
	pg, err := x.read(u, html)
	if err != nil {
		return false, fmt.Errorf("%s: sökindex: %w", name, err)
	}
	if pg == nil {
		return false, nil
	}
	pg.sum, pg.gen = sum, gen
	pg.crc, pg.size = stable.Sum64(html), len(html)
	x.mu.Lock()
	old := x.pages[u]
	x.pages[u] = pg
	x.changed = true
	x.mu.Unlock()
	var oldPost []byte
	if old != nil {
		// The words of both versions get other postings.
		if oldPost, err = old.postings(); err != nil {
			x.mu.Lock()
			x.totals = nil // the old postings cannot be taken away
			x.mu.Unlock()
			return false, fmt.Errorf("%s: sökindexets cache: %w", name, err)
		}
		x.markDirty(oldPost, pg.post)
	}
	x.mu.Lock()
	if x.totals != nil {
		if old != nil {
			x.totals.add(oldPost, -1)
		}
		x.totals.add(pg.post, 1)
	}
	x.mu.Unlock()
	return true, nil
}

// markDirty notes as dirty the words whose posting differs between a
// page's old and new postings (or is in one only): an edit at the end of a
// page leaves the postings of the words before it as they were.
func (x *Index) markDirty(old, new []byte) {
	before := map[uint32]string{}
	for off := 0; off < len(old); {
		h := readHeader(old, off)
		before[h.key] = string(old[off:h.next])
		off = h.next
	}
	var keys []uint32
	for off := 0; off < len(new); {
		h := readHeader(new, off)
		if p, ok := before[h.key]; !ok || p != string(new[off:h.next]) {
			keys = append(keys, h.key)
		}
		delete(before, h.key)
		off = h.next
	}
	for k := range before {
		keys = append(keys, k)
	}
	x.mu.Lock()
	if x.dirty == nil {
		x.dirty = map[uint32]bool{}
	}
	for _, k := range keys {
		x.dirty[k] = true
	}
	x.mu.Unlock()
}

// drop takes the postings of pages, just dropped, away from the totals;
// when one cannot be read, the totals are no longer known.
func (x *Index) drop(pages []*page) {
	for _, p := range pages {
		post, err := p.postings()
		x.mu.Lock()
		if x.totals != nil {
			if err != nil {
				x.totals = nil
			} else {
				x.totals.add(post, -1)
			}
		}
		x.mu.Unlock()
	}
}

// Keep keeps the entry of the page at the site-relative path name in
// this round without its HTML, when the entry is of HTML of the given
// length and stable.Sum64: a build that knows the page is as it was
// (site's page store) need not make it again. It reports whether it did.
func (x *Index) Keep(name string, size int, crc uint64) bool {
	u := PageURL(name)
	x.wait()
	x.mu.Lock()
	defer x.mu.Unlock()
	if p := x.pages[u]; p != nil && p.size == size && p.crc == crc && size > 0 {
		p.gen = x.gen
		return true
	}
	return false
}

// stemmer returns the stemmer of a language the index supports.
func stemmer(lang string) (func(string) string, error) {
	switch strings.SplitN(lang, "-", 2)[0] {
	case "sv":
		return swedishStem, nil
	}
	return nil, fmt.Errorf("sidans språk är %q; portalens sökindex skriver bara svenska (lang=\"sv\"), bygg med -pagefind-cli för andra språk", lang)
}

// read fossicks one page.
func (x *Index) read(u string, html []byte) (*page, error) {
	p := parseHTML(html)
	if !p.hasBody {
		return nil, nil
	}
	if _, err := stemmer(p.language); err != nil {
		return nil, err
	}
	words, _ := x.pool.Get().(*pageWords)
	if words == nil {
		words = &pageWords{}
	}
	defer x.pool.Put(words)
	words.reset()
	content, anchors, wordCount := digest(p, &x.wc, words)
	fields := make([]string, 0, len(p.meta))
	for k := range p.meta {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	metaWords(fields, p.meta, &x.wc, words)

	filters := map[string][]string{}
	for _, f := range p.filters {
		filters[f.name] = append(filters[f.name], f.value)
	}
	if anchors == nil {
		anchors = []anchor{}
	}
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		URL       string              `json:"url"`
		Content   string              `json:"content"`
		WordCount int                 `json:"word_count"`
		Filters   map[string][]string `json:"filters"`
		Meta      map[string]string   `json:"meta"`
		Anchors   []anchor            `json:"anchors"`
	}{u, content, wordCount, filters, p.meta, anchors}); err != nil {
		return nil, err
	}
	data := bytes.TrimSuffix(js.Bytes(), []byte("\n"))
	h := sha1.Sum(data)
	pg := &page{url: u, fragHash: hex.EncodeToString(h[:]), language: p.language, wordCount: wordCount,
		filters: p.filters, sort: p.sort, fields: fields}
	var err error
	if pg.frag, err = x.compress(data); err != nil {
		return nil, err
	}

	// The postings, in an order of their own (Write sorts the words).
	keys := words.keys
	ids := make([][2]uint32, len(keys))
	x.words.mu.Lock()
	for i, k := range keys {
		ids[i][0] = x.words.idLocked(k.key)
	}
	x.words.mu.Unlock()
	x.forms.mu.Lock()
	for i, k := range keys {
		ids[i][1] = x.forms.idLocked(k.form)
	}
	x.forms.mu.Unlock()
	var locs, meta []int64
	post := make([]byte, 0, 16*len(keys))
	for i := range keys {
		e := &words.list[i]
		locs = packLocs(e.locs, locs[:0])
		meta = packMeta(e.meta, meta[:0])
		post = appendPosting(post, ids[i][0], ids[i][1], locs, meta)
	}
	pg.post = post
	return pg, nil
}

func (x *Index) compress(data []byte) ([]byte, error) {
	if x.fast {
		return x.gzip(1, gzip.DefaultCompression, data)
	}
	return x.gzip(0, gzip.BestCompression, data)
}

// filtersCompressed counts the filter files Write compressed (for the
// tests).
var filtersCompressed atomic.Int64

// dcdPrefix starts every index file of Pagefind's before compression.
const dcdPrefix = "pagefind_dcd"

// gzip compresses dcdPrefix and data with a pooled writer.
func (x *Index) gzip(slot, level int, data []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(data)/3 + 64)
	zw, _ := x.gz[slot].Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(&b, level); err != nil {
			return nil, err
		}
	} else {
		zw.Reset(&b)
	}
	defer x.gz[slot].Put(zw)
	zw.Write([]byte(dcdPrefix))
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// interner gives strings small ids.
type interner struct {
	mu   sync.Mutex
	ids  map[string]uint32
	strs []string
}

func (in *interner) init() { in.ids = map[string]uint32{} }

func (in *interner) reset() {
	in.mu.Lock()
	in.ids, in.strs = map[string]uint32{}, nil
	in.mu.Unlock()
}

// load replaces the strings with strs, ids by position.
func (in *interner) load(strs []string) {
	in.ids = make(map[string]uint32, len(strs))
	for i, s := range strs {
		in.ids[s] = uint32(i)
	}
	in.strs = strs
}

func (in *interner) id(s string) uint32 {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.idLocked(s)
}

func (in *interner) idLocked(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := uint32(len(in.strs))
	s = strings.Clone(s)
	in.ids[s] = id
	in.strs = append(in.strs, s)
	return id
}

// Stats describes a written index.
type Stats struct {
	Pages, Chunks, Filters int
	// Encoded counts the chunks of the word index merged and encoded
	// anew; the others are those of the last Write.
	Encoded int
	Bytes   int64 // of the files written (fragments, chunks, filters, meta, entry)
}

// Write writes the index of the pages of the current round to dir (a
// site-relative folder, normally Dir) through w, with Pagefind's client
// files, and drops the pages of earlier rounds. It must not run while
// pages are being added.
func (x *Index) Write(w output.Writer, dir string) (Stats, error) {
	x.wait()
	x.mu.Lock()
	var pages, dropped []*page
	for u, p := range x.pages {
		if p.gen != x.gen {
			delete(x.pages, u)
			x.changed = true
			dropped = append(dropped, p)
			continue
		}
		pages = append(pages, p)
	}
	x.mu.Unlock()
	x.drop(dropped)
	slices.SortFunc(pages, func(a, b *page) int { return strings.Compare(a.url, b.url) })
	var st Stats
	lang := "sv"
	for _, p := range pages {
		if p.language != pages[0].language {
			return st, fmt.Errorf("sökindex: sidorna har olika språk (%s: %q, %s: %q); portalens sökindex skriver ett språk", pages[0].url, pages[0].language, p.url, p.language)
		}
	}
	if len(pages) > 0 {
		lang = pages[0].language
	}
	wr := &counter{w: w}
	var put func(name string, data []byte) error
	put = func(name string, data []byte) error { return wr.Write(path.Join(dir, name), data) }

	// Metadata fields: the union of the pages', sorted; a page's field ids
	// map onto them in the same order.
	fieldSet := map[string]bool{}
	for _, p := range pages {
		for _, f := range p.fields {
			fieldSet[f] = true
		}
	}
	fields := make([]string, 0, len(fieldSet))
	for f := range fieldSet {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	fieldIndex := map[string]int{}
	for i, f := range fields {
		fieldIndex[f] = i
	}

	// Fragments: named by language and hash, extended on a collision.
	names := map[string]string{} // short name → full hash
	fragNames := make([]string, len(pages))
	for i, p := range pages {
		full := lang + "_" + p.fragHash
		short := full[:len(lang)+8]
		for {
			prev, taken := names[short]
			if !taken || prev == full || len(short) == len(full) {
				break
			}
			short = full[:len(short)+1]
		}
		names[short] = full
		fragNames[i] = short
	}
	// A run of pages on each core, the stored fragments read in the
	// order they are in the cache file (copied for a Writer that keeps
	// what it is given).
	runs, streams := wordRuns(len(pages)), output.Streams(w)
	if err := parallel(runs, func(r int) error {
		var win window
		for i := r * len(pages) / runs; i < (r+1)*len(pages)/runs; i++ {
			frag, err := pages[i].fragmentVia(&win)
			if err != nil {
				return fmt.Errorf("sökindexets cache: %w", err)
			}
			if !streams && pages[i].frag == nil {
				frag = bytes.Clone(frag)
			}
			if err := put("fragment/"+fragNames[i]+".pf_fragment", frag); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return st, err
	}

	// The same pages as the last Write: the same files.
	key := pagesKey(pages)
	if last := x.last; last != nil && last.key == key {
		x.mu.Lock()
		x.dirty = nil // the pages are those of the last Write
		x.mu.Unlock()
		for _, f := range last.files {
			if err := put(f.name, f.data); err != nil {
				return st, err
			}
			if f.chunk {
				st.Chunks++
			}
		}
		st.Pages, st.Bytes = len(pages), wr.bytes
		return st, x.writeClient(w, dir, lang)
	}
	var rec []written
	var recMu sync.Mutex
	fragPut := put
	put = func(name string, data []byte) error {
		recMu.Lock()
		rec = append(rec, written{name: name, data: data})
		recMu.Unlock()
		return fragPut(name, data)
	}

	// The filters and the sort orders are made while the word index is,
	// on the other core.
	var metaFilters []metaFilter
	var sorts []sortOrder
	side := make(chan error, 1)
	go func() {
		var err error
		metaFilters, err = x.writeFilters(pages, lang, put)
		sorts = sortOrders(pages)
		side <- err
	}()

	// The word index.
	chunks, encoded, err := x.writeWords(pages, fields, fieldIndex, lang, put)
	if serr := <-side; err == nil {
		err = serr
	}
	if err != nil {
		return st, err
	}

	// The metadata file.
	b := cborArray(nil, 6)
	b = cborString(b, Version)
	b = cborArray(b, len(pages))
	for i, p := range pages {
		b = cborArray(b, 3)
		b = cborString(b, fragNames[i])
		b = cborUint(b, uint64(p.wordCount))
		b = cborString(b, "")
	}
	b = cborArray(b, len(chunks))
	for _, c := range chunks {
		b = cborArray(b, 3)
		b = cborString(b, c.from)
		b = cborString(b, c.to)
		b = cborString(b, c.hash)
	}
	b = cborArray(b, len(metaFilters))
	for _, f := range metaFilters {
		b = cborArray(b, 2)
		b = cborString(b, f.name)
		b = cborString(b, f.hash)
	}
	b = cborArray(b, len(sorts))
	for _, s := range sorts {
		b = cborArray(b, 2)
		b = cborString(b, s.name)
		b = cborArray(b, len(s.pages))
		for _, n := range s.pages {
			b = cborUint(b, uint64(n))
		}
	}
	b = cborArray(b, len(fields))
	for _, f := range fields {
		b = cborString(b, f)
	}
	sum := sha1.Sum(b)
	metaHash := lang + "_" + hex.EncodeToString(sum[:])[:len(lang)+8]
	gz, err := x.compressMeta(b)
	if err != nil {
		return st, err
	}
	if err := put("pagefind."+metaHash+".pf_meta", gz); err != nil {
		return st, err
	}

	entry, _ := json.Marshal(struct {
		Version   string `json:"version"`
		Languages map[string]struct {
			Hash      string `json:"hash"`
			Wasm      string `json:"wasm"`
			PageCount int    `json:"page_count"`
		} `json:"languages"`
		IncludeCharacters []string `json:"include_characters"`
	}{Version, map[string]struct {
		Hash      string `json:"hash"`
		Wasm      string `json:"wasm"`
		PageCount int    `json:"page_count"`
	}{lang: {metaHash, lang, len(pages)}}, includeStrings()})
	if err := put("pagefind-entry.json", entry); err != nil {
		return st, err
	}
	st = Stats{Pages: len(pages), Chunks: len(chunks), Filters: len(metaFilters), Bytes: wr.bytes, Encoded: encoded}
	sums := map[string][sha1.Size]byte{}
	for _, c := range chunks {
		sums["index/"+c.hash+".pf_index"] = c.sum
	}
	for i := range rec {
		rec[i].name = strings.TrimPrefix(rec[i].name, dir+"/")
		if sum, ok := sums[rec[i].name]; ok {
			rec[i].chunk, rec[i].sum = true, sum
		}
	}
	slices.SortFunc(rec, func(a, b written) int { return strings.Compare(a.name, b.name) })
	x.mu.Lock()
	x.last, x.changed = &lastWrite{key: key, files: rec, layout: wordLayout(pages, fields)}, true
	for _, c := range chunks {
		x.last.chunks = append(x.last.chunks, lastChunk{first: c.first, last: c.last, sum: c.sum})
	}
	x.dirty = nil
	x.mu.Unlock()
	return st, x.writeClient(w, dir, lang)
}

// metaFilter is a filter as the metadata file names it.
type metaFilter struct{ name, hash string }

// writeFilters writes a filter file for each filter name the pages have
// (value → page numbers), compressed on every core or taken from the last
// Write, and returns them by name.
func (x *Index) writeFilters(pages []*page, lang string, put func(name string, data []byte) error) ([]metaFilter, error) {
	filterMap := map[string]map[string][]int{}
	for i, p := range pages {
		for _, f := range p.filters {
			m := filterMap[f.name]
			if m == nil {
				m = map[string][]int{}
				filterMap[f.name] = m
			}
			m[f.value] = append(m[f.value], i)
		}
	}
	filterNames := make([]string, 0, len(filterMap))
	for f := range filterMap {
		filterNames = append(filterNames, f)
	}
	sort.Strings(filterNames)
	var metaFilters []metaFilter
	var filterData [][]byte // each filter's file, uncompressed
	filterHashes := map[string]bool{}
	for _, name := range filterNames {
		vals := make([]string, 0, len(filterMap[name]))
		for v := range filterMap[name] {
			vals = append(vals, v)
		}
		sort.Strings(vals)
		b := cborArray(nil, 2)
		b = cborString(b, name)
		b = cborArray(b, len(vals))
		for _, v := range vals {
			ps := filterMap[name][v]
			b = cborArray(b, 2)
			b = cborString(b, v)
			b = cborArray(b, len(ps))
			for _, n := range ps {
				b = cborUint(b, uint64(n))
			}
		}
		h := shortHash(lang, b, filterHashes)
		metaFilters = append(metaFilters, metaFilter{name, h})
		filterData = append(filterData, b)
	}
	// Compressed on every core, or taken from the last Write.
	x.mu.Lock()
	before := x.last
	x.mu.Unlock()
	filterGz := make([][]byte, len(filterData))
	if err := parallel(len(filterData), func(i int) error {
		name := "filter/" + metaFilters[i].hash + ".pf_filter"
		if gz, ok := before.holds(name, filterData[i]); ok {
			filterGz[i] = gz
			return nil
		}
		filtersCompressed.Add(1)
		gz, err := x.compressIndex(filterData[i])
		filterGz[i] = gz
		return err
	}); err != nil {
		return nil, err
	}
	for i, f := range metaFilters {
		if err := put("filter/"+f.hash+".pf_filter", filterGz[i]); err != nil {
			return nil, err
		}
	}

	return metaFilters, nil
}

// sortOrder is the pages' order by one sort key.
type sortOrder struct {
	name  string
	pages []int
}

// sortOrders returns the pages' orders by each sort key: by number when
// every value is one, else by string.
func sortOrders(pages []*page) []sortOrder {
	sortKeys := map[string]bool{}
	for _, p := range pages {
		for k := range p.sort {
			sortKeys[k] = true
		}
	}
	var sortNames []string
	for k := range sortKeys {
		sortNames = append(sortNames, k)
	}
	sort.Strings(sortNames)
	var sorts []sortOrder
	for _, k := range sortNames {
		numeric := true
		type pv struct {
			v string
			f float32 // v as a number, when every value is one
			n int
		}
		var vals []pv
		for i, p := range pages {
			if v, ok := p.sort[k]; ok {
				f, ok := sortNumber(v)
				vals = append(vals, pv{v, f, i})
				numeric = numeric && ok
			}
		}
		if numeric {
			slices.SortStableFunc(vals, func(a, b pv) int {
				switch {
				case a.f < b.f:
					return -1
				case a.f > b.f:
					return 1
				}
				return 0
			})
		} else {
			slices.SortStableFunc(vals, func(a, b pv) int { return strings.Compare(a.v, b.v) })
		}
		o := sortOrder{name: k}
		for _, v := range vals {
			o.pages = append(o.pages, v.n)
		}
		sorts = append(sorts, o)
	}

	return sorts
}

// writeClient writes Pagefind's client files: the JavaScript, the UI
// bundles, the WebAssembly of unknown languages and that of lang's base
// language under lang's name ("sv-se" gets Swedish's), as the CLI does.
func (x *Index) writeClient(w output.Writer, dir, lang string) error {
	base := strings.SplitN(lang, "-", 2)[0]
	return fs.WalkDir(Client(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		out := name
		switch {
		case name == "LICENSE":
			return nil
		case name == "wasm."+base+".pagefind":
			out = "wasm." + lang + ".pagefind"
		case strings.HasPrefix(name, "wasm.") && name != "wasm.unknown.pagefind":
			return nil
		}
		data, err := fs.ReadFile(Client(), name)
		if err != nil {
			return err
		}
		return w.Write(path.Join(dir, out), data)
	})
}

func includeStrings() []string {
	out := make([]string, len(includeCharacters))
	for i, c := range includeCharacters {
		out[i] = string(c)
	}
	return out
}

// sortNumber parses a sort value as Pagefind does: an integer, else a
// floating-point number.
func sortNumber(v string) (float32, bool) {
	if n, err := strconv.ParseInt(v, 10, 32); err == nil {
		return float32(n), true
	}
	if f, err := strconv.ParseFloat(v, 32); err == nil {
		return float32(f), true
	}
	return 0, false
}

// shortHash names a file by language and hash, as short as Pagefind's
// and longer only where two would collide.
func shortHash(lang string, data []byte, taken map[string]bool) string {
	return shortName(lang, sha1.Sum(data), taken)
}

func shortName(lang string, sum [sha1.Size]byte, taken map[string]bool) string {
	full := lang + "_" + hex.EncodeToString(sum[:])
	short := full[:len(lang)+8]
	for taken[short] && len(short) < len(full) {
		short = full[:len(short)+1]
	}
	taken[short] = true
	return short
}

func (x *Index) compressIndex(data []byte) ([]byte, error) {
	return x.gzip(0, gzip.BestCompression, data)
}

// metaLevel is the gzip level of the metadata file (pf_meta), which every
// search downloads first: its fragment names and chunk hashes are random,
// and on them level 7 gives fewer bytes than the best level, in a quarter
// of the time (10,000 cases: 114,938 bytes in 16 ms against 115,431 in
// 61 ms; level 6, 115,105; level 8, 115,225).
const metaLevel = 7

// compressMeta compresses the metadata file at metaLevel.
func (x *Index) compressMeta(data []byte) ([]byte, error) {
	return x.gzip(2, metaLevel, data)
}

// compressChunk compresses a chunk of the word index: at gzip's default
// level, which on these files takes a quarter of the time of the best
// level for 1.4 % more bytes (the note of issue 22 has the figures).
func (x *Index) compressChunk(data []byte) ([]byte, error) {
	return x.gzip(1, gzip.DefaultCompression, data)
}

// counter counts the bytes written through it.
type counter struct {
	w     output.Writer
	mu    sync.Mutex
	bytes int64
}

func (c *counter) Write(name string, data []byte) error {
	c.mu.Lock()
	c.bytes += int64(len(data))
	c.mu.Unlock()
	return c.w.Write(name, data)
}

// parallel runs f(0..n-1) on all cores (par.For) and returns the first
// error; after one, the calls not yet started are skipped.
func parallel(n int, f func(i int) error) error {
	var mu sync.Mutex
	var first error
	par.For(n, func(i int) {
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			return
		}
		if err := f(i); err != nil {
			mu.Lock()
			if first == nil {
				first = err
			}
			mu.Unlock()
		}
	})
	return first
}
