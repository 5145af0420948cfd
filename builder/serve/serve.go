// Package serve is the editors' live preview: it builds the site into
// memory (public/ is never touched), serves it on loopback, watches
// content/, layouts/ and assets/, rebuilds on save and reloads the open
// browsers once the new build is being served. A failing build keeps the
// last good site and shows the errors in every page, injected at serve time.
package serve

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/cms"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/warm"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/site"
)

// Options configures a Server.
type Options struct {
	Root   string
	Drafts bool
	Theme  fs.FS
	// Debounce is the quiet time before a rebuild; default 10 ms. An
	// editor's save (a write, or a temporary file renamed over the file)
	// comes as events microseconds apart; a longer wait delays every
	// preview by as much. A burst of saves that pauses longer than this
	// (a checkout of many files) is built in more than one step, each
	// incremental.
	Debounce time.Duration
	Log      io.Writer // progress and errors; default io.Discard
	// Search turns on the search index of the preview, written by the
	// portal's own indexer in memory, or by Index when that is set.
	Search bool
	// Index builds the Pagefind index of a site written to dir (Pagefind's
	// CLI, -pagefind-cli).
	Index func(dir, root string, log io.Writer) error
	// IndexBeforeReload brings the search index up to date for the
	// changed pages before the browsers reload, when a base index exists
	// and few pages changed (the portal's own indexer takes milliseconds
	// for them; Pagefind's CLI, -pagefind-cli, is left to the background).
	IndexBeforeReload bool
	// Addr is the address the server listens on (as net.Listener.Addr
	// gives it). The server answers requests for loopback names, for
	// Addr's host, and when Addr is every interface (0.0.0.0, [::]), for
	// this machine's addresses and name; others get 403.
	Addr string
	// AllowedHosts are more host names to answer (-allowed-hosts).
	AllowedHosts []string
	// HTMLTemplateOnly renders pages with html/template alone
	// (site.Options.HTMLTemplateOnly).
	HTMLTemplateOnly bool

	// collect runs when the preview is idle after a build
	// (collectWhenIdle); nil is collectGarbage. Tests set it.
	collect func()
}

// served is one served version of the site.
type served struct {
	site    *output.Memory
	errs    []*diag.Error
	version int64
	// pending holds the files of a failed Patch: the builder still has the
	// last good build, so the next change can be patched together with
	// them instead of rebuilding everything.
	pending []string
}

// Server is the preview server. Create it with New, serve Handler, run
// Watch, and Close it when done.
type Server struct {
	opts  Options
	b     *site.Builder
	hub   *Hub
	cur   atomic.Pointer[served]
	index atomic.Pointer[output.Memory]
	// search is the state of the index being served (searchindex.go).
	search atomic.Pointer[searchIndex]

	buildMu  sync.Mutex // one build at a time
	indexGen atomic.Int64
	indexWG  sync.WaitGroup
	builds   atomic.Int64
	hidden   int // drafts left out of the last full build (under buildMu)
	// warmed: the heap is grown to its working size once the first build
	// and its search index are made (warm.Heap).
	warmed sync.Once
}

// drafts is "1 utkast" or "3 utkast".
func drafts(n int) string { return strconv.Itoa(n) + " utkast" }

// New builds the site once and returns a server for it. A build with
// errors is not fatal: the server starts and shows them.
func New(o Options) *Server {
	if o.Debounce == 0 {
		o.Debounce = 10 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.collect == nil {
		o.collect = collectGarbage
	}
	s := &Server{opts: o, hub: NewHub(),
		b: site.New(site.Options{Root: o.Root, Drafts: o.Drafts, LeaveOutBrokenDrafts: o.Drafts, Theme: o.Theme, StableAssets: true, Incremental: true, HTMLTemplateOnly: o.HTMLTemplateOnly})}
	s.cur.Store(&served{site: output.NewMemory()})
	s.index.Store(output.NewMemory())
	s.Rebuild(nil)
	if !o.Search {
		s.indexWG.Add(1)
		go func() {
			defer s.indexWG.Done()
			s.warmed.Do(func() { warm.Heap() })
		}()
	}
	return s
}

// Close stops background work and disconnects browsers.
func (s *Server) Close() {
	s.hub.Close()
	s.indexGen.Add(1)
	s.indexWG.Wait()
	s.b.Close()
}

// Hub returns the live-reload hub.
func (s *Server) Hub() *Hub { return s.hub }

// Errors returns the errors of the latest build, if it failed.
func (s *Server) Errors() []*diag.Error { return s.cur.Load().errs }

// Watch rebuilds on every batch of changes until stop is closed.
func (s *Server) Watch(stop <-chan struct{}) error {
	w, err := NewWatcher(s.opts.Root, []string{"content", "layouts", "assets"}, s.opts.Debounce)
	if err != nil {
		return err
	}
	defer w.Close()
	for {
		select {
		case <-stop:
			return nil
		case batch := <-w.Changes:
			s.Rebuild(batch)
		case err := <-w.Errors:
			fmt.Fprintf(s.opts.Log, "bevakning: %v; läser om mapparna och bygger om allt\n", err)
		}
	}
}

// styleOnly reports whether every changed path is a stylesheet source.
func styleOnly(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		if !strings.HasPrefix(p, "assets/scss/") {
			return false
		}
	}
	return true
}

// Rebuild rebuilds after changes to the given paths (nil: everything) and
// tells the browsers. A stylesheet-only change recompiles the CSS and swaps
// it without reloading pages. A change to the text of existing documents
// (front matter untouched) is patched into the served site: only the pages
// that depend on those texts are rendered again (site.Builder.Patch).
// Anything else rebuilds the site with the builder's caches, so unchanged
// files are not parsed or rendered again.
func (s *Server) Rebuild(changed []string) {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	cur := s.cur.Load()
	next := cur.version + 1
	if len(changed) > 0 {
		fmt.Fprintf(s.opts.Log, "Ändrat: %s\n", strings.Join(changed, ", "))
	}
	if styleOnly(changed) && len(cur.errs) == 0 {
		css, err := s.b.CompileCSS()
		if err == nil {
			m := cur.site.Clone()
			m.Write("css/main.css", css)
			s.cur.Store(&served{site: m, version: next})
			s.hub.Broadcast("css", strconv.FormatInt(next, 10))
			fmt.Fprintf(s.opts.Log, "Ny stilmall på %s\n", time.Since(start).Round(time.Millisecond))
			return
		}
		s.fail(cur, next, err, nil)
		return
	}
	if len(changed) > 0 && (len(cur.errs) == 0 || cur.pending != nil) {
		files := append(append([]string(nil), cur.pending...), changed...)
		m := &cloneOnWrite{src: cur.site}
		res, ok, err := s.b.Patch(files, m)
		if ok {
			if err != nil {
				s.fail(cur, next, err, files)
				return
			}
			s.publish(m.site(), next, "Uppdaterade %d sidor på %s\n", res.Pages, start)
			return
		}
	}
	m := output.NewMemorySize(cur.site.Len())
	if changed != nil {
		// The watcher's report (with the files of a failed patch): the
		// build need not look at other files.
		s.b.Changed(append(append([]string(nil), cur.pending...), changed...))
	}
	res, err := s.b.Build(m)
	if err != nil {
		s.fail(cur, next, err, nil)
		return
	}
	for _, w := range res.Site.Warnings {
		fmt.Fprintf(s.opts.Log, "varning: %s\n", w)
	}
	if n := res.Site.HiddenDrafts(); n != s.hidden {
		s.hidden = n
		if n > 0 {
			fmt.Fprintf(s.opts.Log, "%s visas inte; starta med portal serve -drafts för att se %s.\n", drafts(n), map[bool]string{true: "det", false: "dem"}[n == 1])
		}
	}
	s.publish(m, next, "Byggde %d sidor på %s\n", res.Pages, start)
}

// cloneOnWrite is a copy of src made at the first Write: Patch gives up
// on a front-matter edit before it writes, and the copy of a large site
// is then not made for nothing.
type cloneOnWrite struct {
	src, m *output.Memory
}

func (c *cloneOnWrite) Write(name string, data []byte) error {
	if c.m == nil {
		c.m = c.src.Clone()
	}
	return c.m.Write(name, data)
}

// WriteLater implements output.LaterWriter: Patch leaves the files made
// when read (feeds, open data) to be made again after a text-field edit.
func (c *cloneOnWrite) WriteLater(names []string, mk func() (map[string][]byte, error)) error {
	if c.m == nil {
		c.m = c.src.Clone()
	}
	return c.m.WriteLater(names, mk)
}

// site is the copy, with what was written.
func (c *cloneOnWrite) site() *output.Memory {
	if c.m == nil {
		c.m = c.src.Clone()
	}
	return c.m
}

// publish serves m as the new version and reloads the browsers: with the
// search index brought up to date first (indexNow) or, failing that, in the
// background (reindex).
func (s *Server) publish(m *output.Memory, version int64, format string, pages int, start time.Time) {
	indexed := s.opts.IndexBeforeReload && s.indexNow(m)
	s.cur.Store(&served{site: m, version: version})
	s.builds.Add(1)
	// Log first: whoever sees the reload event can also read the log.
	fmt.Fprintf(s.opts.Log, format, pages, time.Since(start).Round(time.Millisecond))
	s.hub.Broadcast("reload", strconv.FormatInt(version, 10))
	if !indexed {
		s.reindex(m)
	}
	s.collectWhenIdle()
}

// idleCollect is how long the preview waits after a build, with no new
// build started, before it collects the garbage of the builds
// (collectWhenIdle).
const idleCollect = 200 * time.Millisecond

// collectWhenIdle calls Options.collect once the preview has been idle for
// idleCollect after this build: no newer build published or running. A
// newer build schedules its own.
func (s *Server) collectWhenIdle() {
	n := s.builds.Load()
	time.AfterFunc(idleCollect, func() {
		if s.builds.Load() != n || !s.buildMu.TryLock() {
			return
		}
		s.buildMu.Unlock()
		s.opts.collect()
	})
}

// collectGarbage collects the garbage of the last builds when they left at
// least minGarbage of it. Called between an editor's saves
// (collectWhenIdle), it spares the next rebuild a collection: at 10,000
// cases a front-matter edit leaves 60–80 MB, the collector ran every 5–6
// edits, and a rebuild beside it took about 100 ms longer on two cores.
func collectGarbage() {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if heap, live := s[0].Value.Uint64(), s[1].Value.Uint64(); heap > live && heap-live >= minGarbage {
		runtime.GC()
	}
}

// minGarbage is the heap growth since the last collection from which
// collectGarbage collects.
const minGarbage = 32 << 20

// indexNow indexes the pages of m that changed since the base index
// before m is served (Options.IndexBeforeReload), and reports whether it
// did; when there is no base yet or many pages changed, reindex does it in
// the background.
func (s *Server) indexNow(m *output.Memory) bool {
	cur := s.search.Load()
	if !s.opts.Search || cur == nil || cur.pages == nil {
		return false
	}
	changed, removed := changedSince(cur.pages, m, cur.hashes)
	if len(changed)+len(removed) > overlayLimit(len(cur.pages)) {
		return false
	}
	s.indexGen.Add(1) // a background indexing of an older build is stale now
	idx, err := overlayIndex(cur, m, changed, removed, s.opts.Root, s.opts.Index, func() bool { return false })
	if err != nil {
		fmt.Fprintf(s.opts.Log, "sökindex: %v\n", err)
		return false
	}
	s.search.Store(idx)
	s.index.Store(idx.files)
	return true
}

// fail keeps the last good site and shows the errors. pending lists the
// files of a failed Patch (nil after a failed full build).
func (s *Server) fail(cur *served, version int64, err error, pending []string) {
	errs := diag.AsList(err)
	s.cur.Store(&served{site: cur.site, errs: errs, version: version, pending: pending})
	fmt.Fprintf(s.opts.Log, "Bygget misslyckades; visar den senaste fungerande versionen:\n")
	for _, e := range errs {
		fmt.Fprintf(s.opts.Log, "  %s\n", e)
	}
	s.hub.Broadcast("errors", overlay(errs))
}

// reindex brings the search index up to date with m in the background
// (updateIndex: only the changed pages, when few have changed) and tells
// the search pages to reload when it is ready. A newer build cancels it.
func (s *Server) reindex(m *output.Memory) {
	if !s.opts.Search {
		return
	}
	gen := s.indexGen.Add(1)
	s.indexWG.Add(1)
	go func() {
		defer s.indexWG.Done()
		idx, err := updateIndex(s.search.Load(), m, s.opts.Root, s.opts.Index, func() bool { return s.indexGen.Load() != gen })
		if err != nil {
			fmt.Fprintf(s.opts.Log, "sökindex: %v\n", err)
			return
		}
		if idx == nil || s.indexGen.Load() != gen {
			return
		}
		s.search.Store(idx)
		s.index.Store(idx.files)
		s.warmed.Do(func() { warm.Heap() })
		s.hub.Broadcast("search", "")
	}()
}

// Handler serves the current site, the search index and /__livereload,
// each only to requests addressed to this server (see Options.Addr).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/__livereload", s.hub)
	// The web editor's backend: it writes files, so it takes requests
	// only from pages of this server.
	mux.Handle(cms.APIPath, sameOrigin(&cms.Backend{Root: s.opts.Root, Saved: s.Rebuild}))
	mux.HandleFunc("/", s.serveFile)
	return newHostGuard(s.opts.Addr, s.opts.AllowedHosts, mux)
}

// sameOrigin passes on only requests that a page of this server sent:
// the Origin header must be present and name this very host (scheme,
// name and port), and Sec-Fetch-Site, when the browser sends it, must say
// same-origin. A page on another site, or one of the preview's other
// allowed names, can neither read drafts through the API nor write files.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := r.Header.Get("Origin")
		u, err := url.Parse(o)
		switch {
		case o == "" || err != nil:
			forbid(w, "redigerarens API svarar bara på anrop från förhandsgranskningens egna sidor (Origin saknas)")
		case u.Scheme != "http" || !strings.EqualFold(u.Host, r.Host) || u.Path != "":
			forbid(w, fmt.Sprintf("förbjudet ursprung %q: redigerarens API svarar bara på sidor från %s", o, r.Host))
		case r.Header.Get("Sec-Fetch-Site") != "" && r.Header.Get("Sec-Fetch-Site") != "same-origin":
			forbid(w, "redigerarens API svarar bara på anrop från samma webbplats")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// cleanName maps a request path to a file of the built site, or "" when
// the path is not a plain path inside the site (.., encoded traversal,
// backslashes, NUL, absolute paths outside the site all end here).
func cleanName(p string) string {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return ""
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return ""
		}
	}
	if path.Clean(p) != strings.TrimSuffix(p, "/") && p != "/" {
		return "" // duplicate slashes and the like
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	return name
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "metoden stöds inte", http.StatusMethodNotAllowed)
		return
	}
	st := s.cur.Load()
	name := cleanName(r.URL.Path)
	status := http.StatusOK
	var data []byte
	ok := false
	if name != "" {
		if strings.HasPrefix(name, "pagefind/") {
			data, ok = s.index.Load().Get(name)
		} else {
			var err error
			data, err = st.site.Open(name)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				// A file made when read (the open data) could not be.
				http.Error(w, name+": "+err.Error(), http.StatusInternalServerError)
				return
			}
			ok = err == nil
		}
		if !ok && path.Ext(name) == "" {
			if _, dir := st.site.Get(name + "/index.html"); dir {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
		}
	}
	if !ok {
		status = http.StatusNotFound
		name = "404.html"
		data, ok = st.site.Get(name)
		if !ok {
			data = []byte("<!DOCTYPE html><html lang=\"sv\"><title>Sidan finns inte</title><body><h1>Sidan finns inte</h1></body></html>")
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, st.errs)
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		w.Write(data)
	}
}

// reloadScript connects a page to /__livereload (livereload.js). It is
// added only when serving, never to built files.
var reloadScript = "<script>" + liveReloadJS + "</script>"

//go:embed livereload.js
var liveReloadJS string

// inject adds the reload script, and the error overlay when the last build
// failed, before </body>.
func inject(page []byte, errs []*diag.Error) []byte {
	extra := reloadScript
	if len(errs) > 0 {
		extra = overlay(errs) + extra
	}
	i := bytes.LastIndex(page, []byte("</body>"))
	if i < 0 {
		return append(append([]byte(nil), page...), extra...)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:i]...)
	out = append(out, extra...)
	return append(out, page[i:]...)
}

// overlayTemplate is the box that lists the errors of a failed build
// (overlay.html). Inline styles keep it readable even when the stylesheet
// is what broke.
//
//go:embed overlay.html
var overlayHTML string

var overlayTemplate = template.Must(template.New("overlay").Parse(overlayHTML))

// overlay renders the build errors as a dialog-like box (it is also sent
// as a Server-Sent Event).
func overlay(errs []*diag.Error) string {
	type item struct{ Loc, Msg string }
	items := make([]item, len(errs))
	for i, e := range errs {
		items[i] = item{e.File, strings.ReplaceAll(e.Msg, "\n", " ")}
		if e.Line > 0 {
			items[i].Loc += ":" + strconv.Itoa(e.Line)
		}
	}
	var b strings.Builder
	if err := overlayTemplate.Execute(&b, items); err != nil {
		return "<div id=\"portal-byggfel\" role=\"alert\">Bygget misslyckades.</div>"
	}
	return b.String()
}
