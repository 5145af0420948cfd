package site

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/cms"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/geo"
	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/search"
	"github.com/exempelbanken/portal/builder/sv"
)

// suggestions is /sok/forslag.json: every title and other name of the
// site's cases, terms and pages, in Swedish order, for the search page's
// "Menade du …?" when a query finds nothing.
func suggestions(s *content.Site) []byte {
	type name struct {
		s   string
		key []byte // sv.Key(s): a document's title key was made when its file was read
	}
	seen := map[string]bool{}
	var out []name
	add := func(t string, key func() []byte) {
		if k := strings.ToLower(t); t != "" && !seen[k] {
			seen[k] = true
			out = append(out, name{t, key()})
		}
	}
	title := func(d *content.Doc) { add(d.Title, d.TitleKey) }
	for _, c := range s.Cases {
		title(&c.Doc)
	}
	for _, t := range s.Terms {
		title(&t.Doc)
		for _, a := range t.Aliases {
			add(a, func() []byte { return sv.Key(a) })
		}
	}
	for _, p := range s.Pages {
		title(&p.Doc)
	}
	sv.SortStableKeyed(out, func(n name) []byte { return n.key }, func(n name) string { return n.s })
	names := make([]string, len(out))
	for i, n := range out {
		names[i] = n.s
	}
	b, _ := json.Marshal(names)
	return b
}

// sitePlan is every file of one build, in the order they are written.
type sitePlan struct {
	site  *SiteData
	jobs  []*job
	terms *search.Expander // the lexicon the pages' search terms came from
}

// job is one file of the plan: a page to render with its layout, or data
// to write as it is.
type job struct {
	path   string // in the output: "exempel/minimili/index.html"
	layout string
	page   *Page
	data   []byte
	// key covers everything the page is made from (memo.pageKey), set
	// when the page is planned; 0 without a memo. navKey, for a layout
	// that shows the facets only through the facet overview
	// (templates.navOnly), covers everything but the overview.
	key, navKey uint64
	// later: the file is made when first read, not by render: the page
	// of the open data in a preview (openData.writeLater), or by make (a
	// preview's feeds).
	later bool
	make  func() ([]byte, error)
	// stored, when set, is a file an earlier build made from the same
	// content (a fileSet): written only when the writer cannot keep it.
	stored *storedJob
}

// storedJob is a file kept by a fileSet: its length and checksum, and
// read to get its contents.
type storedJob struct {
	size int
	sum  uint64
	read func() ([]byte, error)
}

// writeResult is what render did.
type writeResult struct {
	files, pages int
	rendered     int // pages whose layout was executed (the others came from the memo)
	spliced      int // pages from the memo with a new facet overview
	kept         int // pages the writer kept from the last build (pageStore)
}

// caseOrders are the orders the list of all cases can be read in: by
// title (the site order), start year, cost and last review, newest and
// largest first; cases without the value come last, in title order.
var caseOrders = []struct {
	slug, label string
	less        func(a, b *content.Case) int
}{
	{"", "titel", nil},
	{"efter-start/", "startår", func(a, b *content.Case) int { return cmpLast(a.Start == 0, b.Start == 0, b.Start-a.Start) }},
	{"efter-kostnad/", "kostnad", func(a, b *content.Case) int {
		return cmpLast(!a.HasCost, !b.HasCost, int(sign(b.Cost-a.Cost)))
	}},
	{"efter-granskning/", "senaste granskning", func(a, b *content.Case) int {
		return cmpLast(a.Reviewed.IsZero(), b.Reviewed.IsZero(), b.Reviewed.Compare(a.Reviewed))
	}},
}

// cmpLast orders a case without the value (missing) after one with it,
// and two with it by c.
func cmpLast(aMissing, bMissing bool, c int) int {
	switch {
	case aMissing && bMissing:
		return 0
	case aMissing:
		return 1
	case bMissing:
		return -1
	}
	return c
}

func sign(n int64) int64 {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// plan returns every file of the site: each page with its URL, layout,
// data and memo key (made here from the page's own data;
// TestPageKeyCoversEveryField checks that the key covers every field), and
// the stylesheet and static files. The menu, the sitemap and
// the render phase read it.
//
// With later (a preview writing to an output.LaterWriter), the files no
// page is made from (feeds, the link picker's and the search page's
// lists, the open data) are jobs that make them when first read.
func (b *Builder) plan(s *content.Site, g *crossRefs, tpl *templates, css []byte, static []assets.File, od *openData, gm *geo.Map, later bool) (*sitePlan, error) {
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
	// The web editor (/admin/) and the media its users upload (/media/).
	adm, err := cms.Admin(s, b.opts.Root)
	if err != nil && !errors.Is(err, cms.ErrNoDecap) {
		return nil, err
	}
	b.noEditor = err != nil
	var made madeJobs
	defer made.wait() // after an error too: nothing is left running
	for _, f := range adm {
		jobs = append(jobs, made.job(f.Name, f.Data, f.Make, later))
	}
	for _, m := range b.media {
		jobs = append(jobs, &job{path: m.Path(), data: m.Data})
		// Large images also in smaller widths, for srcset.
		for _, w := range m.Widths() {
			data, err := m.Variant(w)
			if err != nil {
				return nil, diag.Errorf(m.Dir+"/"+m.Name, 0, "%v", err)
			}
			jobs = append(jobs, &job{path: strings.TrimPrefix(m.Prefix, "/") + assets.VariantName(m.Name, w), data: data})
		}
	}
	sd.Menu = s.Config.Menu
	if len(sd.Menu) == 0 {
		sd.Menu = []content.MenuItem{{Title: "Exempel", URL: casesURL}, {Title: "Kommuner", URL: facetURL(facetKommun)},
			{Title: "Målgrupper", URL: facetURL(facetMalgrupp)}, {Title: "Begrepp", URL: glossaryURL}}
		if tpl.sets["overview"] != nil {
			sd.Menu = append(sd.Menu, content.MenuItem{Title: "Översikt", URL: overviewURL})
		}
		if tpl.sets["search"] != nil {
			sd.Menu = append(sd.Menu, content.MenuItem{Title: "Sök och filtrera", URL: searchURL})
		}
		for _, p := range s.Pages {
			if p.Slug == "om-portalen" {
				sd.Menu = append(sd.Menu, content.MenuItem{Title: p.Title, URL: p.URL()})
			}
		}
	}
	for _, p := range s.Pages {
		sd.Footer = append(sd.Footer, content.MenuItem{Title: p.Title, URL: p.URL()})
	}
	if tpl.sets["data"] != nil && od.page != nil {
		sd.Footer = append(sd.Footer, content.MenuItem{Title: "Öppna data", URL: dataURL})
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
	kommun, lan := facetByKey(g.facets, facetKommun), facetByKey(g.facets, facetLan)
	sd.KommunCount = len(kommun.Values)

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
	// The pages are keyed for the preview's memo, or for the page store
	// of a one-off build (a memo that keeps no pages).
	keys, sig := b.memo, b.md.sig
	if keys == nil && b.pageStore != nil {
		keys, sig = newMemo(), siteSignature(s)^mediaSignature(b.media)
	}
	if keys != nil {
		keys.sums.trim()
		siteKey = keys.siteKey(s, sd, tpl, sig)
		facetKey = keys.facetKey(siteKey, sd)
		cardHash = make(map[*content.Case]uint64, len(s.Cases))
		for _, c := range s.Cases {
			k := keys.keyer()
			k.str(string(tpl.cards[c]))
			cardHash[c] = k.sum()
		}
	}
	card := func(c *content.Case) uint64 { return cardHash[c] }
	// fillJob makes j the job of the page p at path (safe on every core:
	// it changes j and p alone); pageJob makes it in a new job, and page
	// plans that.
	fillJob := func(j *job, path, layout string, p *Page) {
		p.Site, p.Layout, p.Path = sd, layout, path
		if p.Pager != nil && p.Pager.Number > 1 {
			p.Title += " – sida " + strconv.Itoa(p.Pager.Number) + " av " + strconv.Itoa(p.Pager.Total)
		}
		file := strings.TrimPrefix(path, "/")
		dir := strings.HasSuffix(file, "/") || file == ""
		switch {
		case sd.BaseURL != "" && dir:
			// One string holds both the canonical URL and, at its
			// end, the file: one object fewer for each page.
			full := sd.BaseURL + path + "index.html"
			p.Canonical = full[:len(sd.BaseURL)+len(path)]
			file = full[len(full)-len(file)-len("index.html"):]
		case sd.BaseURL != "":
			p.Canonical = sd.BaseURL + path
		case dir:
			file += "index.html"
		}
		*j = job{path: file, layout: layout, page: p}
	}
	pageJob := func(path, layout string, p *Page) *job {
		j := &job{}
		fillJob(j, path, layout, p)
		return j
	}
	page := func(path, layout string, p *Page) { jobs = append(jobs, pageJob(path, layout, p)) }
	home := Crumb{"Startsida", homeURL}
	examples := Crumb{"Exempel", casesURL}
	glossary := Crumb{"Begrepp", glossaryURL}

	latest := newest(s.Cases, 6)
	// The maps: one drawing of Sweden, its areas reused (maps.go).
	loc := newLocators(gm)
	if gm != nil {
		jobs = append(jobs, &job{path: mapFile, data: locatorSVG(gm)})
	}
	lanCode := func(v *FacetValue) string {
		if v.Lan != nil && v.Kommun == nil {
			return v.Lan.Code
		}
		return ""
	}
	var homeMap *CaseMap
	if gm != nil && tpl.sets["overview"] != nil {
		homeMap = newCaseMap(gm, gm.Lan, facetByKey(g.facets, facetLan), lanCode, nil, "län")
	}
	page(homeURL, "home", &Page{Description: s.Config.Description, Latest: latest, Models: models, Cases: s.Cases, CaseMap: homeMap})
	if tpl.sets["overview"] != nil {
		var cm *CaseMap
		if gm != nil {
			cm = newCaseMap(gm, gm.Kommuner, facetByKey(g.facets, facetKommun), func(v *FacetValue) string {
				if v.Kommun != nil {
					return v.Kommun.Code
				}
				return ""
			}, gm.Lan, "kommun")
		}
		page(overviewURL, "overview", &Page{Title: "Översikt", Description: "Var i Sverige exemplen finns, och hur många de är per investeringsmodell, målgrupp, fokusområde, status och startår.",
			Crumbs: []Crumb{home}, Overview: newOverview(s, g.facets, cm)})
	}
	// /exempel/ in each order, each its own paginated list: no script
	// needed. (Sorted on every core.)
	ordered := make([][]*content.Case, len(caseOrders))
	par.For(len(caseOrders), func(i int) {
		ordered[i] = s.Cases
		if less := caseOrders[i].less; less != nil {
			ordered[i] = slices.Clone(s.Cases)
			slices.SortStableFunc(ordered[i], less)
		}
	})
	for i, o := range caseOrders {
		cases, title := ordered[i], "Alla exempel"
		if o.less != nil {
			title += " efter " + o.label
		}
		links := make([]OrderLink, len(caseOrders))
		for i, l := range caseOrders {
			links[i] = OrderLink{Label: l.label, URL: casesURL + l.slug, Current: l.slug == o.slug}
		}
		paginate(casesURL+o.slug, cases, func(path string, cs []*content.Case, pg *Pager) {
			page(path, "case-list", &Page{Title: title, Description: "Alla exempel på sociala investeringar i portalen, ordnade efter " + o.label + ", med filter för kommun, målgrupp, investeringsmodell och mer.",
				Crumbs: []Crumb{home}, Cases: cs, Pager: pg, Orders: links, Order: o.label})
		})
	}
	// The cases' pages and their jobs, made on every core (the maps are
	// only read), then planned in order.
	// Their pages and jobs are two arrays, not 20,000 objects: the
	// collector visits each object the preview keeps.
	caseJobs := make([]job, len(s.Cases))
	casePages := make([]Page, len(s.Cases))
	crumbs := []Crumb{home, examples} // only read
	par.For(len(s.Cases), func(i int) {
		c := s.Cases[i]
		u := c.URL()
		casePages[i] = Page{Title: c.Title, Description: c.Summary, Crumbs: crumbs, Case: c, Doc: &c.Doc,
			Draft: c.Draft, Body: g.body[&c.Doc], Related: g.related[c], Backlinks: g.backlinks[u], Indexed: true,
			Locator: loc.ofCase(c)}
		fillJob(&caseJobs[i], u, "case", &casePages[i])
	})
	for i, c := range s.Cases {
		jobs = append(jobs, &caseJobs[i])
		for _, old := range c.FormerSlugs {
			jobs = append(jobs, &job{path: casesURL[1:] + old + "/index.html", data: redirectPage(sd.BaseURL+c.URL(), c.Title)})
		}
	}
	// Glossary.
	page(glossaryURL, "glossary-index", &Page{Title: "Begrepp", Description: "Ordlista över investeringsmodeller och begrepp inom sociala investeringar, från A till Ö.",
		Crumbs: []Crumb{home}, Models: models, Concepts: concepts, Letters: letters(s.Terms)})
	if len(models) > 0 && tpl.sets["compare"] != nil {
		page(compareURL, "compare", &Page{Title: "Jämför investeringsmodellerna",
			Description: "Alla investeringsmodeller sida vid sida: vem som finansierar, återbetalning, risk, tidshorisont och exempel.",
			Crumbs:      []Crumb{home, glossary}, Models: models, ModelCases: modelCases(facetByKey(g.facets, facetModell))})
	}
	modell := facetByKey(g.facets, facetModell)
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
		if f.Key == facetKommun {
			ip.LanGroups = groupKommuner(kommun, lan)
		}
		page(f.URL(), "facet-index", ip)
		for _, v := range f.Values {
			if f.Key == facetStatus && len(v.Cases) == 0 {
				continue
			}
			var kommuner []*FacetValue
			if f.Key == facetLan {
				for _, kv := range kommun.Values {
					if kv.Lan == v.Lan {
						kommuner = append(kommuner, kv)
					}
				}
			}
			crumbs := []Crumb{home, {f.Plural, f.URL()}}
			if f.Key == facetKommun {
				crumbs = append(crumbs, Crumb{v.Lan.Name, facetURL(facetLan, v.Lan.Slug)})
			}
			var locator *Locator
			switch {
			case v.Kommun != nil:
				locator = loc.of(v.Label+" i "+v.Kommun.Lan.Name, []*content.Kommun{v.Kommun}, nil)
			case v.Lan != nil:
				locator = loc.of(v.Lan.Name+" på Sverigekartan", nil, []*content.Lan{v.Lan})
			}
			paginate(v.URL, v.Cases, func(path string, cs []*content.Case, pg *Pager) {
				page(path, "facet-term", &Page{Title: v.Label, Description: facetDescription(f, v), Crumbs: crumbs,
					Facet: f, Value: v, Cases: cs, Kommuner: kommuner, Pager: pg, Locator: locator})
			})
		}
	}
	// The Atom feeds of the case lists and facet values, linked from their pages (feeds.go).
	if !b.opts.NoOpenData {
		feeds, err := planFeeds(sd, s, g.facets, jobs, later, b.feedStore)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, feeds...)
	}
	// The source register.
	sources := Crumb{"Källor", sourcesURL}
	if tpl.sets["source-index"] != nil {
		page(sourcesURL, "source-index", &Page{Title: "Källor", Description: "Alla dokument som exemplen och begreppen i portalen bygger på.",
			Crumbs: []Crumb{home}, Sources: s.Sources})
	}
	if tpl.sets["source"] != nil {
		for _, d := range s.Sources {
			// The cases that cite it are the page's list, a page at a
			// time (Cases, Pager), as on a facet's page.
			src := *d
			src.Cases = nil
			paginate(d.Page(), d.Cases, func(path string, cs []*content.Case, pg *Pager) {
				page(path, "source", &Page{Title: d.Title, Description: "Källa: " + d.Title + " (" + d.Publisher + ", " + d.Dated() + ").",
					Crumbs: []Crumb{home, sources}, Source: &src, Cases: cs, Pager: pg})
			})
		}
	}
	for _, pg := range s.Pages {
		page(pg.URL(), "page", &Page{Title: pg.Title, Description: pg.Summary, Crumbs: []Crumb{home}, Doc: &pg.Doc,
			Draft: pg.Draft, Body: g.body[&pg.Doc], Backlinks: g.backlinks[pg.URL()], Indexed: true})
	}
	if tpl.sets["search"] != nil {
		page(searchURL, "search", &Page{Title: "Sök", Description: "Sök bland exempel och begrepp, och filtrera på kommun, län, målgrupp, investeringsmodell, fokusområde och status.",
			Crumbs: []Crumb{home}})
		jobs = append(jobs, made.job(searchURL[1:]+"forslag.json", nil, func() ([]byte, error) { return suggestions(s), nil }, later))
	}
	// The open data (/data/): the files, and their page where the theme
	// has one.
	jobs = append(jobs, od.jobs...)
	if tpl.sets["data"] != nil && od.page != nil {
		od.page.Crumbs = []Crumb{home}
		page(dataURL, "data", od.page)
		jobs[len(jobs)-1].later = od.later != nil
	}
	nf := &Page{Title: "Sidan finns inte", Description: "Sidan du letade efter finns inte."}
	page(notFoundURL, "404", nf)
	// The sitemap lists every page planned above (made when read in a
	// preview, where nobody asks for it while editing).
	if sd.BaseURL != "" {
		pages := jobs
		jobs = append(jobs, made.job("sitemap.xml", nil, func() ([]byte, error) { return sitemap(sd.BaseURL, pages), nil }, later))
	}

	if keys != nil {
		keys.hashFacets(sd.Facets)
		keys.hashFilters(s.Cases)
	}
	var terms *search.Expander
	if !b.opts.NoSearchTerms {
		tm, pm := b.terms, b.memo
		if ts := b.termStore; ts != nil {
			// The terms of earlier processes, for pages keyed alike
			// (keyer: the same keys in every process).
			tm, pm = ts.memo(), keys
			if pm == nil {
				pm = newMemo()
			}
		}
		terms = indexTerms(jobs, s, tm, pm)
		if ts := b.termStore; ts != nil {
			ts.saveMemo()
		}
	}

	// Each page's key, from the Page just made (on every core: hashing
	// 12,000 pages is a tenth of a second on one).
	if keys != nil {
		navHash := keys.keyer()
		navHash.str(string(sd.FacetNav))
		nav := navHash.sum()
		par.For(len(jobs), func(i int) {
			j := jobs[i]
			if j.page == nil {
				return
			}
			switch {
			case tpl.navOnly[j.layout]:
				// Keyed without the facet overview, then with it.
				j.navKey = keys.pageKey(siteKey, j.path, j.layout, j.page, card, tpl.shallowFacet[j.layout])
				j.key = j.navKey*31 ^ nav
			case tpl.facets[j.layout]:
				j.key = keys.pageKey(facetKey, j.path, j.layout, j.page, card, tpl.shallowFacet[j.layout])
			default:
				j.key = keys.pageKey(siteKey, j.path, j.layout, j.page, card, tpl.shallowFacet[j.layout])
			}
		})
	}
	if err := made.wait(); err != nil {
		return nil, err
	}
	return &sitePlan{site: sd, jobs: jobs, terms: terms}, nil
}

// madeJobs makes the files of a plan that are made from the site alone
// (the link picker's and the search page's lists, the sitemap) beside the
// rest of the plan.
type madeJobs struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

// job returns the job of the file path: data, or what make makes (in
// the background, until wait); with later, make is left to run when the
// file is first read.
func (m *madeJobs) job(path string, data []byte, make func() ([]byte, error), later bool) *job {
	switch {
	case make == nil:
		return &job{path: path, data: data}
	case later:
		return &job{path: path, later: true, make: make}
	}
	j := &job{path: path}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		data, err := make()
		if err != nil {
			m.mu.Lock()
			m.errs = append(m.errs, fmt.Errorf("%s: %w", path, err))
			m.mu.Unlock()
		}
		j.data = data
	}()
	return j
}

// wait waits for the files being made and returns their errors.
func (m *madeJobs) wait() error {
	m.wg.Wait()
	return errors.Join(m.errs...)
}

// redirectPage is the page left at a case's former address: it sends a
// browser on at once (no script needed), tells search engines where the
// page is now and not to index the old address, and says so in Swedish
// for a reader whose browser does not follow.
func redirectPage(to, title string) []byte {
	u, t := html.EscapeString(to), html.EscapeString(title)
	return []byte(`<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>` + t + ` har flyttat</title>
<link rel="canonical" href="` + u + `">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=` + u + `">
</head>
<body>
<p><a href="` + u + `">` + t + `</a> har fått en ny adress.</p>
</body>
</html>
`)
}

// indexTerms sets the TitleTerms and SearchTerms of every indexed page: the parts of the
// compounds it uses and the synonyms of its words, split against the
// lexicon of all indexed pages and the vocabularies' descriptions. With a
// memo (an incremental build) only the pages whose text changed, and those
// whose compounds split differently against the new lexicon, are worked
// out again (search.Memo).
// textsRead counts the pages whose indexed text indexTerms read through
// a search.Memo (for the tests).
var textsRead atomic.Int64

func indexTerms(jobs []*job, s *content.Site, memo *search.Memo, pm *memo) *search.Expander {
	var pages []*Page
	var paths []string
	for _, j := range jobs {
		if j.page != nil && j.page.Indexed {
			pages = append(pages, j.page)
			paths = append(paths, j.path)
		}
	}
	var vocab strings.Builder
	for _, name := range content.VocabNames {
		if v := s.Vocab[name]; v != nil {
			for _, val := range v.Values {
				vocab.WriteString(val.Label + "\n" + val.Description + "\n")
			}
		}
	}
	if memo != nil && pm != nil {
		in := make([]search.PageText, len(pages))
		par.For(len(pages), func(i int) {
			p := pages[i]
			in[i] = search.PageText{ID: paths[i], Key: textKey(p, pm), Title: p.Title,
				Text: func() string { textsRead.Add(1); return indexedText(p) }}
		})
		e, terms := memo.Terms(in, vocab.String(), s.Synonyms)
		for i, p := range pages {
			p.TitleTerms, p.SearchTerms = terms[i].Title, terms[i].Rest
		}
		return e
	}
	texts := make([]string, len(pages))
	par.For(len(pages), func(i int) { texts[i] = indexedText(pages[i]) })
	e := search.NewExpander(append(texts[:len(texts):len(texts)], vocab.String()), s.Synonyms)
	par.For(len(pages), func(i int) { setTerms(e, pages[i], texts[i]) })
	return e
}

// setTerms sets p's TitleTerms and SearchTerms from its indexed text.
func setTerms(e *search.Expander, p *Page, text string) {
	t := e.PageTerms(p.Title, text)
	p.TitleTerms, p.SearchTerms = t.Title, t.Rest
}

// textKey is a hash of everything indexedText reads (a case's filters by
// pm's hash of them).
func textKey(p *Page, pm *memo) uint64 {
	k := pm.keyer()
	k.str(p.Title, p.Description, string(p.Body))
	if p.Term != nil {
		k.num(uint64(len(p.Term.Aliases)))
		k.str(p.Term.Aliases...)
	}
	if p.Case != nil {
		k.num(pm.filterHash(p.Case))
	}
	return k.sum()
}

// indexedText is the text of p the search index holds: title, summary,
// body, a term's other names and a case's filter labels.
func indexedText(p *Page) string {
	var b strings.Builder
	b.WriteString(p.Title)
	b.WriteString("\n")
	b.WriteString(p.Description)
	b.WriteString("\n")
	b.WriteString(search.PlainText(string(p.Body)))
	if p.Term != nil {
		for _, a := range p.Term.Aliases {
			b.WriteString("\n")
			b.WriteString(a)
		}
	}
	for _, f := range p.Filters() {
		b.WriteString("\n")
		b.WriteString(f.Value)
	}
	return b.String()
}
