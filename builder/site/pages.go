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

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/output"
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
}

// PageSize is the number of cases on one page of a list.
const PageSize = 50

// Pager describes one page of a paginated list.
type Pager struct {
	Number, Total int
	First, Last   int // 1-based positions of the first and last case shown
	Count         int // cases in the whole list
	Prev, Next    string
	Pages         []PagerLink
}

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
		p := &Pager{Number: n, Total: total, First: lo + 1, Last: hi, Count: len(cases), Pages: pagerLinks(base, n, total)}
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

// job is one file to write.
type job struct {
	path   string
	layout string
	page   *Page
	data   []byte
}

// writeResult is what writePages did.
type writeResult struct {
	files, pages int
	rendered     int // pages whose layout was executed (the others came from the memo)
	jobs         []*job
}

// writePages builds the list of files, renders HTML in parallel and writes
// everything through w.
func (b *Builder) writePages(s *content.Site, g *graph, tpl *templates, css []byte, static []assets.File, w output.Writer) (*writeResult, error) {
	sd := &SiteData{Title: s.Config.Title, Description: s.Config.Description,
		BaseURL: strings.TrimSuffix(s.Config.BaseURL, "/"), Facets: g.facets, Drafts: s.Drafts,
		Scripts: map[string]string{}}
	var jobs []*job
	fingerprint := assets.Fingerprint
	if b.opts.StableAssets {
		fingerprint = func(name string, _ []byte) string { return name }
	}
	cssName := fingerprint("css/main.css", css)
	sd.CSS = "/" + cssName
	jobs = append(jobs, &job{path: cssName, data: css})
	for _, f := range static {
		name := f.Name
		if strings.HasPrefix(name, "js/") {
			orig := strings.TrimPrefix(name, "js/")
			name = fingerprint(name, f.Data)
			sd.Scripts[orig] = "/" + name
		}
		jobs = append(jobs, &job{path: name, data: f.Data})
	}
	sd.Menu = s.Config.Menu
	if len(sd.Menu) == 0 {
		sd.Menu = []content.MenuItem{{Title: "Exempel", URL: "/exempel/"}, {Title: "Kommuner", URL: "/kommun/"},
			{Title: "Målgrupper", URL: "/malgrupp/"}, {Title: "Begrepp", URL: "/begrepp/"}}
		for _, p := range s.Pages {
			if p.Slug == "om-portalen" {
				sd.Menu = append(sd.Menu, content.MenuItem{Title: p.Title, URL: p.URL()})
			}
		}
	}
	for _, p := range s.Pages {
		sd.Footer = append(sd.Footer, content.MenuItem{Title: p.Title, URL: p.URL()})
	}
	sd.CaseCount, sd.TermCount = len(s.Cases), len(s.Terms)
	var models, concepts []*content.Term
	for _, t := range s.Terms {
		if t.IsModel() {
			models = append(models, t)
		} else {
			concepts = append(concepts, t)
		}
	}
	sd.ModelCount = len(models)
	kommun, lan := facetByKey(g.facets, "kommun"), facetByKey(g.facets, "lan")
	sd.KommunCount = len(kommun.Values)

	page := func(path, layout string, p *Page) {
		p.Site, p.Layout, p.Path = sd, layout, path
		if p.Pager != nil && p.Pager.Number > 1 {
			p.Title += " – sida " + strconv.Itoa(p.Pager.Number) + " av " + strconv.Itoa(p.Pager.Total)
		}
		if sd.BaseURL != "" {
			p.Canonical = sd.BaseURL + path
		}
		file := strings.TrimPrefix(path, "/")
		if strings.HasSuffix(file, "/") || file == "" {
			file += "index.html"
		}
		jobs = append(jobs, &job{path: file, layout: layout, page: p})
	}
	home := Crumb{"Startsida", "/"}
	examples := Crumb{"Exempel", "/exempel/"}
	glossary := Crumb{"Begrepp", "/begrepp/"}

	latest := newest(s.Cases, 6)
	page("/", "home", &Page{Description: s.Config.Description, Latest: latest, Models: models, Cases: s.Cases})
	paginate("/exempel/", s.Cases, func(path string, cs []*content.Case, pg *Pager) {
		page(path, "case-list", &Page{Title: "Alla exempel", Description: "Alla exempel på sociala investeringar i portalen, med filter för kommun, målgrupp, investeringsmodell och mer.",
			Crumbs: []Crumb{home}, Cases: cs, Pager: pg})
	})
	for _, c := range s.Cases {
		p := &Page{Title: c.Title, Description: c.Summary, Crumbs: []Crumb{home, examples}, Case: c, Doc: &c.Doc,
			Draft: c.Draft, Body: g.body[&c.Doc], Related: g.related[c], Backlinks: g.backlinks[c.URL()], Indexed: true}
		page(c.URL(), "case", p)
	}
	// Glossary.
	page("/begrepp/", "glossary-index", &Page{Title: "Begrepp", Description: "Ordlista över investeringsmodeller och begrepp inom sociala investeringar, från A till Ö.",
		Crumbs: []Crumb{home}, Models: models, Concepts: concepts, Letters: letters(s.Terms)})
	if len(models) > 0 && tpl.sets["compare"] != nil {
		page("/begrepp/jamfor-modeller/", "compare", &Page{Title: "Jämför investeringsmodellerna",
			Description: "Alla investeringsmodeller sida vid sida: vem som finansierar, återbetalning, risk, tidshorisont och exempel.",
			Crumbs:      []Crumb{home, glossary}, Models: models, ModelCases: modelCases(facetByKey(g.facets, "modell"))})
	}
	modell := facetByKey(g.facets, "modell")
	for _, t := range s.Terms {
		p := &Page{Title: t.Title, Description: t.Summary, Crumbs: []Crumb{home, glossary}, Term: t, Doc: &t.Doc,
			Draft: t.Draft, Body: g.body[&t.Doc], Backlinks: g.backlinks[t.URL()], Indexed: true,
			Mentions: termMentions(g, t)}
		if v := modell.byKey[t.Slug]; v != nil && t.IsModel() {
			p.UsedBy, p.UsedByCount = v.Cases, len(v.Cases)
			if len(p.UsedBy) > PageSize {
				p.UsedBy = p.UsedBy[:PageSize]
			}
		}
		page(t.URL(), "glossary-term", p)
	}
	// Facets.
	for _, f := range g.facets {
		if !f.HasIndex() {
			continue
		}
		ip := &Page{Title: f.Plural, Description: f.Intro, Crumbs: []Crumb{home}, Facet: f}
		if f.Key == "kommun" {
			ip.LanGroups = groupKommuner(kommun, lan)
		}
		page(f.URL(), "facet-index", ip)
		for _, v := range f.Values {
			if f.Key == "status" && len(v.Cases) == 0 {
				continue
			}
			var kommuner []*FacetValue
			if f.Key == "lan" {
				for _, kv := range kommun.Values {
					if kv.Lan == v.Lan {
						kommuner = append(kommuner, kv)
					}
				}
			}
			crumbs := []Crumb{home, {f.Plural, f.URL()}}
			if f.Key == "kommun" {
				crumbs = append(crumbs, Crumb{v.Lan.Name, "/lan/" + v.Lan.Slug + "/"})
			}
			paginate(v.URL, v.Cases, func(path string, cs []*content.Case, pg *Pager) {
				page(path, "facet-term", &Page{Title: v.Label, Description: facetDescription(f, v), Crumbs: crumbs,
					Facet: f, Value: v, Cases: cs, Kommuner: kommuner, Pager: pg})
			})
		}
	}
	for _, pg := range s.Pages {
		page(pg.URL(), "page", &Page{Title: pg.Title, Description: pg.Summary, Crumbs: []Crumb{home}, Doc: &pg.Doc,
			Draft: pg.Draft, Body: g.body[&pg.Doc], Backlinks: g.backlinks[pg.URL()], Indexed: true})
	}
	if tpl.sets["search"] != nil {
		page("/sok/", "search", &Page{Title: "Sök", Description: "Sök bland exempel och begrepp, och filtrera på kommun, län, målgrupp, investeringsmodell, fokusområde och status.",
			Crumbs: []Crumb{home}})
	}
	nf := &Page{Title: "Sidan finns inte", Description: "Sidan du letade efter finns inte."}
	page("/404.html", "404", nf)
	jobs[len(jobs)-1].path = "404.html"

	// The facet overview is rendered once and reused by every page that
	// shows it (as is every case's card, rendered by Build).
	errs := &diag.List{}
	if nav, err := tpl.partial("facet-nav", sd.Facets); err != nil {
		errs.AddErr("layouts/partials/facet-nav.html", err)
	} else {
		sd.FacetNav = nav
	}
	if errs.Len() > 0 {
		return nil, errs
	}
	var siteKey, facetKey uint64
	var cardHash map[*content.Case]uint64
	var memoPages map[string]memoEntry
	if b.memo != nil {
		siteKey = b.memo.siteKey(s, sd, tpl, b.md.sig)
		facetKey = b.memo.facetKey(siteKey, sd)
		cardHash = make(map[*content.Case]uint64, len(s.Cases))
		for _, c := range s.Cases {
			k := b.memo.keyer()
			k.str(string(tpl.cards[c]))
			cardHash[c] = k.h.Sum64()
		}
		memoPages = make(map[string]memoEntry, len(jobs))
	}
	card := func(c *content.Case) uint64 { return cardHash[c] }
	var rendered atomic.Int64

	// Render on every core and write from one goroutine, so the cores keep
	// rendering while the writer waits for the disk; output depends only
	// on the job. The channel bounds the pages held in memory. When the
	// writer is done with a page as soon as it is written and no memo keeps
	// it, its buffer goes back for the next page.
	reuse := memoPages == nil && output.Streams(w)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var next atomic.Int64 // renderers take jobs by index, as renderMarkdown does
	pages := 0
	for _, j := range jobs {
		if j.page != nil {
			pages++
		}
	}
	type file struct {
		path string
		data []byte
		buf  *bytes.Buffer // pooled, when reuse
	}
	written := make(chan file, 64)
	// Page buffers go round between the renderers and the writer: no
	// more exist than pages in flight, and (unlike a sync.Pool, which a
	// collection empties) they keep the size the largest pages grew them
	// to for the whole build.
	bufs := make(chan *bytes.Buffer, cap(written)+runtime.GOMAXPROCS(0)+1)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for f := range written {
			if err := w.Write(f.path, f.data); err != nil {
				mu.Lock()
				errs.Addf(f.path, 0, "skriv: %v", err)
				mu.Unlock()
			}
			if f.buf != nil {
				f.buf.Reset()
				select {
				case bufs <- f.buf:
				default:
				}
			}
		}
	}()
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) {
					return
				}
				j := jobs[k]
				data := j.data
				var key uint64
				if j.page != nil && b.memo != nil {
					sk := siteKey
					if tpl.facets[j.layout] {
						sk = facetKey
					}
					key = b.memo.pageKey(sk, j.path, j.layout, j.page, card)
					if e, ok := b.memo.pages[j.path]; ok && e.key == key {
						data = e.data
					}
				}
				var buf *bytes.Buffer
				if j.page != nil && data == nil {
					if reuse {
						select {
						case buf = <-bufs:
						default:
						}
					}
					if buf == nil {
						buf = bytes.NewBuffer(make([]byte, 0, 16<<10))
					}
					t0 := time.Now()
					err := tpl.executeTo(buf, j.layout, j.page)
					rendered.Add(1)
					if layoutTimes != nil {
						layoutTimes.add(j.layout, time.Since(t0))
					}
					if err != nil {
						mu.Lock()
						errs.AddErr("layouts/"+j.layout+".html", err)
						mu.Unlock()
						continue
					}
					data = buf.Bytes()
					if !reuse {
						buf = nil
					}
				}
				if memoPages != nil && j.page != nil {
					mu.Lock()
					memoPages[j.path] = memoEntry{key, data}
					mu.Unlock()
				}
				written <- file{j.path, data, buf}
			}
		}()
	}
	wg.Wait()
	close(written)
	<-writerDone
	if errs.Len() > 0 {
		return nil, errs
	}
	if memoPages != nil {
		b.memo.pages = memoPages
	}
	files := len(jobs)
	if sd.BaseURL != "" {
		if err := w.Write("sitemap.xml", sitemap(sd.BaseURL, jobs)); err != nil {
			return nil, err
		}
		files++
	}
	robots := "User-agent: *\nAllow: /\n"
	if sd.BaseURL != "" {
		robots += "Sitemap: " + sd.BaseURL + "/sitemap.xml\n"
	}
	if err := w.Write("robots.txt", []byte(robots)); err != nil {
		return nil, err
	}
	return &writeResult{files: files + 1, pages: pages, rendered: int(rendered.Load()), jobs: jobs}, nil
}

// layoutTimes, when set (by benchmarks), sums template time per layout.
var layoutTimes *timeSums

type timeSums struct {
	mu sync.Mutex
	m  map[string]time.Duration
	n  map[string]int
}

func (t *timeSums) add(k string, d time.Duration) {
	t.mu.Lock()
	t.m[k] += d
	t.n[k]++
	t.mu.Unlock()
}

// renderCards renders the card of every case in parallel; an incremental
// Builder reuses the cards of cases whose inputs did not change.
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
			}
		}(w)
	}
	wg.Wait()
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
	for _, k := range c.Municipalities {
		out = append(out, Filter{"kommun", k.Name})
	}
	for _, l := range c.Regions {
		out = append(out, Filter{"län", l.Name})
	}
	for _, v := range c.TargetGroups {
		out = append(out, Filter{"målgrupp", v.Label})
	}
	for _, t := range c.InvestmentModels {
		out = append(out, Filter{"investeringsmodell", t.Title})
	}
	for _, v := range c.FocusAreas {
		out = append(out, Filter{"fokusområde", v.Label})
	}
	out = append(out, Filter{"status", c.Status.Label()})
	if c.CaseType != nil {
		out = append(out, Filter{"typ", c.CaseType.Label})
	} else {
		out = append(out, Filter{"typ", "Exempel"})
	}
	return out
}

func modelCases(f *Facet) map[string][]*content.Case {
	m := map[string][]*content.Case{}
	for _, v := range f.Values {
		m[v.Slug] = v.Cases
	}
	return m
}

// termMentions lists the cases that mention t, at most PageSize.
func termMentions(g *graph, t *content.Term) []*content.Case {
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
