package site

import (
	"bytes"
	"html/template"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/markdown"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/search"
)

// snapshot is what an incremental Builder keeps of its last good build, so
// Patch can redo only what a body edit changes.
type snapshot struct {
	site     *content.Site
	g        *crossRefs
	tpl      *templates
	md       func() *markdown.Renderer // made on first use
	rendered map[*content.Doc]*markdown.Rendered
	jobs     []*job
	terms    *search.Expander
	od       *openData // the open data, made when read

	// Made by index, when the first Patch needs them: a build that is
	// followed by another build (front-matter edits) never does.
	indexed   sync.Once
	docs      map[string]*content.Doc // by file (content/exempel/x.md)
	cases     map[*content.Doc]*content.Case
	caseIndex map[*content.Case]int // position in site.Cases
	termByURL map[string]*content.Term
	pages     map[string]*job // page jobs by URL path
}

func newSnapshot(s *content.Site, g *crossRefs, tpl *templates, md func() *markdown.Renderer,
	rendered map[*content.Doc]*markdown.Rendered, jobs []*job) *snapshot {
	return &snapshot{site: s, g: g, tpl: tpl, md: md, rendered: rendered, jobs: jobs}
}

// index makes the snapshot's maps, once.
func (sn *snapshot) index() {
	sn.indexed.Do(func() {
		s := sn.site
		sn.docs, sn.cases = map[string]*content.Doc{}, map[*content.Doc]*content.Case{}
		sn.caseIndex, sn.termByURL, sn.pages = map[*content.Case]int{}, map[string]*content.Term{}, map[string]*job{}
		for i, c := range s.Cases {
			sn.docs[c.File] = &c.Doc
			sn.cases[&c.Doc] = c
			sn.caseIndex[c] = i
		}
		for _, t := range s.Terms {
			sn.docs[t.File] = &t.Doc
			sn.termByURL[t.URL()] = t
		}
		for _, p := range s.Pages {
			sn.docs[p.File] = &p.Doc
		}
		for _, j := range sn.jobs {
			if j.page != nil {
				sn.pages[j.page.Path] = j
			}
		}
	})
}

// doc returns the document of file (content/exempel/x.md), or nil: from
// the maps once index has made them, else by looking through the site.
// Like Patch, not for concurrent use.
func (sn *snapshot) doc(file string) *content.Doc {
	if sn.docs != nil {
		return sn.docs[file]
	}
	for _, c := range sn.site.Cases {
		if c.File == file {
			return &c.Doc
		}
	}
	for _, t := range sn.site.Terms {
		if t.File == file {
			return &t.Doc
		}
	}
	for _, p := range sn.site.Pages {
		if p.File == file {
			return &p.Doc
		}
	}
	return nil
}

// caseOf returns the case of d, a case's document: from the maps once
// index has made them, else by looking through the site (Patch gives up
// on most front-matter edits before it needs the maps).
func (sn *snapshot) caseOf(d *content.Doc) *content.Case {
	if sn.cases != nil {
		return sn.cases[d]
	}
	for _, c := range sn.site.Cases {
		if &c.Doc == d {
			return c
		}
	}
	return nil
}

// bodyEdit is one document whose body changed, or whose text fields
// (content.SameOutline) did.
type bodyEdit struct {
	doc *content.Doc
	bf  *content.BodyFile
	r   *markdown.Rendered
	// next is the new reading of an edited case's front matter; nil when
	// only the body changed.
	next *content.Case
}

// Patch brings the last build up to date after the given files (slash
// paths below the root, as the watcher reports them) changed, when every
// one of them is a document of that build whose front matter is unchanged,
// or a case whose front matter changed only in its text fields (summary,
// results, lessons, contact, owner, initiator, partners: see
// content.SameOutline). It re-renders only the pages that depend on them:
// each document's own page, the pages it starts or stops linking to (their
// "Nämns i" lists), the glossary pages whose lists of mentioning cases
// change and, for a case's text fields, every page that shows its card
// and every page it links to; it writes just those files to w, and leaves
// the files made when read (feeds, open data) to be made again when w is
// an output.LaterWriter.
//
// Patch returns ok=false, having changed nothing, when the changes need a
// full Build: new, deleted or renamed files, other front matter,
// vocabularies, data, layouts or assets, content errors, or no earlier
// good build (Incremental off, or the last Build failed). A Build after
// Changed with the same files then uses the content Patch read. With
// ok=true a non-nil error is a *diag.List of markdown errors in the edited
// bodies, and the last build is kept as it was.
func (b *Builder) Patch(changed []string, w output.Writer) (res *Result, ok bool, err error) {
	sn := b.last
	b.loaded = nil
	if sn == nil || len(changed) == 0 {
		return nil, false, nil
	}
	start := time.Now()
	// A few files are looked for one by one: a front-matter edit, which
	// ends here, never needs the snapshot's maps.
	if len(changed) > 16 {
		sn.index()
	}
	seen := map[string]bool{}
	var edits []*bodyEdit
	front := false
	for _, p := range changed {
		if seen[p] {
			continue
		}
		seen[p] = true
		d := sn.doc(p)
		if d == nil {
			return nil, false, nil
		}
		bf, err := content.ReadBody(b.opts.Root, p)
		if err != nil {
			return nil, false, nil
		}
		if bf.MetaHash != d.MetaHash {
			if d.Section != content.SectionCase {
				return nil, false, nil
			}
			front = true
		}
		edits = append(edits, &bodyEdit{doc: d, bf: bf})
	}
	var warnings []*diag.Error
	if front {
		var ok bool
		if warnings, ok = b.readFront(sn, edits, changed); !ok {
			return nil, false, nil
		}
	}
	sn.index()
	errs := &diag.List{}
	for _, e := range edits {
		d := e.doc
		r, err := sn.md().Render(mdInput(d, e.bf.Body, e.bf.BodyLine))
		if err != nil {
			errs.AddErr(d.File, err)
			continue
		}
		errs.Merge(r.Errs)
		e.r = r
	}
	if errs.Len() > 0 {
		return nil, true, errs
	}

	// Nothing below can fail on content; apply the edits. The content
	// cache has not read them: a Build with a report reads them again.
	// The backlinks are changed in place below (patchLinks, relink).
	if b.links != nil {
		b.links.valid = false
	}
	for _, e := range edits {
		b.patched = append(b.patched, e.doc.File)
	}
	dirty := map[string]bool{}
	// The files made when read may be made from the site meanwhile.
	b.textMu.Lock()
	defer b.textMu.Unlock()
	for _, e := range edits {
		if e.next == nil {
			continue
		}
		c := sn.cases[e.doc]
		c.TakeText(e.next)
		e.doc.MetaHash = e.next.MetaHash
		var buf bytes.Buffer
		card, err := sn.tpl.renderCard(&buf, c)
		if err != nil {
			b.last = nil
			errs.AddErr("layouts/partials/case-list.html", err)
			return nil, true, errs
		}
		sn.tpl.cards[c] = card
		for u := range sn.showing(c) {
			dirty[u] = true
		}
	}
	if front {
		sn.site.Warnings = warnings
	}
	for _, e := range edits {
		d := e.doc
		old := sn.rendered[d]
		d.Body, d.BodyLine, d.Hash = e.bf.Body, e.bf.BodyLine, e.bf.Hash
		sn.rendered[d] = e.r
		sn.g.body[d] = template.HTML(e.r.HTML)
		b.md.mu.Lock()
		if me, ok := b.md.m[d.File]; ok {
			me.key, me.file, me.r = mdKey(mdInput(d, d.Body, d.BodyLine)), d.Hash, e.r
			b.md.m[d.File] = me
		}
		b.md.mu.Unlock()
		dirty[d.URL()] = true
		var oldLinks []string
		if old != nil {
			oldLinks = old.Links
		}
		for _, u := range sn.patchLinks(d, oldLinks, e.r.Links) {
			dirty[u] = true
		}
		if e.next != nil {
			// The pages it links to list its summary ("Nämns i").
			for _, u := range sn.relink(d, e.r.Links) {
				dirty[u] = true
			}
		}
	}

	urls := slices.Sorted(maps.Keys(dirty))
	pages := 0
	for _, u := range urls {
		j := sn.pages[u]
		if j == nil {
			continue // a link to something that is not a page of its own
		}
		p := j.page
		if p.Doc != nil {
			p.Body = sn.g.body[p.Doc]
			p.Backlinks = sn.g.backlinks[u]
		}
		if p.Case != nil {
			p.Description = p.Case.Summary
		}
		if p.Term != nil {
			p.Mentions = termMentions(sn.g, p.Term)
		}
		if p.Indexed && sn.terms != nil {
			setTerms(sn.terms, p, indexedText(p))
		}
		data, err := sn.tpl.execute(j.layout, p)
		if err != nil {
			b.last = nil // the graph has moved on; the next build starts afresh
			errs.AddErr("layouts/"+j.layout+".html", err)
			return nil, true, errs
		}
		if err := w.Write(j.path, data); err != nil {
			b.last = nil
			return nil, true, err
		}
		pages++
	}
	if lw, ok := w.(output.LaterWriter); ok && front {
		// Feeds and open data show the text fields: made again when read.
		if err := writeLater(lw, &b.textMu, sn.jobs, sn.od, sn.tpl); err != nil {
			b.last = nil
			return nil, true, err
		}
	}
	return &Result{Files: pages, Pages: pages, Rendered: pages, Site: sn.site,
		Phases: []Phase{{Name: "uppdatera ändrad text", Duration: time.Since(start)}}}, true, nil
}

// patchLinks updates backlinks and glossary mentions after d's links went
// from old to new, with the same outcome as newCrossRefs, and returns the URLs
// whose pages list d differently now.
func (sn *snapshot) patchLinks(d *content.Doc, old, new []string) []string {
	c := sn.cases[d]
	in := func(list []string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, u := range list {
			m[u] = true
		}
		return m
	}
	oldSet, newSet := in(old), in(new)
	from := newLink(d)
	g := sn.g
	var affected []string
	for _, u := range old {
		if newSet[u] {
			continue
		}
		affected = append(affected, u)
		ls := g.backlinks[u]
		for i := range ls {
			if ls[i].URL == from.URL {
				ls = append(ls[:i:i], ls[i+1:]...)
				break
			}
		}
		if len(ls) == 0 {
			delete(g.backlinks, u)
		} else {
			g.backlinks[u] = ls
		}
		if t := sn.termByURL[u]; t != nil && c != nil {
			cs := g.termCases[t]
			out := cs[:0:0]
			for _, x := range cs {
				if x != c {
					out = append(out, x)
				}
			}
			if len(out) == 0 {
				delete(g.termCases, t)
			} else {
				g.termCases[t] = out
			}
		}
	}
	for _, u := range new {
		if oldSet[u] {
			continue
		}
		affected = append(affected, u)
		ls := g.backlinks[u]
		i := sort.Search(len(ls), func(i int) bool { return compareLinks(from, ls[i]) < 0 })
		g.backlinks[u] = append(ls[:i:i], append([]*link{from}, ls[i:]...)...)
		if t := sn.termByURL[u]; t != nil && c != nil {
			cs := g.termCases[t]
			ci := sn.caseIndex[c]
			k := sort.Search(len(cs), func(k int) bool { return sn.caseIndex[cs[k]] > ci })
			g.termCases[t] = append(cs[:k:k], append([]*content.Case{c}, cs[k:]...)...)
		}
	}
	return affected
}

// compareLinks orders links as lists show them: cases, then terms, then
// pages; by title the Swedish way (their keys);
// then by URL.
func compareLinks(a, b *link) int {
	if a.Kind != b.Kind {
		return kindRank(a.Kind) - kindRank(b.Kind)
	}
	if c := bytes.Compare(a.key, b.key); c != 0 {
		return c
	}
	return strings.Compare(a.URL, b.URL)
}

// readFront reads the content again after front-matter edits of cases
// (only the reported files are parsed; the content cache has the others)
// and gives each such edit the case's new reading. It reports false when
// a full build is needed: content errors, or an edit that changes more
// than the case's text fields. The Build after it then uses this reading
// (Builder.loaded). The warnings are those of the new reading.
func (b *Builder) readFront(sn *snapshot, edits []*bodyEdit, changed []string) ([]*diag.Error, bool) {
	report := slices.Clone(changed)
	s, err := b.load(report)
	b.loaded = &loaded{report: report, site: s, err: err}
	if err != nil || s == nil {
		return nil, false
	}
	byFile := map[string]*bodyEdit{}
	for _, e := range edits {
		if e.bf.MetaHash != e.doc.MetaHash {
			byFile[e.doc.File] = e
		}
	}
	found := 0
	for _, c := range s.Cases {
		e := byFile[c.File]
		if e == nil {
			continue
		}
		if !content.SameOutline(sn.caseOf(e.doc), c) {
			return nil, false
		}
		// The body as this reading has it, with its front matter.
		e.next = c
		e.bf = &content.BodyFile{Hash: c.Hash, MetaHash: c.MetaHash, Body: c.Body, BodyLine: c.BodyLine}
		found++
	}
	if found != len(byFile) {
		return nil, false // a case left out now (a draft, say)
	}
	b.loaded = nil
	return s.Warnings, true
}

// showing returns the URLs of the pages that show c's card or its
// summary: its own page and every list with it.
func (sn *snapshot) showing(c *content.Case) map[string]bool {
	out := map[string]bool{c.URL(): true}
	has := func(cs []*content.Case) bool { return slices.Contains(cs, c) }
	for _, j := range sn.jobs {
		p := j.page
		if p == nil {
			continue
		}
		show := has(p.Cases) || has(p.Related) || has(p.Latest) || has(p.UsedBy) || has(p.Mentions)
		for _, cs := range p.ModelCases {
			show = show || has(cs)
		}
		if show {
			out[p.Path] = true
		}
	}
	return out
}

// relink gives the pages d links to a new link to d, with its fields as
// they are now, and returns their URLs.
func (sn *snapshot) relink(d *content.Doc, links []string) []string {
	from := newLink(d)
	var out []string
	for _, u := range links {
		ls := sn.g.backlinks[u]
		for i := range ls {
			if ls[i].URL == from.URL {
				ls[i] = from
				out = append(out, u)
				break
			}
		}
	}
	return out
}
