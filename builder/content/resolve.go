package content

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/sv"
)

// ReservedSlugs are top-level URL segments a page in content/sidor may not use.
var ReservedSlugs = []string{"exempel", "begrepp", "kommun", "lan", "malgrupp", "fokus", "status",
	"typ", "sok", "css", "js", "static", "pagefind", "404", "index", "sitemap", "feed", "kallor",
	"admin", "media", "api", "data", "oversikt", "karta"}

// ReservedCaseSlugs are slugs a case may not use: the portal's own pages
// below /exempel/ (the list in other orders, and its page numbers).
var ReservedCaseSlugs = []string{"efter-start", "efter-kostnad", "efter-granskning", "sida"}

// resolve checks slugs and resolves every cross-reference: vocabularies,
// municipalities, regions, investment models and related documents. Then
// it publishes the documents (drafts only with Drafts), sorted.
func (s *Site) resolve(docs []*parsed, cache *Cache, errs *diag.List) {
	r := s.checkSlugs(docs, errs)
	r.checkFormerSlugs(errs)
	r.indexTerms(errs)
	memo := cache.resolvedCases()
	r.resolveCases(memo, errs)
	r.resolveTerms(errs)
	r.publish(memo)
	r.warn()
}

// warn collects what does not stop a build but an editor should fix.
func (r *resolution) warn() {
	var w diag.List
	for _, c := range r.s.Cases {
		if c.Contact != nil && PersonalEmail(c.Contact.Email) {
			w.Addf(c.File, c.contactLine, "contact.email: %q ser ut att vara en persons adress (förnamn.efternamn@); namn på personer är personuppgifter, så ange en funktionsbrevlåda eller en webbsida", c.Contact.Email)
		}
	}
	r.s.Warnings = w.Errors()
}

// resolution is one resolve: the documents by kind with their front
// matter, and the indexes they are resolved against.
type resolution struct {
	s          *Site
	cases      []*Case
	terms      []*Term
	pages      []*Page
	caseFields map[*Case]*frontMatter // parsed when a case is resolved anew
	termFields map[*Term]*fields

	termIdx    map[string]*Term // by folded title and alias
	termBySlug map[string]*Term
	caseBySlug map[string]*Case
	// names offered as suggestions for unknown values
	modelNames, kommunNames, lanNames, termSlugs, sourceIDs []string
	caseSlugs                                               func() []string
	year                                                    int // this year, for stale statuses
}

// checkSlugs sorts the documents by kind, keeping each slug unique per
// section (after transliteration and case folding, which Slugify already
// did; in file order, so the first file keeps its slug) and pages off the
// portal's own first URL segments.
func (s *Site) checkSlugs(docs []*parsed, errs *diag.List) *resolution {
	byFile := func(i, j int) bool { return docs[i].file < docs[j].file }
	if !sort.SliceIsSorted(docs, byFile) { // they come listed in order
		sort.SliceStable(docs, byFile)
	}
	per := map[Section]int{}
	for _, p := range docs {
		per[p.sec]++
	}
	r := &resolution{s: s, caseFields: make(map[*Case]*frontMatter, per[SectionCase]), termFields: make(map[*Term]*fields, per[SectionTerm]),
		year: time.Now().Year()}
	seen := map[Section]map[string]string{}
	reserved := map[string]bool{}
	for _, slug := range ReservedSlugs {
		reserved[slug] = true
	}
	s.draftSlugs = map[string]bool{}
	for _, p := range docs {
		if p.doc == nil { // a skipped draft
			s.draftSlugs[p.sec.Dir()+"/"+p.draft] = true
			continue
		}
		d := docOf(p.doc)
		if d.Slug == "" {
			continue
		}
		if seen[p.sec] == nil {
			seen[p.sec] = make(map[string]string, per[p.sec])
		}
		if prev, dup := seen[p.sec][d.Slug]; dup {
			errs.Addf(p.file, 1, "sluggen %q används redan av %s (filnamn som bara skiljer sig i versaler, å/ä/ö eller skiljetecken ger samma adress); byt namn på en av filerna", d.Slug, prev)
			continue
		}
		seen[p.sec][d.Slug] = p.file
		if p.sec == SectionCase && slices.Contains(ReservedCaseSlugs, d.Slug) {
			errs.Addf(p.file, 1, "exemplet skulle få adressen /exempel/%s/, som portalen själv använder; byt filnamn", d.Slug)
			continue
		}
		if p.sec == SectionPage && reserved[d.Slug] {
			errs.Addf(p.file, 1, "sidan skulle få adressen /%s/, som portalen själv använder; byt filnamn", d.Slug)
			continue
		}
		switch v := p.doc.(type) {
		case *Case:
			r.cases = append(r.cases, v)
			r.caseFields[v] = &p.fm
		case *Term:
			r.terms = append(r.terms, v)
			// Errors found while resolving go straight to the build's list.
			r.termFields[v] = p.fm.fields(errs)
		case *Page:
			r.pages = append(r.pages, v)
		}
	}
	return r
}

// checkFormerSlugs checks each case's former_slugs: a slug, not the
// address of a case or of the portal's own pages, and claimed by one case
// only, so that every old address redirects to exactly one case.
func (r *resolution) checkFormerSlugs(errs *diag.List) {
	var current map[string]*Case // made when a case has former slugs
	claimed := map[string]*Case{}
	for _, c := range r.cases {
		fm := r.caseFields[c]
		if !fm.former {
			continue
		}
		items := fm.fields(errs).list("former_slugs", false)
		if len(items) > 0 && current == nil {
			current = make(map[string]*Case, len(r.cases))
			for _, c := range r.cases {
				current[c.Slug] = c
			}
		}
		for _, it := range items {
			switch slug := sv.Slugify(it.Value); {
			case slug != it.Value:
				errs.Addf(c.File, it.Line, "former_slugs: %q är ingen slug; skriv den gamla adressens sista del, till exempel %q", it.Value, slug)
			case current[slug] != nil:
				errs.Addf(c.File, it.Line, "former_slugs: /exempel/%s/ är adressen till %s; en gammal adress kan inte vara ett exempels nuvarande", slug, current[slug].File)
			case slices.Contains(ReservedCaseSlugs, slug):
				errs.Addf(c.File, it.Line, "former_slugs: /exempel/%s/ används av portalen själv", slug)
			case claimed[slug] != nil:
				errs.Addf(c.File, it.Line, "former_slugs: %q leder redan till %s; en gammal adress kan bara leda till ett exempel", slug, claimed[slug].File)
			default:
				claimed[slug] = c
				c.FormerSlugs = append(c.FormerSlugs, slug)
			}
		}
	}
}

// indexTerms indexes the glossary by title and alias (each name leads to
// one term), terms and cases by slug, and the names offered as
// suggestions.
func (r *resolution) indexTerms(errs *diag.List) {
	r.termIdx = map[string]*Term{}
	termSrc := map[string]string{}
	for _, t := range r.terms {
		f := r.termFields[t]
		names := append([]string{t.Title}, t.Aliases...)
		for i, n := range names {
			k := foldKey(n)
			if k == "" {
				continue
			}
			if other, dup := r.termIdx[k]; dup && other != t {
				line := f.lineOf("title")
				if i > 0 {
					line = f.lineOf("aliases")
				}
				errs.Addf(t.File, line, "%q är redan titel eller alias för %s; ett namn kan bara leda till ett begrepp", n, termSrc[k])
				continue
			}
			r.termIdx[k] = t
			termSrc[k] = t.File
		}
	}
	r.termBySlug = map[string]*Term{}
	for _, t := range r.terms {
		if t.IsModel() {
			r.modelNames = append(r.modelNames, t.Title)
		}
		r.termBySlug[t.Slug] = t
		r.termSlugs = append(r.termSlugs, t.Slug)
	}
	r.caseBySlug = map[string]*Case{}
	for _, c := range r.cases {
		r.caseBySlug[c.Slug] = c
	}
	r.caseSlugs = sync.OnceValue(func() []string { // built on the first unknown slug only
		var slugs []string
		for _, o := range r.cases {
			slugs = append(slugs, o.Slug)
		}
		return slugs
	})
	for _, k := range r.s.Kommuner {
		r.kommunNames = append(r.kommunNames, k.Name)
	}
	for _, l := range r.s.Lan {
		r.lanNames = append(r.lanNames, l.Name)
	}
	for _, d := range r.s.Sources {
		r.sourceIDs = append(r.sourceIDs, d.ID)
	}
}

// published reports whether d is published in this build.
func (s *Site) published(d *Doc) bool { return s.Drafts || !d.Draft }

// resolveCases resolves the cases, which are independent of each other:
// on every core, each worker with its own memo of folded labels and its
// own error list. With a memo (a cache's: the preview's loads), a case
// whose file and context are those of an earlier load takes that load's
// resolution (resolvedCase) instead of reading its front matter again;
// the memo then holds this load's resolutions.
func (r *resolution) resolveCases(memo *resolveMemo, errs *diag.List) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(r.cases)/256))
	lists := make([]diag.List, workers)
	ctx, year := r.contextSig(), uint64(r.year)
	for _, c := range r.cases {
		c.resolveKey = resolveKey(ctx, year, c.Hash)
	}
	r.s.frontCtx = resolveKey(ctx, year, 0)
	var ix *resolveIndex
	var got []resolvedCase    // this load's, by case
	var hits []resolvedCase   // by case, the last load's resolution of the same file (ok)
	var into []resolvedArrays // each case's windows of the arrays its references go in
	if memo != nil {
		ix = r.newResolveIndex()
		last := memo.in(ctx)
		got = make([]resolvedCase, len(r.cases))
		hits = make([]resolvedCase, len(r.cases))
		for i, c := range r.cases {
			if rc, ok := last[c.File]; ok && rc.hash == c.Hash {
				hits[i] = rc
			}
		}
		into = newResolvedArrays(r.cases, hits)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fold := folder{}
			for i := w; i < len(r.cases); i += workers {
				c := r.cases[i]
				if memo == nil {
					r.resolveCase(c, fold, &lists[w])
					continue
				}
				if rc := hits[i]; rc.ok && r.applyResolved(c, rc, into[i], &lists[w]) {
					got[i] = rc
					resolvedFromMemo.Add(1)
					continue
				}
				n := lists[w].Len()
				r.resolveCase(c, fold, &lists[w])
				if lists[w].Len() == n {
					got[i] = ix.record(c)
				}
			}
		}()
	}
	wg.Wait()
	for w := range lists {
		errs.Merge(&lists[w])
	}
	if memo != nil {
		memo.set(ctx, r.cases, got)
	}
}

// resolvedFromMemo counts the cases resolveCases took from its memo (for
// the tests).
var resolvedFromMemo atomic.Int64

// resolveCase resolves one case's places, vocabulary values, investment
// models and related cases.
func (r *resolution) resolveCase(c *Case, fold folder, errs *diag.List) {
	s := r.s
	f := r.caseFields[c].fields(errs)
	for _, it := range f.list("municipality", false) {
		k := s.kommunFold[fold.key(strings.TrimSuffix(strings.TrimSuffix(it.Value, " kommun"), " stad"))]
		if k == nil {
			errs.Addf(c.File, it.Line, "%s", unknownMsg("municipality", "okänd kommun", it.Value, r.kommunNames))
			continue
		}
		c.Municipalities = appendUnique(c.Municipalities, k)
	}
	for _, it := range f.list("region", false) {
		l := s.lanFold[fold.key(it.Value)]
		if l == nil {
			l = s.lanFold[foldKey(it.Value+" län")]
		}
		if l == nil {
			errs.Addf(c.File, it.Line, "%s", unknownMsg("region", "okänt län", it.Value, r.lanNames))
			continue
		}
		c.ExplicitRegions = appendUnique(c.ExplicitRegions, l)
	}
	c.Regions = append([]*Lan(nil), c.ExplicitRegions...)
	for _, k := range c.Municipalities {
		c.Regions = appendUnique(c.Regions, k.Lan)
	}
	switch {
	case c.Place != "" && c.Country == "":
		errs.Addf(c.File, f.lineOf("place"), "place kräver country (till exempel country: Storbritannien)")
	case c.International() && (f.present("municipality") || f.present("region")):
		errs.Addf(c.File, f.lineOf("country"), "ett internationellt exempel (country: %s) har place i stället för municipality och region", c.Country)
	case !f.present("municipality") && !f.present("region") && c.Country == "":
		errs.Addf(c.File, f.line, "ange municipality (en kommun) eller region (ett län), eller country för nationella och internationella exempel")
	}
	c.Sources = r.citations(c.File, c.Sources, nil, errs)
	r.dateStatus(c)
	c.TargetGroups = s.values(c, f, "target_group", true, fold, errs)
	c.FocusAreas = s.values(c, f, "focus_area", false, fold, errs)
	if ct := s.values(c, f, "case_type", false, fold, errs); len(ct) > 1 {
		errs.Addf(c.File, f.lineOf("case_type"), "case_type: ange en enda typ, inte %d", len(ct))
	} else if len(ct) == 1 {
		c.CaseType = ct[0]
	}
	for _, it := range f.list("investment_model", true) {
		t := r.termIdx[fold.key(it.Value)]
		switch {
		case t == nil:
			errs.Addf(c.File, it.Line, "%s", unknownMsg("investment_model", "okänd investeringsmodell", it.Value, r.modelNames)+
				" (en investeringsmodell är ett begrepp i content/begrepp/ med kind: investeringsmodell)")
		case !t.IsModel():
			errs.Addf(c.File, it.Line, "investment_model: %q är ett begrepp (%s), inte en investeringsmodell", it.Value, t.File)
		default:
			if s.published(&t.Doc) {
				c.InvestmentModels = appendUnique(c.InvestmentModels, t)
			}
		}
	}
	for _, it := range f.list("related", false) {
		slug := strings.TrimSuffix(strings.TrimPrefix(strings.Trim(it.Value, "/"), "exempel/"), ".md")
		o := r.caseBySlug[slug]
		switch {
		case o == nil && s.draftSlugs["exempel/"+slug]:
			// related to a draft: shown once the draft is published
		case o == nil:
			errs.Addf(c.File, it.Line, "%s", unknownMsg("related", "okänt exempel", it.Value, r.caseSlugs()))
		case o == c:
			errs.Addf(c.File, it.Line, "related: ett exempel kan inte vara relaterat till sig självt")
		default:
			c.RelatedSlugs = append(c.RelatedSlugs, o.Slug)
			if s.published(&o.Doc) {
				c.Related = appendUnique(c.Related, o)
			}
		}
	}
}

// resolveTerms resolves the related terms of every term, by slug or by
// title and alias.
func (r *resolution) resolveTerms(errs *diag.List) {
	for _, t := range r.terms {
		t.Sources = r.citations(t.File, t.Sources, nil, errs)
		f := r.termFields[t]
		for _, it := range f.list("related", false) {
			slug := strings.TrimSuffix(strings.TrimPrefix(strings.Trim(it.Value, "/"), "begrepp/"), ".md")
			o := r.termBySlug[slug]
			if o == nil {
				if byName := r.termIdx[foldKey(it.Value)]; byName != nil {
					o = byName
				}
			}
			switch {
			case o == nil && r.s.draftSlugs["begrepp/"+slug]:
			case o == nil:
				errs.Addf(t.File, it.Line, "%s", unknownMsg("related", "okänt begrepp", it.Value, r.termSlugs))
			case o == t:
				errs.Addf(t.File, it.Line, "related: ett begrepp kan inte vara relaterat till sig självt")
			default:
				t.RelatedSlugs = append(t.RelatedSlugs, o.Slug)
				if r.s.published(&o.Doc) {
					t.Related = appendUnique(t.Related, o)
				}
			}
		}
	}
}

// dateStatus dates a case's status by its newest source when status_as_of
// does not, and marks an open status older than StatusStaleYears stale.
func (r *resolution) dateStatus(c *Case) {
	if c.StatusAsOf.IsZero() {
		for _, src := range c.Sources {
			if src.Doc.Date.After(c.StatusAsOf) {
				c.StatusAsOf = src.Doc.Date
			}
		}
	}
	c.StatusStale = c.Status.Open() && !c.StatusAsOf.IsZero() &&
		r.year-c.StatusAsOf.Year > r.s.Config.StatusStaleYears
}

// citations returns the citations of a document with the register
// documents they name, in into when it has room for them, else in a new
// slice (never in cites: the parsed one may be shared with another load
// through the cache). An unknown id is an error with the closest id.
func (r *resolution) citations(file string, cites []Source, into []Source, errs *diag.List) []Source {
	if len(cites) == 0 {
		return nil
	}
	var out []Source
	if cap(into) >= len(cites) {
		out = into[:0:len(cites)]
	} else {
		out = make([]Source, 0, len(cites))
	}
	for _, c := range cites {
		d := r.s.sourceByID[c.ID]
		if d == nil {
			errs.Addf(file, c.Line, "%s (källorna står i content/kallor.yaml)", unknownMsg("sources", "okänd källa", c.ID, r.sourceIDs))
			continue
		}
		c.Doc = d
		out = append(out, c)
	}
	return out
}

// publish puts the published documents in the site, sorted. With a memo,
// the cases keep the last load's order when it is still theirs.
func (r *resolution) publish(memo *resolveMemo) {
	s := r.s
	for _, c := range r.cases {
		if s.published(&c.Doc) {
			s.Cases = append(s.Cases, c)
		}
	}
	for _, t := range r.terms {
		if s.published(&t.Doc) {
			s.Terms = append(s.Terms, t)
		}
	}
	for _, p := range r.pages {
		if s.published(&p.Doc) {
			s.Pages = append(s.Pages, p)
		}
	}
	if !memo.sortLike(s.Cases) {
		sortDocs(s.Cases, func(c *Case) *Doc { return &c.Doc })
		memo.keepOrder(s.Cases)
	}
	sortDocs(s.Terms, func(t *Term) *Doc { return &t.Doc })
	sortDocs(s.Pages, func(p *Page) *Doc { return &p.Doc })
	for _, c := range s.Cases {
		for _, src := range c.Sources {
			if n := len(src.Doc.Cases); n == 0 || src.Doc.Cases[n-1] != c {
				src.Doc.Cases = append(src.Doc.Cases, c)
			}
		}
	}
	for _, t := range s.Terms {
		for _, src := range t.Sources {
			if n := len(src.Doc.Terms); n == 0 || src.Doc.Terms[n-1] != t {
				src.Doc.Terms = append(src.Doc.Terms, t)
			}
		}
	}
}

// folder memoizes foldKey within one resolve, where the same few hundred
// labels recur in thousands of documents.
type folder map[string]string

func (m folder) key(s string) string {
	k, ok := m[s]
	if !ok {
		k = foldKey(s)
		m[s] = k
	}
	return k
}

// values resolves a vocabulary field of a case.
func (s *Site) values(c *Case, f *fields, vocab string, required bool, fold folder, errs *diag.List) []*Value {
	v := s.Vocab[vocab]
	var out []*Value
	items := f.list(vocab, required)
	for i := 0; i < len(items); i++ {
		it := items[i]
		var val *Value
		if v != nil {
			val = v.byFold[fold.key(it.Value)] // v.Lookup(it.Value)
		}
		if val == nil && v != nil {
			// [Politiker, chefer och medarbetare]: YAML split a label
			// with a comma into items that are each unknown.
			joined := it.Value
			for j := i + 1; j < len(items) && items[j].Line == it.Line; j++ {
				joined += ", " + items[j].Value
				if whole := v.byFold[fold.key(joined)]; whole != nil {
					errs.Addf(c.File, it.Line, "%s: YAML delade %q vid kommatecknet i listan [ … ]; skriv ett värde per rad (  - %s) eller sätt det inom citattecken", vocab, whole.Label, whole.Label)
					out = appendUnique(out, whole)
					i = j
					break
				}
			}
			if i > 0 && items[i].Line == it.Line && items[i] != it {
				continue
			}
		}
		if val == nil {
			var labels []string
			if v != nil { // nil when vokabular.yaml could not be read
				for _, x := range v.Values {
					labels = append(labels, x.Label)
				}
			}
			msg := unknownMsg(vocab, "okänt värde", it.Value, labels)
			if len(labels) == 0 {
				msg = fmt.Sprintf("%s: vokabulären %s saknas i content/vokabular.yaml", vocab, vocab)
			}
			errs.Addf(c.File, it.Line, "%s", msg)
			continue
		}
		out = appendUnique(out, val)
	}
	return out
}

// unknownMsg builds "field: okänt värde "x" (menade du "y"?)", listing the
// allowed values when there are few and no close match.
func unknownMsg(field, what, value string, candidates []string) string {
	msg := fmt.Sprintf("%s: %s %q", field, what, value)
	if s := sv.Suggest(value, candidates); s != "" {
		return msg + fmt.Sprintf(" (menade du %q?)", s)
	}
	if len(candidates) > 0 && len(candidates) <= 20 {
		sorted := append([]string(nil), candidates...)
		sort.Slice(sorted, func(i, j int) bool { return sv.Less(sorted[i], sorted[j]) })
		return msg + "; tillåtna värden: " + strings.Join(sorted, ", ")
	}
	return msg
}

func appendUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// sortDocs sorts by title in Swedish order, then by slug, with the
// collation keys computed when the files were read.
func sortDocs[T any](s []T, doc func(T) *Doc) {
	sv.SortStableKeyed(s, func(x T) []byte { return doc(x).TitleKey() }, func(x T) string { return doc(x).Slug })
}

func docOf(d any) *Doc {
	switch v := d.(type) {
	case *Case:
		return &v.Doc
	case *Term:
		return &v.Doc
	case *Page:
		return &v.Doc
	}
	return nil
}
