package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/sv"
)

// SiteData is what every page knows about the site.
type SiteData struct {
	Title       string
	Description string
	BaseURL     string
	Menu        []content.MenuItem
	CSS         string
	Scripts     map[string]string // assets/js file name → fingerprinted URL
	FacetNav    template.HTML     // the facet overview, rendered once per build
	Facets      []*Facet
	Footer      []content.MenuItem
	CaseCount   int
	TermCount   int
	ModelCount  int
	KommunCount int
	Drafts      bool
}

// Crumb is a breadcrumb.
type Crumb struct {
	Title string
	URL   string
}

// Page is the data every layout receives.
type Page struct {
	Site        *SiteData
	Layout      string
	Title       string
	Description string
	Path        string // URL path of this page
	Canonical   string // absolute URL when baseURL is known
	Crumbs      []Crumb
	Body        template.HTML
	Indexed     bool // the main content is indexed for search
	// TitleTerms and SearchTerms are the extra words the search index
	// holds for an indexed page, space-separated: the parts of its
	// compounds and its synonyms (search.Expander), those of the title
	// apart, to weigh as much as the title. Searched, never shown.
	TitleTerms, SearchTerms string

	// Feed is the URL path of the Atom feed of the list the page shows
	// (feeds.go), linked in its <head>, and FeedTitle that feed's title;
	// both empty for pages without one.
	Feed, FeedTitle string

	Case        *content.Case
	Term        *content.Term
	Doc         *content.Doc
	Draft       bool
	Cases       []*content.Case
	Related     []*content.Case
	Backlinks   []*link
	Models      []*content.Term // investment models (compare page, home)
	Facet       *Facet
	Value       *FacetValue
	LanGroups   []*LanGroup
	Kommuner    []*FacetValue // kommuner of a län page
	Letters     []Letter
	Concepts    []*content.Term
	Latest      []*content.Case
	UsedBy      []*content.Case // cases using a model, at most PageSize
	UsedByCount int             // all cases using the model
	Mentions    []*content.Case // cases mentioning a term

	ModelCases map[string][]*content.Case // compare page: model slug → cases
	Pager      *Pager                     // list pages with more than PageSize cases

	Orders []OrderLink // the orders of the list of all cases
	Order  string      // this list's order ("startår")

	Sources []*content.SourceDoc // the source register (/kallor/)
	Source  *content.SourceDoc   // one source's page

	Data *DataPage // the open data's page (/data/)

	Overview *Overview // /oversikt/
	CaseMap  *CaseMap  // the home page's map of cases per län
	Locator  *Locator  // a small map with this page's place marked
}

// CaseTotal is the number of cases in the page's list: on one page of a
// longer list (Pager), all of them, not only this page's.
func (p *Page) CaseTotal() int {
	if p.Pager != nil {
		return p.Pager.Count
	}
	return len(p.Cases)
}

// OrderLink links one order of the list of all cases.
type OrderLink struct {
	Label, URL string
	Current    bool
}

// PageSize is the number of cases on one page of a list.
const PageSize = 50

// Pager describes one page of a paginated list.
type Pager struct {
	Number, Total int
	First, Last   int // 1-based positions of the first and last case shown
	Count         int // cases in the whole list
	Prev, Next    string
	base          string // the list's first page ("/exempel/")
}

// Pages lists the page links the pager shows (pagerLinks). They are made
// when a layout asks: a preview plans thousands of list pages and renders
// the few whose cases changed.
func (p *Pager) Pages() []PagerLink { return pagerLinks(p.base, p.Number, p.Total) }

// PagerLink is a link to one page of a list, or a gap (…) between two
// runs of links.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// pagerWindow is how many pages on each side of the current one the pager
// links to, besides the first and the last page.
const pagerWindow = 2

// pagerLinks lists the page links of page n of total: the first and last
// page, n and pagerWindow pages on each side, with a gap wherever pages are
// left out (a gap of one page shows that page instead). The list has at
// most 2*pagerWindow+5 entries, so a list of 100,000 cases does not give
// every one of its 2,000 pages 2,000 links.
func pagerLinks(base string, n, total int) []PagerLink {
	var out []PagerLink
	last := 0
	add := func(i int) {
		if i < 1 || i > total || i <= last {
			return
		}
		if i == last+2 {
			out = append(out, PagerLink{Number: last + 1, URL: pageURL(base, last+1)})
		} else if i > last+2 {
			out = append(out, PagerLink{Gap: true})
		}
		out = append(out, PagerLink{Number: i, URL: pageURL(base, i), Current: i == n})
		last = i
	}
	add(1)
	for i := n - pagerWindow; i <= n+pagerWindow; i++ {
		add(i)
	}
	add(total)
	return out
}

// pageURL returns the URL of page n of the list at base ("/exempel/").
func pageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "sida/" + strconv.Itoa(n) + "/"
}

// paginate splits cases into pages of PageSize; each page gets its slice
// and, when there is more than one page, a Pager.
func paginate(base string, cases []*content.Case, emit func(path string, cs []*content.Case, p *Pager)) {
	total := (len(cases) + PageSize - 1) / PageSize
	if total <= 1 {
		emit(base, cases, nil)
		return
	}
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*PageSize, min(n*PageSize, len(cases))
		p := &Pager{Number: n, Total: total, First: lo + 1, Last: hi, Count: len(cases), base: base}
		if n > 1 {
			p.Prev = pageURL(base, n-1)
		}
		if n < total {
			p.Next = pageURL(base, n+1)
		}
		emit(pageURL(base, n), cases[lo:hi], p)
	}
}

// Filter is a search filter value of a page (data-pagefind-filter).
type Filter struct {
	Key   string
	Value string
}

// Letter is one letter of the glossary's A–Ö navigation.
type Letter struct {
	Letter string
	ID     string
	Terms  []*content.Term
}

// layoutTimes, when set (by benchmarks and tests), sums template time per
// layout and lists the pages rendered.
var layoutTimes *timeSums

type timeSums struct {
	mu    sync.Mutex
	m     map[string]time.Duration
	n     map[string]int
	paths []string
}

func newTimeSums() *timeSums {
	return &timeSums{m: map[string]time.Duration{}, n: map[string]int{}}
}

func (t *timeSums) add(layout, path string, d time.Duration) {
	t.mu.Lock()
	t.m[layout] += d
	t.n[layout]++
	t.paths = append(t.paths, path)
	t.mu.Unlock()
}

// cardsRendered counts the cards renderCards rendered (for the tests).
var cardsRendered atomic.Int64

// renderCards renders the card of every case in parallel; an incremental
// Builder reuses the cards of cases whose inputs did not change, and a
// one-off build those of earlier processes (cardStore).
func (b *Builder) renderCards(tpl *templates, s *content.Site, errs *diag.List) {
	cases := s.Cases
	html := make([]template.HTML, len(cases))
	keys := make([]uint64, len(cases))
	var wg sync.WaitGroup
	var mu sync.Mutex
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var buf bytes.Buffer
			for i := w; i < len(cases); i += workers {
				c := cases[i]
				if cs := b.cardStore; cs != nil {
					keys[i] = cardStoreKey(c, s, tpl)
					if h, ok := cs.get(keys[i]); ok {
						html[i] = h
						continue
					}
				}
				if b.memo != nil {
					keys[i] = b.memo.cardKey(c, s, tpl)
					b.memo.mu.Lock()
					e, ok := b.memo.cards[c.File]
					b.memo.mu.Unlock()
					if ok && e.key == keys[i] {
						html[i] = e.html
						continue
					}
				}
				h, err := tpl.renderCard(&buf, c)
				if err != nil {
					mu.Lock()
					errs.AddErr("layouts/partials/case-list.html", err)
					mu.Unlock()
					return
				}
				html[i] = h
				cardsRendered.Add(1)
				if cs := b.cardStore; cs != nil {
					cs.put(keys[i], h)
				}
			}
		}(w)
	}
	wg.Wait()
	if cs := b.cardStore; cs != nil {
		if errs.Len() == 0 {
			cs.saveCards()
		} else {
			cs.save(nil)
		}
	}
	var cards map[string]memoCard
	if b.memo != nil && errs.Len() == 0 {
		cards = make(map[string]memoCard, len(cases))
	}
	for i, c := range cases {
		tpl.cards[c] = html[i]
		if cards != nil {
			cards[c.File] = memoCard{keys[i], html[i]}
		}
	}
	if cards != nil {
		b.memo.cards = cards
	}
}

func facetDescription(f *Facet, v *FacetValue) string {
	if v.Description != "" {
		return v.Description
	}
	return fmt.Sprintf("Exempel på sociala investeringar – %s: %s.", strings.ToLower(f.Name), v.Label)
}

// Filters lists the search filters of a case page (none for other pages).
// It is computed when the layout asks, so a build does not hold the
// filters of every case at once.
func (p *Page) Filters() []Filter {
	if p.Case == nil {
		return nil
	}
	return caseFilters(p.Case)
}

// caseFilters lists a case's search filters.
func caseFilters(c *content.Case) []Filter {
	var out []Filter
	eachFilter(c, func(key, value string) { out = append(out, Filter{key, value}) })
	return out
}

// eachFilter calls f with each of a case's search filters, in order.
func eachFilter(c *content.Case, f func(key, value string)) {
	for _, k := range c.Municipalities {
		f("kommun", k.Name)
	}
	for _, l := range c.Regions {
		f("län", l.Name)
	}
	for _, v := range c.TargetGroups {
		f("målgrupp", v.Label)
	}
	for _, t := range c.InvestmentModels {
		f("investeringsmodell", t.Title)
	}
	for _, v := range c.FocusAreas {
		f("fokusområde", v.Label)
	}
	f("status", c.Status.Label())
	if c.CaseType != nil {
		f("typ", c.CaseType.Label)
	} else {
		f("typ", "Exempel")
	}
}

func modelCases(f *Facet) map[string][]*content.Case {
	m := map[string][]*content.Case{}
	for _, v := range f.Values {
		m[v.Slug] = v.Cases
	}
	return m
}

// termMentions lists the cases that mention t, at most PageSize.
func termMentions(g *crossRefs, t *content.Term) []*content.Case {
	return uniqueCases(g.termCases[t], PageSize)
}

// newest returns the n cases with the latest dates, newest first; cases
// of the same date keep their order (a stable sort, cut at n).
func newest(cases []*content.Case, n int) []*content.Case {
	out := make([]*content.Case, 0, n+1)
	for _, c := range cases {
		// Insert after every case at least as new.
		i := len(out)
		for i > 0 && c.Date.After(out[i-1].Date) {
			i--
		}
		if i < n {
			out = slices.Insert(out, i, c)
			out = out[:min(len(out), n)]
		}
	}
	return out
}

// uniqueCases returns the first n distinct cases of cs, in order.
func uniqueCases(cs []*content.Case, n int) []*content.Case {
	var out []*content.Case
	seen := map[*content.Case]bool{}
	for _, c := range cs {
		if len(out) == n {
			break
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// letters groups terms by initial for the A–Ö index.
func letters(terms []*content.Term) []Letter {
	by := map[string][]*content.Term{}
	for _, t := range terms {
		l := sv.FirstLetter(t.Title)
		by[l] = append(by[l], t)
	}
	var out []Letter
	for _, l := range append(sv.Alphabet, "#") {
		out = append(out, Letter{Letter: l, ID: "bokstav-" + letterIDs.Replace(strings.ToLower(l)), Terms: by[l]})
	}
	return out
}

// letterIDs spells the Swedish extra letters in ASCII element ids.
var letterIDs = strings.NewReplacer("å", "aa", "ä", "ae", "ö", "oe", "#", "ovrigt")

// sitemap lists the published pages, sorted, in the sitemap protocol's
// XML: what xml.MarshalIndent writes with a one-space indent
// (TestSitemapMatchesEncodingXML), without its reflection.
func sitemap(base string, jobs []*job) []byte {
	var urls []string
	for _, j := range jobs {
		if j.page == nil || j.layout == "404" || j.page.Draft {
			continue
		}
		urls = append(urls, base+j.page.Path)
	}
	slices.Sort(urls)
	var b bytes.Buffer
	b.Grow(100 + len(urls)*(len(base)+60))
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, u := range urls {
		b.WriteString("\n <url>\n  <loc>")
		xml.EscapeText(&b, []byte(u))
		b.WriteString("</loc>\n </url>")
	}
	if len(urls) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("</urlset>")
	return b.Bytes()
}
