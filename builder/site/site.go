// Package site builds the portal. Build runs these phases in this order,
// each timed once and each using every core inside itself:
//
//	load      content.Load: site.yaml, data, vocabularies, documents, validation
//	assets    Sass (cached), static files, layouts                      (loadAssets)
//	markdown  every document's body: links resolved, glossary linked    (renderMarkdown, resolver.go)
//	          beside it, from the front matter alone: facets, related
//	          cases, each case's card, the documents' output folders    (derive, renderCards, makeDocDirs)
//	links     the link graph: bodies, backlinks, term mentions          (newCrossRefs)
//	plan      every file: URL, layout, page data and memo key           (plan.go, urls.go)
//	render    the layouts, in parallel; one writer; robots              (render.go)
//
// The command line then indexes the written site for search (Pagefind)
// and publishes it (output.Disk.Commit), timed in the same list. Content,
// link, Sass and template errors are all collected and reported at once;
// when there is any error, Build writes nothing. An incremental Builder
// (the preview) keeps a memo of pages by key (memo.go) and patches text
// edits (patch.go) through the same plan. It also keeps what each phase
// can reuse when its inputs are the same: parsed documents (content.Cache,
// told of changed files by Changed), rendered markdown (mdCache), search
// terms (search.Memo), related cases (relatedMemo), the drawn map
// (mapCache); and with an output.LaterWriter it leaves the files no page
// is made from (feeds, open data, the link picker's and search page's
// lists, the sitemap) to be made when first read (writeLater).
package site

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/geo"
	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/markdown"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/search"
	"github.com/exempelbanken/portal/builder/sv"
)

// Options configures a Builder.
type Options struct {
	Root    string // site root holding content/, layouts/, assets/
	Drafts  bool   // include drafts
	BaseURL string // overrides site.yaml baseURL when set
	// Theme provides layouts/ and assets/ for a root that lacks them
	// (usually portal.Theme, the repository's own).
	Theme fs.FS
	// StableAssets publishes CSS and JS under fixed names (css/main.css)
	// instead of fingerprinted ones, so the preview server can swap a
	// stylesheet without touching any page.
	StableAssets bool
	// Incremental keeps parsed documents and rendered markdown between
	// builds, so a rebuild only redoes what changed (the preview server).
	// A one-off build leaves it off and keeps no caches in memory.
	Incremental bool
	// HTMLTemplateOnly renders every page with html/template instead of
	// htmlexec (portal -htmlexec=false): slower, for comparing the two
	// or ruling htmlexec out.
	HTMLTemplateOnly bool
	// NoSearchTerms leaves out the extra search terms of the pages (the
	// parts of their compounds and their synonyms), for comparisons.
	NoSearchTerms bool
	// NoOpenData leaves out the open data (/data/) and the Atom feeds,
	// for comparisons.
	NoOpenData bool
	// CacheDir, when set, keeps rendered markdown between processes in
	// this folder (mdStore): a one-off build renders only the documents
	// that changed since the last. Incremental builds keep it in memory
	// instead and ignore CacheDir.
	CacheDir string
	// LeaveOutBrokenDrafts, with Drafts, leaves out drafts that have
	// errors (content.WithBrokenDraftsLeftOut): the preview server's way of
	// keeping one broken draft from hiding every other change.
	LeaveOutBrokenDrafts bool
}

// Phase is one timed step of a build.
type Phase struct {
	Name     string
	Duration time.Duration
	// CPU is the processor time the whole process spent during the
	// phase (all threads, user and system), or 0 when not measured.
	CPU time.Duration
}

// Result describes a finished build.
type Result struct {
	Files int // files written
	Pages int // HTML pages written (not one left to be made when read, output.LaterWriter)
	// Rendered counts the pages whose layout was executed; an incremental
	// build reuses the others from the build before.
	Rendered int
	// Spliced counts the pages made from the memo with a new facet
	// overview spliced in (templates.navOnly), not rendered again.
	Spliced int
	// Kept counts the pages that the writer kept from the last build,
	// not rendered again (Options.CacheDir, output.Keeper).
	Kept   int
	Phases []Phase
	Site   *content.Site
	// Fallbacks counts pages that htmlexec left to html/template.
	Fallbacks int
	// NoEditor reports that Decap CMS was not found: /admin/ only says
	// how to install it (cms.ErrNoDecap).
	NoEditor bool
}

// Builder builds a site. It keeps a Dart Sass process and parse caches
// between builds, so the preview server can rebuild quickly; call Close
// when done. A Builder must not run two builds at once.
type Builder struct {
	opts    Options
	sass    *assets.Sass
	cache   *content.Cache
	md      mdCache
	last    *snapshot    // the last good build, for Patch (Incremental only)
	memo    *memo        // pages and cards of earlier builds (Incremental only)
	terms   *search.Memo // the pages' search terms of earlier builds (Incremental only)
	related *relatedMemo // the related cases of the last build (Incremental only)
	links   *linkMemo    // the backlinks of the last build (Incremental only)
	maps    *mapCache    // the map of the last build (Incremental only)
	store   *mdStore     // rendered markdown of earlier processes (CacheDir)
	// termStore holds the search terms of earlier processes, pageStore
	// what their pages were made from (CacheDir).
	termStore *termStore
	pageStore *pageStore
	dataStore *fileSet // the open data of earlier processes (CacheDir)
	feedStore *fileSet // the Atom feeds of earlier processes (CacheDir)
	// relatedStore has the related cases of earlier processes (CacheDir).
	relatedStore *relatedStore
	// cardStore has the cases' cards of earlier processes (CacheDir).
	cardStore *cardStore
	// contentStore has the documents earlier processes parsed (CacheDir).
	contentStore *contentStore
	// opened are the stores of this build, whose saves Build waits for.
	opened []interface{ wait() }
	// reported lists the files reported changed since the last build
	// (Changed; nil: no report, look at every file); patched, the files
	// Patch changed since, which the content cache has not read.
	reported, patched []string
	// loaded is Patch's reading of the content after a report, when it
	// found a full build needed: the Build that follows with the same
	// report uses it instead of reading again.
	loaded *loaded
	// textMu is held for writing while Patch changes a case's text
	// fields, and for reading while a file made when read is made from
	// them (writeLater).
	textMu sync.RWMutex

	themeDir string
	noEditor bool            // the last build found no Decap CMS for /admin/
	media    []*assets.Media // content/media of the current build
	// layouts is the last good incremental build's templates, which the
	// next reuses when its watcher's report names no file below layouts/
	// (keptLayouts).
	layouts *templates
}

// New returns a Builder for opts.
func New(opts Options) *Builder {
	if opts.Root == "" {
		opts.Root = "."
	}
	b := &Builder{opts: opts}
	if opts.Incremental {
		b.cache = content.NewCache()
		b.md.m = map[string]mdEntry{}
		b.memo = newMemo()
		b.memo.filtersByFile = map[string]keyedHash{}
		b.terms = search.NewMemo()
		b.related = &relatedMemo{features: map[string]keyedHash{}}
		b.links = &linkMemo{}
		b.maps = &mapCache{}
	}
	return b
}

// waitStores waits for the saves of the stores this build opened
// (Options.CacheDir).
func (b *Builder) waitStores() {
	for _, s := range b.opened {
		s.wait()
	}
	b.opened = nil
}

// track notes the store p, when there is one, among those waitStores
// waits for, and returns it.
func track[S any, P interface {
	*S
	wait()
}](b *Builder, p P) P {
	if p != nil {
		b.opened = append(b.opened, p)
	}
	return p
}

// Changed tells an incremental Builder which files (slash paths below the
// root, or folders) changed since its last Build or Patch: a file
// watcher's report. The next Build then reads only those of the documents
// it has read before (content.WithOnlyChanged). Without a report it looks
// at every file. Reports add up until a Build.
func (b *Builder) Changed(files []string) {
	b.reported = append(b.reported, files...)
	if b.reported == nil {
		b.reported = []string{}
	}
}

// load reads the content: with a watcher's report (nil: none) only the
// reported documents and those Patch changed are read again, the others
// come from the cache.
func (b *Builder) load(report []string) (*content.Site, error) {
	cache := b.cache
	if b.contentStore != nil {
		cache = b.contentStore.c
		defer b.contentStore.saveEntries()
	}
	opts := []content.Option{content.WithDrafts(b.opts.Drafts), content.WithCache(cache)}
	if report != nil && b.cache != nil {
		opts = append(opts, content.WithOnlyChanged(append(slices.Clip(report), b.patched...)))
	}
	if b.opts.LeaveOutBrokenDrafts {
		opts = append(opts, content.WithBrokenDraftsLeftOut())
	}
	return content.Load(b.opts.Root, opts...)
}

// loaded is a reading of the content that Patch made and could not use,
// for the Build after it with the same report.
type loaded struct {
	report []string
	site   *content.Site
	err    error
}

// Close releases the Dart Sass process.
func (b *Builder) Close() error {
	if b.sass != nil {
		err := b.sass.Close()
		b.sass = nil
		return err
	}
	return nil
}

// timer records phases.
type timer struct {
	phases []Phase
	last   time.Time
	cpu    time.Duration // processCPU at last
}

func newTimer() *timer { return &timer{last: time.Now(), cpu: processCPU()} }

func (t *timer) done(name string) {
	now, cpu := time.Now(), processCPU()
	t.phases = append(t.phases, Phase{name, now.Sub(t.last), cpu - t.cpu})
	t.last, t.cpu = now, cpu
}

// Build builds the whole site into w. On error nothing has been written and
// the error is a *diag.List (content, link, template and Sass errors) or a
// plain error (I/O).
//
// The phases run one after the other, each timed once, each using every
// core inside itself (see the package doc).
func (b *Builder) Build(w output.Writer) (*Result, error) {
	t := newTimer()
	errs := &diag.List{}
	b.last = nil
	if b.opts.CacheDir != "" && !b.opts.Incremental {
		b.contentStore = track(b, openContentStore(b.opts.CacheDir, b.opts.Root))
		b.store = track(b, openMDStore(b.opts.CacheDir, b.opts.Root))
		if !b.opts.NoSearchTerms {
			b.termStore = track(b, openTermStore(b.opts.CacheDir, b.opts.Root))
		}
		b.pageStore = track(b, openPageStore(b.opts.CacheDir, b.opts.Root))
		b.relatedStore = track(b, openRelatedStore(b.opts.CacheDir, b.opts.Root))
		b.cardStore = track(b, openCardStore(b.opts.CacheDir, b.opts.Root))
		if !b.opts.NoOpenData {
			b.dataStore = track(b, openFileSet(b.opts.CacheDir, "data-filer", b.opts.Root, dataStoreMagic))
			b.feedStore = track(b, openFileSet(b.opts.CacheDir, "atom", b.opts.Root, feedStoreMagic))
		}
		defer b.waitStores()
	}

	keep := b.keptLayouts()
	var s *content.Site
	var err error
	if l := b.loaded; l != nil && b.reported != nil && slices.Equal(l.report, b.reported) {
		// Patch read the content after the same report, and found more
		// than text changed.
		s, err = l.site, l.err
	} else {
		s, err = b.load(b.reported)
	}
	b.loaded, b.reported, b.patched = nil, nil, nil
	if err != nil {
		errs.AddErr("content", err)
	}
	t.done("läs och validera innehåll")

	// The media folder and the page bundles' files: the markdown needs
	// to know they exist, and the images' sizes.
	b.media = b.readMedia(s, errs)

	// Styles and layouts do not depend on content: their errors are
	// reported with the content's, all at once.
	css, static, tpl := b.loadAssets(errs, keep)
	t.done("stilmallar och mallar")
	if errs.Len() > 0 {
		return nil, errs
	}
	if b.opts.BaseURL != "" {
		s.Config.BaseURL = b.opts.BaseURL
	}

	// What depends on the front matter alone (facets, related cases, each
	// case's card) is worked out beside the markdown, on the time the
	// render leaves a core idle.
	// The documents' output directories are made meanwhile too (a site's
	// writer spends much of its time on mkdir(2)), until the render.
	var derived derivedData
	var cardErrs diag.List
	// A preview leaves the open data to be made when it is read.
	later, _ := w.(output.LaterWriter)
	if !b.opts.Incremental {
		later = nil
	}
	var od *openData
	var gm *geo.Map
	var mapTook time.Duration
	var mapErrs diag.List
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		rank := b.related.related
		if b.relatedStore != nil {
			rank = b.relatedStore.related
		}
		derived = derive(s, rank)
	}()
	// The cards and the map need the front matter alone too.
	go func() {
		defer wg.Done()
		b.renderCards(tpl, s, &cardErrs)
		// The map is drawn once (a few tens of milliseconds) and its
		// areas reused on every page that shows one.
		ms := time.Now()
		gm = readMap(s, &mapErrs, b.maps)
		mapTook = time.Since(ms)
	}()
	// The open data needs the front matter alone too: beside the rest,
	// since with the markdown kept from the last build (mdStore) it takes
	// longest.
	go func() {
		defer wg.Done()
		od = &openData{}
		if !b.opts.NoOpenData {
			od = makeOpenData(s, later != nil, b.dataStore)
		}
	}()
	// Waited for before the pages are rendered: in a reused tree the
	// writer knows the folders once it has listed the tree, which the
	// phases up to then need not wait for.
	dirsMade := make(chan struct{})
	go func() {
		defer close(dirsMade)
		makeDocDirs(s, w)
	}()
	defer func() { <-dirsMade }()
	rendered, md := b.renderMarkdown(s, errs)
	// The links between the documents need the markdown alone: made
	// while the facets, related cases and cards may still be under way
	// (when the markdown comes from the last build, they take longer).
	ls := time.Now()
	g := newCrossRefs(s, rendered, b.links)
	linksTook := time.Since(ls)
	wg.Wait()
	errs.Merge(&cardErrs)
	errs.Merge(&mapErrs)
	t.done("markdown, länkar, facetter, liknande exempel och kort")
	dataPhase := "  varav öppna data (/data/)"
	if od.later != nil {
		dataPhase = "  varav öppna data (/data/; görs när de läses)"
	}
	t.phases = append(t.phases, Phase{Name: dataPhase, Duration: od.took},
		Phase{Name: "  varav kartan (läs och rita gränserna)", Duration: mapTook},
		Phase{Name: "  varav länkar mellan sidorna", Duration: linksTook})
	if od.err != nil {
		errs.AddErr("", od.err)
	}
	if errs.Len() > 0 {
		return nil, errs
	}

	g.facets, g.related = derived.facets, derived.related
	if !b.opts.Incremental {
		// Only a snapshot needs these; the graph has the bodies. Letting go
		// of them (the link resolver's maps, each document's links) before
		// the pages are written leaves the collector less to trace.
		rendered, md, derived = nil, nil, derivedData{}
	}

	p, err := b.plan(s, g, tpl, css, static, od, gm, later != nil)
	if err != nil {
		return nil, err
	}
	t.done("sidplan")

	<-dirsMade
	out, err := b.render(p, tpl, w)
	if err != nil {
		return nil, err
	}
	if err := writeLater(later, &b.textMu, p.jobs, od, tpl); err != nil {
		return nil, err
	}
	t.done("rendera och skriv sidor")

	if b.opts.Incremental {
		b.last = newSnapshot(s, g, tpl, md, rendered, p.jobs)
		b.last.terms, b.last.od = p.terms, od
		b.layouts = tpl
	}
	return &Result{Files: out.files, Pages: out.pages, Rendered: out.rendered, Spliced: out.spliced, Kept: out.kept, Phases: t.phases, Site: s,
		Fallbacks: int(tpl.fallbacks.Load()), NoEditor: b.noEditor}, nil
}

// keptLayouts returns the templates of the last build when this one may
// use them again: an incremental build told by the watcher what changed
// (Changed), and nothing below layouts/, after a build that succeeded.
// A build that fails keeps none, so that the next reads the layouts
// again and reports their errors.
func (b *Builder) keptLayouts() *templates {
	tpl := b.layouts
	b.layouts = nil
	if tpl == nil || b.reported == nil || !b.opts.Incremental {
		return nil
	}
	for _, f := range b.reported {
		if f == "layouts" || strings.HasPrefix(f, "layouts/") {
			return nil
		}
	}
	tpl.cards = map[*content.Case]template.HTML{}
	tpl.fallbacks.Store(0)
	return tpl
}

// loadAssets compiles the stylesheet and reads the static files and the
// layouts (keep, when not nil: parsed by an earlier build, with the
// Executors it made).
func (b *Builder) loadAssets(errs *diag.List, keep *templates) (css []byte, static []assets.File, tpl *templates) {
	ad, err := b.dirFor("assets")
	if err != nil {
		errs.Addf("assets", 0, "%v", err)
		return nil, nil, nil
	}
	css, static = b.compileAssets(ad, errs)
	ld, err := b.dirFor("layouts")
	if err != nil {
		errs.Addf("layouts", 0, "%v", err)
		return nil, nil, nil
	}
	if keep != nil {
		return css, static, keep
	}
	tpl = loadTemplates(ld, errs)
	if tpl != nil {
		tpl.plain = b.opts.HTMLTemplateOnly
	}
	return css, static, tpl
}

// makeDocDirs has w make the output directories of every document, when
// it can (output.DirMaker).
func makeDocDirs(s *content.Site, w output.Writer) {
	dm, ok := w.(output.DirMaker)
	if !ok {
		return
	}
	dirs := make([]string, 0, len(s.Cases)+len(s.Terms)+len(s.Pages))
	for _, c := range s.Cases {
		dirs = append(dirs, c.URL())
	}
	for _, t := range s.Terms {
		dirs = append(dirs, t.URL())
	}
	for _, p := range s.Pages {
		dirs = append(dirs, p.URL())
	}
	dm.MakeDirs(dirs)
}

// derive works out what depends on the front matter alone: the facets and
// each case's related cases, side by side.
func derive(s *content.Site, rank func(*content.Site, int) map[*content.Case][]*content.Case) derivedData {
	var d derivedData
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		d.facets = buildFacets(s)
	}()
	d.related = rank(s, 4)
	wg.Wait()
	return d
}

// compileAssets compiles assets/scss/main.scss and reads assets/js and
// assets/static.
func (b *Builder) compileAssets(root string, errs *diag.List) ([]byte, []assets.File) {
	var css []byte
	if _, err := os.Stat(filepath.Join(root, "assets", "scss", "main.scss")); err == nil {
		css = b.compileSass(root, errs)
	} else {
		errs.Addf("assets/scss/main.scss", 0, "stilmallen saknas")
	}
	var files []assets.File
	for _, dir := range []string{"assets/js", "assets/static"} {
		fs, err := assets.Static(root, dir)
		if err != nil {
			errs.Addf(dir, 0, "%v", err)
			continue
		}
		if dir == "assets/js" {
			for i := range fs {
				fs[i].Name = "js/" + fs[i].Name
			}
		}
		files = append(files, fs...)
	}
	return css, files
}

// CompileCSS compiles the stylesheet alone, for a change that touches only
// assets/scss. Errors are a *diag.List.
func (b *Builder) CompileCSS() ([]byte, error) {
	ad, err := b.dirFor("assets")
	if err != nil {
		return nil, err
	}
	var errs diag.List
	css := b.compileSass(ad, &errs)
	if errs.Len() > 0 {
		return nil, &errs
	}
	return css, nil
}

// compileSass compiles assets/scss/main.scss, reusing the CSS of an
// earlier compile of exactly the same SCSS files (kept in the user's cache
// folder), so Dart Sass is only started when the styles change.
func (b *Builder) compileSass(root string, errs *diag.List) []byte {
	key, err := assets.SourceHash(filepath.Join(root, "assets", "scss"))
	cacheFile := ""
	if err == nil {
		if dir, err := os.UserCacheDir(); err == nil {
			cacheFile = filepath.Join(dir, "exempelbanken", "css", key+".css")
			if css, err := os.ReadFile(cacheFile); err == nil {
				return css
			}
		}
	}
	if b.sass == nil {
		cwd, _ := os.Getwd()
		exe, _ := os.Executable()
		bin, err := assets.FindDartSass(b.opts.Root, cwd, filepath.Dir(exe))
		if err != nil {
			errs.Addf("assets/scss/main.scss", 0, "%v", err)
			return nil
		}
		s, err := assets.NewSass(bin)
		if err != nil {
			errs.Addf("assets/scss/main.scss", 0, "%v", err)
			return nil
		}
		b.sass = s
	}
	css, err := b.sass.Compile(root, "assets/scss/main.scss")
	if err != nil {
		errs.AddErr("assets/scss/main.scss", err)
		return nil
	}
	if cacheFile != "" {
		if os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
			tmp := cacheFile + ".tmp"
			if os.WriteFile(tmp, css, 0o644) == nil {
				os.Rename(tmp, cacheFile)
			}
		}
	}
	return css
}

// mdRenders counts the documents whose markdown was rendered (for the
// tests).
var mdRenders atomic.Int64

// mdCache keeps rendered markdown between builds of the preview server,
// keyed by document and invalidated when the document's markdown input
// (mdKey: its body, first line, file and URL) or the site's link targets
// change: a front-matter edit that keeps the body's lines renders nothing.
type mdCache struct {
	mu  sync.Mutex
	m   map[string]mdEntry
	sig uint64 // siteSignature of the last build
}

type mdEntry struct {
	key uint64 // mdKey of the input
	// file is the hash of the document file (content.Doc.Hash) the input
	// was cut from: the same file gives the same input, whose key need
	// not be worked out again (hashing every body took 8 ms of CPU per
	// preview build at 10,000 cases).
	file uint64
	sig  uint64
	r    *markdown.Rendered
}

// hit reports whether e holds the rendering of d's markdown input in
// (with the site signature sig). When d's file changed but not the input
// (an edit of the front matter alone), it notes the new file in e and
// reports that too (moved).
func (e *mdEntry) hit(d *content.Doc, in markdown.Input, sig uint64) (hit, moved bool) {
	switch {
	case e.sig != sig:
		return false, false
	case e.file != 0 && e.file == d.Hash:
		return true, false
	case e.key != mdKey(in):
		return false, false
	}
	e.file = d.Hash
	return true, true
}

// mdKey hashes a markdown input.
func mdKey(in markdown.Input) uint64 {
	var h maphash.Hash
	h.SetSeed(linkSeed)
	for _, s := range []string{in.File, in.Dir, in.SelfURL, in.BundleURL, strconv.Itoa(in.Line), strconv.FormatBool(in.Glossary)} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], stable.Sum64(in.Source))
	h.Write(b[:])
	return h.Sum64()
}

// renderMarkdown renders every document's body in parallel. The renderer
// (link resolver and glossary) is made only when a document needs it, as
// is the one returned, for Patch.
func (b *Builder) renderMarkdown(s *content.Site, errs *diag.List) (map[*content.Doc]*markdown.Rendered, func() *markdown.Renderer) {
	media := b.media
	renderer := sync.OnceValue(func() *markdown.Renderer {
		res := newResolver(s, media)
		var gterms []*markdown.GlossaryTerm
		for _, t := range s.Terms {
			gterms = append(gterms, &markdown.GlossaryTerm{Slug: t.Slug, URL: t.URL(), Title: t.Title,
				Summary: t.Summary, Names: append([]string{t.Title}, t.Aliases...)})
		}
		return markdown.New(markdown.WithResolver(res), markdown.WithGlossary(markdown.NewGlossary(gterms)))
	})
	var sig uint64
	if b.md.m != nil { // only the preview server keeps rendered markdown
		sig = siteSignature(s) ^ mediaSignature(b.media)
		b.md.sig = sig
	}
	store := b.store
	var storeSig [sha256.Size]byte
	if store != nil {
		storeSig = mdStoreSignature(s, b.media)
	}
	docs := allDocs(s)
	out := make([]*markdown.Rendered, len(docs))
	var wg sync.WaitGroup
	// Workers take documents by index. (A channel fed by this goroutine
	// cost a quarter of a core: each document waited for the feeder to be
	// scheduled again.)
	var next atomic.Int64
	var mu sync.Mutex
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(docs) {
					return
				}
				d := docs[i]
				in := mdInput(d, d.Body, d.BodyLine)
				var key uint64
				if b.md.m != nil {
					b.md.mu.Lock()
					e, ok := b.md.m[d.File]
					b.md.mu.Unlock()
					if ok {
						if hit, moved := e.hit(d, in, sig); hit {
							out[i] = e.r
							if moved {
								b.md.mu.Lock()
								b.md.m[d.File] = e
								b.md.mu.Unlock()
							}
							continue
						}
					}
					key = mdKey(in)
				}
				var id mdStoreID
				if store != nil {
					id = store.key(&storeSig, in)
					if rd := store.get(id); rd != nil {
						out[i] = rd
						d.Body = nil
						continue
					}
				}
				mdRenders.Add(1)
				rd, err := renderer().Render(in)
				if err != nil {
					mu.Lock()
					errs.AddErr(d.File, err)
					mu.Unlock()
					continue
				}
				out[i] = rd
				if store != nil {
					store.put(id, rd)
				}
				if !b.opts.Incremental {
					d.Body = nil // rendered; a one-off build needs the source no more
				}
				if b.md.m != nil {
					b.md.mu.Lock()
					b.md.m[d.File] = mdEntry{key: key, file: d.Hash, sig: sig, r: rd}
					b.md.mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if store != nil {
		store.saveEntries()
	}
	m := make(map[*content.Doc]*markdown.Rendered, len(docs))
	for i, d := range docs {
		if out[i] == nil {
			continue
		}
		m[d] = out[i]
		errs.Merge(out[i].Errs)
	}
	return m, renderer
}

// allDocs returns every document of the site: cases, terms, pages.
func allDocs(s *content.Site) []*content.Doc {
	docs := make([]*content.Doc, 0, len(s.Cases)+len(s.Terms)+len(s.Pages))
	for _, c := range s.Cases {
		docs = append(docs, &c.Doc)
	}
	for _, t := range s.Terms {
		docs = append(docs, &t.Doc)
	}
	for _, p := range s.Pages {
		docs = append(docs, &p.Doc)
	}
	return docs
}

// readMedia reads content/media and the files beside every bundle's
// index.md.
func (b *Builder) readMedia(s *content.Site, errs *diag.List) []*assets.Media {
	media, err := assets.ReadMedia(b.opts.Root)
	if err != nil {
		errs.Addf(assets.MediaDir, 0, "%v", err)
	}
	if s == nil {
		return media
	}
	docs := allDocs(s)
	for _, d := range docs {
		dir := d.BundleDir()
		if dir == "" {
			continue
		}
		files, err := assets.ReadBundle(b.opts.Root, dir, d.URL())
		if err != nil {
			errs.Addf(dir, 0, "%v", err)
			continue
		}
		media = append(media, files...)
	}
	return media
}

// mdInput is the markdown renderer's input for a document's body.
func mdInput(d *content.Doc, body []byte, line int) markdown.Input {
	in := markdown.Input{File: d.File, Dir: d.Section.Dir(), Source: body, Line: line, SelfURL: d.URL(), Glossary: true}
	if dir := d.BundleDir(); dir != "" {
		in.Dir = strings.TrimPrefix(dir, "content/")
		in.BundleURL = d.URL()
	}
	return in
}

// mediaSignature hashes the names and sizes of the media files: a file
// added, removed or resized changes what the markdown that uses it renders
// to (an error, or other width, height and srcset).
func mediaSignature(media []*assets.Media) uint64 {
	return hashString(mediaSignatureText(media)) * 0x9e3779b97f4a7c15
}

// mediaSignatureText is what mediaSignature hashes.
func mediaSignatureText(media []*assets.Media) string {
	var sb strings.Builder
	for _, m := range media {
		fmt.Fprintf(&sb, "%s\x00%d\x00%d\x00%d\x01", m.URL(), m.Width, m.Height, len(m.Data))
	}
	return sb.String()
}

// siteSignature hashes everything a document's rendering depends on besides
// its own text: the set of link targets (files, slugs, titles) and glossary
// terms.
func siteSignature(s *content.Site) uint64 { return stable.Sum64(siteSignatureText(s)) }

// siteSignatureText is what siteSignature hashes.
func siteSignatureText(s *content.Site) []byte {
	b := make([]byte, 0, 96*(len(s.Cases)+len(s.Pages))+256*len(s.Terms))
	field := func(v string, end byte) {
		b = append(b, v...)
		b = append(b, end)
	}
	for _, c := range s.Cases {
		field(c.File, 0)
		field(c.Slug, 0)
		field(c.Title, 1)
	}
	for _, t := range s.Terms {
		field(t.File, 0)
		field(t.Slug, 0)
		field(t.Title, 0)
		field(t.Summary, 0)
		for i, a := range t.Aliases {
			if i > 0 {
				b = append(b, 0)
			}
			b = append(b, a...)
		}
		b = append(b, 1)
	}
	for _, p := range s.Pages {
		field(p.File, 0)
		field(p.Slug, 0)
		field(p.Title, 1)
	}
	return b
}

// crossRefs holds what is derived across documents: bodies, backlinks,
// term mentions, facets and related cases (the link graph).
type crossRefs struct {
	body      map[*content.Doc]template.HTML
	backlinks map[string][]*link // target URL → linking documents
	facets    []*Facet
	related   map[*content.Case][]*content.Case
	termCases map[*content.Term][]*content.Case // cases that mention a term
}

// link is a link to a document, for lists.
type link struct {
	Title   string
	URL     string
	Summary string
	Kind    string // Exempel, Begrepp, Sida
	key     []byte // sv.Key(Title), for ordering lists
	hash    uint64 // of the fields above, for the page keys (memo.pageKey)
}

// newLink returns the list entry for d, with its sort key computed once:
// one link is shared by every backlink list d appears in.
func newLink(d *content.Doc) *link {
	l := makeLink(d)
	return &l
}

// makeLink is newLink's link, for an array of them.
func makeLink(d *content.Doc) link {
	l := link{Title: d.Title, URL: d.URL(), Summary: d.Summary, Kind: kindLabel(d), key: d.TitleKey()}
	l.hash = l.fieldHash()
	return l
}

// keyHash is a hash of the link's fields, computed once by newLink (the
// fields never change after).
func (l *link) keyHash() uint64 {
	if l.hash != 0 {
		return l.hash
	}
	return l.fieldHash()
}

func (l *link) fieldHash() uint64 {
	var h stable.Digest
	for _, s := range []string{l.Title, l.URL, l.Summary, l.Kind} {
		h.WriteString(s)
		h.Write([]byte{0})
	}
	return h.Sum64()
}

var linkSeed = maphash.MakeSeed()

func kindLabel(d *content.Doc) string {
	switch d.Section {
	case content.SectionCase:
		return "Exempel"
	case content.SectionTerm:
		return "Begrepp"
	}
	return "Sida"
}

// derivedData is what the graph derives from front matter alone.
type derivedData struct {
	facets  []*Facet
	related map[*content.Case][]*content.Case
}

// newCrossRefs makes the link graph from the rendered markdown: each
// document's body, the backlinks and the cases that mention each term.
// The facets and related cases (derivedData) are set by the caller.
// With a linkMemo (an incremental build) the backlinks and mentions of the
// last build are reused when no document's place, address, title, summary
// or links changed.
func newCrossRefs(s *content.Site, rendered map[*content.Doc]*markdown.Rendered, lm *linkMemo) *crossRefs {
	n := len(s.Cases) + len(s.Terms) + len(s.Pages)
	g := &crossRefs{body: make(map[*content.Doc]template.HTML, n), termCases: map[*content.Term][]*content.Case{}}
	termByURL := make(map[string]*content.Term, len(s.Terms))
	for _, t := range s.Terms {
		termByURL[t.URL()] = t
	}
	// Every document in order (keep in step with snapshot.patchLinks):
	// its rendered body and link are looked up and made on every core,
	// then added to the lists in order.
	type ref struct {
		d    *content.Doc
		c    *content.Case
		r    *markdown.Rendered
		from *link // shared by every list the document is in
		sig  uint64
	}
	refs := make([]ref, 0, n)
	for _, c := range s.Cases {
		refs = append(refs, ref{d: &c.Doc, c: c})
	}
	for _, t := range s.Terms {
		refs = append(refs, ref{d: &t.Doc})
	}
	for _, p := range s.Pages {
		refs = append(refs, ref{d: &p.Doc})
	}
	par.For(len(refs), func(i int) {
		f := &refs[i]
		f.r = rendered[f.d]
		if lm != nil {
			f.sig = linkSig(f.d, f.r)
		}
	})
	for _, f := range refs {
		if f.r != nil {
			g.body[f.d] = template.HTML(f.r.HTML)
		}
	}
	var sig uint64
	if lm != nil {
		sums := make([]byte, 0, 8*len(refs))
		for _, f := range refs {
			sums = binary.LittleEndian.AppendUint64(sums, f.sig)
		}
		sig = stable.Sum64(sums)
		if lm.valid && lm.sig == sig {
			// Nothing the lists are made of changed: the same lists, and
			// the same mentions by the cases' places in the order.
			g.backlinks = lm.backlinks
			for u, is := range lm.termCases {
				cs := make([]*content.Case, len(is))
				for k, i := range is {
					cs[k] = s.Cases[i]
				}
				g.termCases[termByURL[u]] = cs
			}
			return g
		}
	}
	linkListsMade.Add(1)
	links := make([]link, len(refs)) // one object, not one per document
	par.For(len(refs), func(i int) {
		if f := &refs[i]; f.r != nil && len(f.r.Links) > 0 {
			links[i] = makeLink(f.d)
			f.from = &links[i]
		}
	})
	g.backlinks = map[string][]*link{}
	termCases := map[string][]int{}
	for i, f := range refs {
		if f.r == nil {
			continue
		}
		for _, u := range f.r.Links {
			g.backlinks[u] = append(g.backlinks[u], f.from)
			if t := termByURL[u]; t != nil && f.c != nil {
				g.termCases[t] = append(g.termCases[t], f.c)
				termCases[u] = append(termCases[u], i) // the cases come first in refs
			}
		}
	}
	lists := make([][]*link, 0, len(g.backlinks))
	for _, ls := range g.backlinks {
		lists = append(lists, ls)
	}
	par.For(len(lists), func(i int) { sortLinks(lists[i]) }) // in place: the map holds the same arrays
	if lm != nil {
		*lm = linkMemo{valid: true, sig: sig, backlinks: g.backlinks, termCases: termCases}
	}
	return g
}

// linkListsMade counts the builds that made the backlinks rather than
// reuse them (for the tests).
var linkListsMade atomic.Int64

// linkMemo keeps the last incremental build's backlinks and term mentions
// with a signature of everything they are made from: the order of the
// documents, and each one's section, slug, title, summary and the links
// of its body (linkSig). A front-matter edit that changes none of those
// (a case's status, its municipalities) reuses them instead of making
// every document's link and sorting every list again. Patch changes the
// lists in place (snapshot.patchLinks, relink), so it invalidates the
// memo before it does.
type linkMemo struct {
	valid     bool
	sig       uint64
	backlinks map[string][]*link
	// termCases: a term's URL → the indexes in the site's cases of the
	// cases whose bodies link to it, in order.
	termCases map[string][]int
}

// linkSig is a hash of what d's link and its part in the lists are made
// of: its section, slug, title and summary (the link's fields; its sort
// key comes from the title) and the links of its rendered body r (nil:
// no body).
func linkSig(d *content.Doc, r *markdown.Rendered) uint64 {
	k := keyers.Get().(*keyer)
	k.num(uint64(d.Section))
	k.str(d.Slug, d.Title, d.Summary)
	if r == nil {
		k.num(0)
	} else {
		k.num(uint64(len(r.Links)) + 1)
		k.str(r.Links...)
	}
	return k.sum()
}

func sortLinks(ls []*link) {
	if len(ls) < 2 {
		return
	}
	sort.SliceStable(ls, func(i, j int) bool { return compareLinks(ls[i], ls[j]) < 0 })
}

func kindRank(k string) int {
	switch k {
	case "Exempel":
		return 0
	case "Begrepp":
		return 1
	}
	return 2
}

// Report writes the one-line summary and, when verbose, every phase.
func (r *Result) Report(w io.Writer, total time.Duration, verbose bool) {
	fmt.Fprintf(w, "Byggde %d sidor (%d filer) på %s\n", r.Pages, r.Files, total.Round(time.Millisecond))
	if verbose {
		for _, p := range r.Phases {
			if p.CPU <= 0 || p.Duration < time.Millisecond {
				fmt.Fprintf(w, "  %-40s %10s\n", p.Name, p.Duration.Round(time.Microsecond))
				continue
			}
			// How many cores the phase kept busy on average.
			cores := strings.Replace(strconv.FormatFloat(float64(p.CPU)/float64(p.Duration), 'f', 1, 64), ".", ",", 1)
			fmt.Fprintf(w, "  %-40s %10s   processortid %8s (%s kärnor)\n", p.Name, p.Duration.Round(time.Microsecond),
				p.CPU.Round(time.Millisecond), cores)
		}
		fmt.Fprintf(w, "  %-40s %10d\n", "mallkörningar genom html/template", r.Fallbacks)
		if r.Kept > 0 {
			fmt.Fprintf(w, "  %-40s %10s\n", "sidor som inte ändrats (renderades inte)", sv.FormatInt(int64(r.Kept)))
		}
	}
}
