package site

import (
	"bytes"
	"encoding/binary"
	"html/template"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/stable"
)

// memo keeps, between the builds of an incremental Builder, every page and
// case card with a key over everything it was made from. A build reuses a
// page whose key did not change instead of executing its layout again, so
// an edit re-renders only the pages whose data it changes.
//
// A page's key covers the layouts, the site-wide data every page can show
// (site.yaml, vocabularies, data files, glossary terms, pages, link
// targets, menus, facet counts, asset names), and every field of its Page,
// with cases by the hash of their card and documents by file hash and
// rendered body.
type memo struct {
	mu    sync.Mutex
	pages map[string]memoEntry // by output path
	cards map[string]memoCard  // by case file
	// facets holds the hash of each facet of the build being planned
	// (hashFacets), which many pages show; read-only while pages are keyed.
	facets map[*Facet]uint64
	// filters holds the hash of each case's search filters, likewise
	// (hashFilters); filtersByFile the same by case file, with the
	// case's content.Case.ResolveKey, for the next build (kept only when
	// not nil: a memo that serves one build has none).
	filters       map[*content.Case]uint64
	filtersByFile map[string]keyedHash
	// sums holds the hashes of long strings between builds.
	sums sums
}

type memoEntry struct {
	key  uint64
	data []byte
	// navKey is the job's navKey; navAt and navLen, where data holds the
	// facet overview, printed once (navAt -1: not so).
	navKey        uint64
	navAt, navLen int
	// nav, when not nil, is a newer facet overview than data's: the page
	// is data with *nav in place of data[navAt:navAt+navLen]. A page
	// whose overview alone changed is kept so, not copied, and made only
	// when read (bytes), unless it is indexed for search
	// (pagefind.Indexed): the preview's search index reads the pages
	// written, not those made when read.
	nav     *string
	indexed bool
}

// navSpan returns where data holds the facet overview nav, printed once,
// as memoEntry keeps it: -1 when nav is empty or not printed exactly once.
func navSpan(data []byte, nav string) (at, n int) {
	if nav == "" {
		return -1, 0
	}
	at = bytes.Index(data, []byte(nav))
	if at < 0 || bytes.Contains(data[at+1:], []byte(nav)) {
		return -1, 0
	}
	return at, len(nav)
}

// bytes returns e's page.
func (e memoEntry) bytes() []byte {
	if e.nav == nil {
		return e.data
	}
	nav := *e.nav
	out := make([]byte, 0, len(e.data)-e.navLen+len(nav))
	out = append(out, e.data[:e.navAt]...)
	out = append(out, nav...)
	return append(out, e.data[e.navAt+e.navLen:]...)
}

type memoCard struct {
	key  uint64
	html template.HTML
}

func newMemo() *memo {
	return &memo{pages: map[string]memoEntry{}, cards: map[string]memoCard{}}
}

// keyer builds a key from strings and numbers: it gathers them in a
// buffer and hashes that once (sum), which costs a fraction of feeding a
// hash the hundred short pieces of a page one by one. Keys are the same
// in every process (stable.Sum64), so they can be kept between builds
// (the search terms' store, searchStore).
type keyer struct {
	buf  []byte
	sums *sums
}

// keyers keeps keyers with their buffers for the next key.
var keyers = sync.Pool{New: func() any { return &keyer{buf: make([]byte, 0, 1024)} }}

// sum returns the key. k must not be used after it.
func (k *keyer) sum() uint64 {
	h := stable.Sum64(k.buf)
	if cap(k.buf) <= 64<<10 {
		k.buf, k.sums = k.buf[:0], nil
		keyers.Put(k)
	}
	return h
}

func (k *keyer) str(ss ...string) {
	for _, s := range ss {
		k.num(uint64(len(s)))
		if len(s) > longString {
			// Hashed on its own, once (sums): not at all when it is
			// the last build's string.
			k.num(k.sums.of(s))
		} else {
			k.buf = append(k.buf, s...)
		}
	}
}

// longString is the length from which keyer and the other keys hash a
// string on its own (a page's body, a card, the facet overview).
const longString = 256

// sums keeps the hash (stable.String) of each long string
// it was asked for, by the string's address and length. The caches hand a
// build the same strings as the last one for what did not change (a
// body, a card, a page's search terms), and those are not hashed again.
//
// This is sound because a string's bytes never change, and a key holds
// the address, which keeps the bytes alive: while it is a key, no other
// string can have it. Safe for concurrent use (the strings are spread
// over shards, each with its own lock, so the cores seldom wait for each
// other); a nil *sums hashes every time.
type sums struct {
	shards [sumShards]sumShard
}

const sumShards = 64

type sumShard struct {
	mu     sync.Mutex
	m      map[sumKey]uint64
	lookup int // since the last trim
	_      [40]byte
}

type sumKey struct {
	p *byte
	n int
}

// of returns stable.String(s).
func (m *sums) of(s string) uint64 {
	if m == nil {
		return stable.String(s)
	}
	k := sumKey{unsafe.StringData(s), len(s)}
	sh := &m.shards[(uint64(uintptr(unsafe.Pointer(k.p)))*0x9E3779B97F4A7C15)>>58]
	sh.mu.Lock()
	sh.lookup++
	h, ok := sh.m[k]
	sh.mu.Unlock()
	if ok {
		return h
	}
	h = stable.String(s)
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = map[sumKey]uint64{}
	}
	sh.m[k] = h
	sh.mu.Unlock()
	return h
}

// len reports the number of strings kept.
func (m *sums) len() int {
	n := 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

// trim forgets every string once there are many more than were looked up
// since the last trim (one build's worth), so that the strings of edits
// long gone are not kept alive. Called between builds.
func (m *sums) trim() {
	n, lookup := 0, 0
	for i := range m.shards {
		sh := &m.shards[i]
		sh.mu.Lock()
		n, lookup = n+len(sh.m), lookup+sh.lookup
		sh.lookup = 0
		sh.mu.Unlock()
	}
	if n > 2*lookup+4096 {
		for i := range m.shards {
			sh := &m.shards[i]
			sh.mu.Lock()
			clear(sh.m)
			sh.mu.Unlock()
		}
	}
}

func (k *keyer) num(xs ...uint64) {
	for _, x := range xs {
		k.buf = binary.LittleEndian.AppendUint64(k.buf, x)
	}
}

func (k *keyer) flag(v bool) {
	if v {
		k.num(1)
	} else {
		k.num(0)
	}
}

// facet adds a facet with its values and their counts.
func (k *keyer) facet(f *Facet) {
	k.facetName(f)
	for _, v := range f.Values {
		k.value(v)
	}
}

// facetName adds what facetRef allows of a facet: its names and
// whether it has an index page (its address is its key's).
func (k *keyer) facetName(f *Facet) {
	k.str(f.Key, f.Name, f.Plural, f.Intro)
	k.flag(f.HasIndex())
}

// value adds a facet value and its count.
func (k *keyer) value(v *FacetValue) {
	k.str(v.Slug, v.Label, v.Description, v.URL, v.Group)
	k.num(uint64(len(v.Cases)))
}

func (m *memo) keyer() *keyer {
	k := keyers.Get().(*keyer)
	k.sums = &m.sums
	return k
}

// cardKey is the key of a case's card: its file, what its front matter
// is resolved against (FrontContext: the data files, the glossary, the
// cases' slugs and drafts, and the year, which dates a status as stale)
// and the layouts.
func (m *memo) cardKey(c *content.Case, s *content.Site, tpl *templates) uint64 {
	k := m.keyer()
	k.num(c.Hash, s.FrontContext(), tpl.hash)
	return k.sum()
}

// siteKey covers what any page may show besides its own Page fields,
// except the facets (see facetKey).
// sig is the site's siteSignature (link targets and glossary).
func (m *memo) siteKey(s *content.Site, sd *SiteData, tpl *templates, sig uint64) uint64 {
	k := m.keyer()
	k.num(tpl.hash, s.DataHash, sig)
	k.str(sd.Title, sd.Description, sd.BaseURL, sd.CSS)
	for _, it := range sd.Menu {
		k.str(it.Title, it.URL)
	}
	for _, it := range sd.Footer {
		k.str(it.Title, it.URL)
	}
	names := make([]string, 0, len(sd.Scripts))
	for n := range sd.Scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		k.str(n, sd.Scripts[n])
	}
	k.num(uint64(sd.CaseCount), uint64(sd.TermCount), uint64(sd.ModelCount), uint64(sd.KommunCount))
	k.flag(sd.Drafts)
	for _, t := range s.Terms {
		k.num(t.Hash)
	}
	for _, p := range s.Pages {
		k.num(p.Hash)
	}
	return k.sum()
}

// facetKey extends site with .Site.Facets and .Site.FacetNav, for the
// layouts that show them (templates.facets).
func (m *memo) facetKey(site uint64, sd *SiteData) uint64 {
	k := m.keyer()
	k.num(site)
	k.str(string(sd.FacetNav))
	for _, f := range sd.Facets {
		k.facet(f)
	}
	return k.sum()
}

// hashFacets hashes each facet of fs once for the pages' keys.
func (m *memo) hashFacets(fs []*Facet) {
	m.facets = make(map[*Facet]uint64, len(fs))
	for _, f := range fs {
		m.facets[f] = m.hashFacet(f)
	}
}

// hashFilters hashes the search filters of each case once, for the
// pages' keys and search terms; a case that resolves as it did in the
// last build (content.Case.ResolveKey) keeps that build's hash.
func (m *memo) hashFilters(cs []*content.Case) {
	hs, next := hashCases(cs, m.filtersByFile, m.hashFilter)
	m.filters = make(map[*content.Case]uint64, len(cs))
	for i, c := range cs {
		m.filters[c] = hs[i]
	}
	if next != nil {
		m.filtersByFile = next
	}
}

// filterHash returns the hash of c's search filters (eachFilter).
func (m *memo) filterHash(c *content.Case) uint64 {
	if h, ok := m.filters[c]; ok {
		return h
	}
	return m.hashFilter(c)
}

// filtersHashed counts the cases whose filters hashFilter hashed (for the
// tests).
var filtersHashed atomic.Int64

func (m *memo) hashFilter(c *content.Case) uint64 {
	filtersHashed.Add(1)
	k := m.keyer()
	eachFilter(c, func(key, value string) { k.str(key, value) })
	return k.sum()
}

// facetHash returns the hash of f with its values and their counts.
func (m *memo) facetHash(f *Facet) uint64 {
	if h, ok := m.facets[f]; ok {
		return h
	}
	return m.hashFacet(f)
}

func (m *memo) hashFacet(f *Facet) uint64 {
	k := m.keyer()
	k.facet(f)
	return k.sum()
}

// pageKey covers every field of p; site is siteKey (or facetKey) and card
// gives the hash of a case's card.
// With shallowFacet (templates.shallowFacet) the page's Facet counts
// only by its names.
func (m *memo) pageKey(site uint64, path, layout string, p *Page, card func(*content.Case) uint64, shallowFacet bool) uint64 {
	k := m.keyer()
	k.num(site)
	k.str(path, layout, p.Title, p.Description, p.Path, p.Canonical, p.Feed, p.FeedTitle, string(p.Body), p.TitleTerms, p.SearchTerms)
	k.flag(p.Indexed)
	k.flag(p.Draft)
	for _, c := range p.Crumbs {
		k.str(c.Title, c.URL)
	}
	docs := []*content.Doc{p.Doc}
	if p.Case != nil {
		docs = append(docs, &p.Case.Doc)
	}
	if p.Term != nil {
		docs = append(docs, &p.Term.Doc)
	}
	for _, d := range docs {
		if d != nil {
			k.str(d.File)
			k.num(d.Hash)
		}
	}
	cases := func(cs []*content.Case) {
		k.num(uint64(len(cs)))
		for _, c := range cs {
			k.num(card(c))
		}
	}
	cases(p.Cases)
	cases(p.Related)
	cases(p.Latest)
	cases(p.UsedBy)
	cases(p.Mentions)
	k.num(uint64(p.UsedByCount))
	slugs := make([]string, 0, len(p.ModelCases))
	for s := range p.ModelCases {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	for _, s := range slugs {
		k.str(s)
		cases(p.ModelCases[s])
	}
	for _, l := range p.Backlinks {
		k.num(l.keyHash()) // title, URL, summary, kind
	}
	if p.Case != nil {
		k.num(m.filterHash(p.Case))
	}
	for _, t := range p.Models {
		k.num(t.Hash)
	}
	for _, t := range p.Concepts {
		k.num(t.Hash)
	}
	switch {
	case p.Facet != nil && shallowFacet:
		k.str("facet name")
		k.facetName(p.Facet)
	case p.Facet != nil:
		k.str("facet")
		k.num(m.facetHash(p.Facet))
	}
	for _, g := range p.LanGroups {
		k.str(g.URL, g.Lan.Name)
		k.num(uint64(g.Count))
		for _, v := range g.Kommuner {
			k.value(v)
		}
	}
	if p.Value != nil {
		k.str("value")
		k.value(p.Value)
	}
	for _, v := range p.Kommuner {
		k.value(v)
	}
	if pg := p.Pager; pg != nil {
		k.num(uint64(pg.Number), uint64(pg.Total), uint64(pg.First), uint64(pg.Last), uint64(pg.Count))
		k.str(pg.Prev, pg.Next)
	}
	k.str(p.Order)
	for _, o := range p.Orders {
		k.str(o.Label, o.URL)
		k.flag(o.Current)
	}
	// The register's own fields are in siteKey (DataHash: kallor.yaml);
	// what cites a source is keyed here (its cases are the page's Cases).
	if d := p.Source; d != nil {
		k.str("source", d.ID)
		cases(d.Cases)
		for _, t := range d.Terms {
			k.num(t.Hash)
		}
	}
	for _, d := range p.Sources {
		k.str(d.ID)
		k.num(uint64(len(d.Cases)), uint64(len(d.Terms)))
	}
	if d := p.Data; d != nil {
		k.str("data", d.License, d.LicenseURL, d.Publisher)
		for _, f := range d.Files {
			k.str(f.Name, f.Title, f.Format, f.Size, f.Description)
		}
		for _, c := range d.Columns {
			k.str(c.Key, c.Header, c.Help)
		}
		k.num(uint64(d.Cases), uint64(d.Terms), uint64(d.Sources))
		k.flag(d.Catalog)
	}
	if l := p.Locator; l != nil {
		k.str("locator", l.Title)
		k.num(math.Float64bits(l.Width), math.Float64bits(l.Height)) // ViewBox
		k.str(l.Marks...)
		for _, d := range l.Dots {
			k.str(d.X, d.Y)
		}
	}
	k.caseMap(p.CaseMap)
	if o := p.Overview; o != nil {
		k.str("overview")
		k.num(uint64(o.Swedish))
		for _, c := range o.International {
			k.str(c.Slug, c.Title)
		}
		for _, c := range o.Charts {
			k.str(c.ID, c.Title, c.Desc, c.Head, string(c.SVG))
			for _, r := range c.Rows {
				k.str(r.Label, r.URL)
				k.num(uint64(r.Value))
			}
		}
		k.caseMap(o.Map)
	}
	// Letters derive from the terms in siteKey.
	return k.sum()
}

// caseMap adds a map of cases to the key.
func (k *keyer) caseMap(m *CaseMap) {
	if m == nil {
		return
	}
	k.str("map", m.Source, m.Kind, m.ViewBox())
	for _, a := range m.Areas {
		k.str(a.Name, a.Path, a.URL)
		k.num(uint64(a.Count), uint64(a.Class))
	}
	for _, a := range m.Outline {
		k.str(a.Code, a.Path)
	}
	for _, c := range m.Classes {
		k.str(c.Label)
	}
}
