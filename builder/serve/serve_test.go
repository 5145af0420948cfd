package serve

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/search"
)

// preview starts a server on a fresh test site with a watcher and one
// live-reload client; it returns the server, its URL and the event stream.
func preview(t *testing.T, drafts bool) (dir string, s *Server, url string, events <-chan string) {
	t.Helper()
	return previewWith(t, Options{Drafts: drafts})
}

// previewWith is preview with options; Root and Debounce are set here.
func previewWith(t *testing.T, o Options) (dir string, s *Server, url string, events <-chan string) {
	t.Helper()
	dir = t.TempDir()
	sitetest.Write(t, dir, "")
	o.Root, o.Debounce = dir, 20*time.Millisecond
	s = New(o)
	if errs := s.Errors(); len(errs) > 0 {
		t.Fatalf("first build: %v", errs)
	}
	ts := httptest.NewServer(s.Handler())
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { s.Watch(stop); close(done) }()
	ch, disconnect := liveEvents(t, ts.URL)
	waitFor(t, func() bool { return s.Hub().Clients() == 1 })
	time.Sleep(50 * time.Millisecond) // let the watcher settle
	t.Cleanup(func() {
		disconnect()
		close(stop)
		<-done
		s.Close()
		ts.Close()
	})
	return dir, s, ts.URL, ch
}

// liveEvents connects to the live-reload stream of the preview at url and
// returns its events' names as they come (the channel is closed when the
// stream ends) and a function that disconnects.
func liveEvents(tb testing.TB, url string) (<-chan string, func()) {
	tb.Helper()
	resp, err := http.Get(url + "/__livereload")
	if err != nil {
		tb.Fatal(err)
	}
	ch := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "event: ") {
				ch <- strings.TrimPrefix(l, "event: ")
			}
		}
		close(ch)
	}()
	return ch, func() { resp.Body.Close() }
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// next waits for the next live-reload event.
func next(t *testing.T, events <-chan string) string {
	t.Helper()
	select {
	case e := <-events:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no live-reload event")
	}
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// save writes a file the way editors do: a temp file, then a rename.
func save(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	os.MkdirAll(filepath.Dir(p), 0o755)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, dir, name string) string {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSavedEditReloads(t *testing.T) {
	dir, _, url, events := preview(t, false)
	mm := read(t, dir, "content/exempel/minimili.md")
	save(t, dir, "content/exempel/minimili.md", strings.Replace(mm, "Förebygger missbruk bland unga.", "Ny sammanfattning efter sparning.", 1))
	if e := next(t, events); e != "reload" {
		t.Fatalf("event %q, want reload", e)
	}
	// The new content is served once the reload event is sent, in the
	// files made only when read too (feeds, open data, lists).
	for _, p := range []string{"/exempel/minimili/", "/exempel/", "/kommun/ale/", "/exempel/fotosyntes/",
		"/exempel/atom.xml", "/kommun/ale/atom.xml", "/data/exempel.csv", "/data/exempel.json"} {
		if _, body := get(t, url+p); !strings.Contains(body, "Ny sammanfattning efter sparning.") {
			t.Errorf("%s is stale", p)
		}
	}
	for _, p := range []string{"/admin/lankar.json", "/sok/forslag.json"} {
		if code, body := get(t, url+p); code != 200 || !strings.Contains(body, "MiniMili") {
			t.Errorf("%s: status %d, no MiniMili", p, code)
		}
	}
	if code, body := get(t, url+"/sitemap.xml"); code != 200 || !strings.Contains(body, "/exempel/minimili/</loc>") {
		t.Errorf("/sitemap.xml: status %d, no MiniMili", code)
	}
	if code, body := get(t, url+"/data/"); code != 200 || !strings.Contains(body, "exempel.xlsx") || !strings.Contains(body, "kB") {
		t.Errorf("/data/: status %d, no list of files with sizes", code)
	}
	if code, body := get(t, url+"/data/exempel.xlsx"); code != 200 || !strings.HasPrefix(body, "PK") {
		t.Errorf("exempel.xlsx: status %d", code)
	}
	_, body := get(t, url+"/exempel/minimili/")
	if !strings.Contains(body, `new EventSource("/__livereload")`) {
		t.Error("no live-reload script in served HTML")
	}
}

func TestBrokenEditShowsOverlayAndRecovers(t *testing.T) {
	dir, s, url, events := preview(t, false)
	good := read(t, dir, "content/exempel/minimili.md")
	save(t, dir, "content/exempel/minimili.md", strings.Replace(good, "municipality: Ale", "municipality: Alle", 1))
	if e := next(t, events); e != "errors" {
		t.Fatalf("event %q, want errors", e)
	}
	// Every page, for any client (curl too), shows the overlay over the
	// last good site.
	for _, p := range []string{"/", "/exempel/minimili/", "/finns-inte/"} {
		_, body := get(t, url+p)
		if !strings.Contains(body, `id="portal-byggfel"`) || !strings.Contains(body, "content/exempel/minimili.md:4</code>") ||
			!strings.Contains(body, "okänd kommun") {
			t.Errorf("%s lacks the overlay", p)
		}
	}
	if _, body := get(t, url+"/exempel/minimili/"); !strings.Contains(body, "Förebygger missbruk bland unga.") {
		t.Error("the last good page is not served")
	}
	if len(s.Errors()) != 1 {
		t.Errorf("errors = %v", s.Errors())
	}
	save(t, dir, "content/exempel/minimili.md", good)
	if e := next(t, events); e != "reload" {
		t.Fatalf("event %q, want reload", e)
	}
	if _, body := get(t, url+"/"); strings.Contains(body, `id="portal-byggfel"`) {
		t.Error("overlay stays after the fix")
	}
}

// lockedBuffer is a log that the server and the test may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestTextEditIsPatched: an edit of a case's text, front matter untouched,
// is patched in (only dependent pages rendered), including the "Nämns i"
// list of a page it starts linking to; a broken text keeps its overlay
// while other texts are edited, until it is fixed.
func TestTextEditIsPatched(t *testing.T) {
	log := &lockedBuffer{}
	dir, _, url, events := previewWith(t, Options{Log: log})
	const mm, foto = "content/exempel/minimili.md", "content/exempel/fotosyntes.md"
	good := read(t, dir, mm)
	save(t, dir, mm, good+"\nSe även [[fotosyntes]] för äldre barn.\n")
	if e := next(t, events); e != "reload" {
		t.Fatalf("event %q, want reload", e)
	}
	if !strings.Contains(log.String(), "Uppdaterade 2 sidor") {
		t.Errorf("the edit was not patched:\n%s", log)
	}
	if _, body := get(t, url+"/exempel/minimili/"); !strings.Contains(body, "för äldre barn") {
		t.Error("the edited page is stale")
	}
	if _, body := get(t, url+"/exempel/fotosyntes/"); !strings.Contains(body, `href="/exempel/minimili/"`) {
		t.Error("the linked page does not list MiniMili under Nämns i")
	}

	save(t, dir, mm, good+"\nSe [[finns-inte]].\n")
	if e := next(t, events); e != "errors" {
		t.Fatalf("event %q, want errors", e)
	}
	save(t, dir, foto, read(t, dir, foto)+"\nEn rad till.\n")
	if e := next(t, events); e != "errors" {
		t.Fatalf("event %q after an unrelated edit, want errors: the broken text is still broken", e)
	}
	if _, body := get(t, url+"/exempel/fotosyntes/"); !strings.Contains(body, "okänd länk [[finns-inte]]") {
		t.Error("the overlay went away while minimili.md is still broken")
	}
	save(t, dir, mm, good)
	if e := next(t, events); e != "reload" {
		t.Fatalf("event %q, want reload", e)
	}
	_, body := get(t, url+"/exempel/fotosyntes/")
	if strings.Contains(body, `id="portal-byggfel"`) || !strings.Contains(body, "En rad till.") {
		t.Error("after the fix: overlay stays or the other edit is lost")
	}
	if _, mb := get(t, url+"/exempel/minimili/"); strings.Contains(mb, "för äldre barn") {
		t.Error("MiniMili's old text is still served")
	}
}

func TestDraftRenameDeleteLeaveNothingStale(t *testing.T) {
	dir, _, url, events := preview(t, false)
	const extra = "---\ntitle: Extra insats\nsummary: Extra.\nmunicipality: Umeå\ntarget_group: Barn 6–12 år\ninvestment_model: Social investeringsfond\nstatus: pågående\ndate: 2016-01-01\n---\nText.\n"
	save(t, dir, "content/exempel/extra.md", extra)
	next(t, events)
	if code, _ := get(t, url+"/exempel/extra/"); code != 200 {
		t.Fatalf("new case: %d", code)
	}
	if _, body := get(t, url+"/kommun/"); !strings.Contains(body, `href="/kommun/umea/"`) {
		t.Error("kommun index lacks the new kommun")
	}
	// Draft on: gone everywhere.
	save(t, dir, "content/exempel/extra.md", strings.Replace(extra, "date: 2016-01-01", "date: 2016-01-01\ndraft: true", 1))
	next(t, events)
	if code, _ := get(t, url+"/exempel/extra/"); code != 404 {
		t.Errorf("draft still served: %d", code)
	}
	for _, p := range []string{"/exempel/", "/kommun/", "/"} {
		if _, body := get(t, url+p); strings.Contains(body, "Extra insats") || strings.Contains(body, "/kommun/umea/") {
			t.Errorf("%s still lists the draft", p)
		}
	}
	if code, _ := get(t, url+"/kommun/umea/"); code != 404 {
		t.Errorf("/kommun/umea/ still served for a draft-only kommun: %d", code)
	}
	// Draft off again, then rename.
	save(t, dir, "content/exempel/extra.md", extra)
	next(t, events)
	if err := os.Rename(filepath.Join(dir, "content/exempel/extra.md"), filepath.Join(dir, "content/exempel/extra-ny.md")); err != nil {
		t.Fatal(err)
	}
	next(t, events)
	if code, _ := get(t, url+"/exempel/extra/"); code != 404 {
		t.Error("old URL still served after rename")
	}
	if code, _ := get(t, url+"/exempel/extra-ny/"); code != 200 {
		t.Error("new URL not served after rename")
	}
	// Delete.
	os.Remove(filepath.Join(dir, "content/exempel/extra-ny.md"))
	next(t, events)
	if code, _ := get(t, url+"/exempel/extra-ny/"); code != 404 {
		t.Error("deleted case still served")
	}
	if _, body := get(t, url+"/exempel/"); strings.Contains(body, "Extra insats") {
		t.Error("deleted case still listed")
	}
}

func TestStyleChangeSwapsCSS(t *testing.T) {
	dir, _, url, events := preview(t, false)
	_, before := get(t, url+"/css/main.css")
	save(t, dir, "assets/scss/_tokens.scss", read(t, dir, "assets/scss/_tokens.scss")+"\n$unused-test-token: 1px;\n")
	scss := read(t, dir, "assets/scss/main.scss")
	save(t, dir, "assets/scss/main.scss", scss+"\n.test-only-rule { color: #123456; }\n")
	if e := next(t, events); e != "css" {
		t.Fatalf("event %q, want css (no page reload for a style change)", e)
	}
	_, after := get(t, url+"/css/main.css")
	if after == before || !strings.Contains(after, "#123456") {
		t.Error("stylesheet not updated")
	}
	// A Sass error shows the overlay with file and line.
	save(t, dir, "assets/scss/main.scss", scss+"\n.x { color: ; }\n")
	if e := next(t, events); e != "errors" {
		t.Fatalf("event %q, want errors", e)
	}
	if _, body := get(t, url+"/"); !strings.Contains(body, "assets/scss/main.scss:") {
		t.Error("Sass error not shown")
	}
}

func TestNewFolderIsWatched(t *testing.T) {
	dir, _, url, events := preview(t, false)
	save(t, dir, "assets/static/ny/mapp/fil.txt", "hej")
	next(t, events)
	save(t, dir, "assets/static/ny/mapp/fil.txt", "hej igen")
	next(t, events)
	if code, body := get(t, url+"/ny/mapp/fil.txt"); code != 200 || body != "hej igen" {
		t.Errorf("file in a new folder: %d %q", code, body)
	}
}

func TestEditorTempFilesIgnored(t *testing.T) {
	for name, want := range map[string]bool{"x.md~": true, ".#x.md": true, "#x.md#": true, "4913": true, "x.md.swp": true, "x.md": false, "main.scss": false} {
		if ignored("content/exempel/"+name) != want {
			t.Errorf("ignored(%s) != %v", name, want)
		}
	}
}

func TestDraftBanner(t *testing.T) {
	dir, _, url, events := preview(t, true)
	save(t, dir, "content/exempel/utkast.md", "---\ntitle: Utkastet\nsummary: S.\nmunicipality: Ale\ntarget_group: Barn 6–12 år\ninvestment_model: Social investeringsfond\nstatus: planerad\ndate: 2016-01-01\ndraft: true\n---\nText.\n")
	next(t, events)
	if _, body := get(t, url+"/exempel/utkast/"); !strings.Contains(body, `class="draft-banner"`) {
		t.Error("no Utkast banner with -drafts")
	}
}

func TestOnlySiteFilesAreServed(t *testing.T) {
	_, _, url, _ := preview(t, false)
	for _, p := range []string{"/../go.mod", "/%2e%2e/%2e%2e/etc/passwd", "/exempel/..%2f..%2fcontent/site.yaml", "/content/site.yaml",
		"/etc/passwd", "/exempel/%5c..%5c..%5cgo.mod", "//etc/passwd", "/%00", "/layouts/base.html"} {
		req, _ := http.NewRequest("GET", url+"/", nil)
		req.URL.RawPath, req.URL.Path = "", "" // keep the raw, unnormalised path
		req.URL.Opaque = p
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// (403: "//etc/passwd" is sent as a URL for the host "etc".)
		if (resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusForbidden) || strings.Contains(string(b), "module github.com") {
			t.Errorf("%s: status %d", p, resp.StatusCode)
		}
	}
	if code, _ := get(t, url+"/exempel/fotosyntes/"); code != 200 {
		t.Error("a real page is not served")
	}
	resp, _ := http.Post(url+"/", "text/plain", strings.NewReader("x"))
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestSearchIndexFollowsEdits(t *testing.T) {
	// Without Pagefind the index never comes: say so now, not after a timeout.
	if _, err := search.FindPagefind(sitetest.RepoRoot(t)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	s := New(Options{Root: dir, Debounce: 20 * time.Millisecond, Search: true, Index: search.Index})
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	waitFor(t, func() bool { _, ok := s.index.Load().Get("pagefind/pagefind.js"); return ok })
	if code, _ := get(t, ts.URL+"/pagefind/pagefind.js"); code != 200 {
		t.Fatalf("index not served: %d", code)
	}
	old := s.index.Load()
	mm := read(t, dir, "content/exempel/minimili.md")
	os.WriteFile(filepath.Join(dir, "content/exempel/minimili.md"), []byte(strings.Replace(mm, "MiniMili arbetar", "Zebrafinken arbetar", 1)), 0o644)
	s.Rebuild([]string{"content/exempel/minimili.md"})
	waitFor(t, func() bool { return s.index.Load() != old })
	if _, entry := get(t, ts.URL+"/pagefind/pagefind-entry.json"); !strings.Contains(entry, `"sv"`) {
		t.Errorf("pagefind-entry.json = %s", entry)
	}
	// Only the edited case was indexed again, into the overlay; the base
	// is the one built at start, and its entry for the case is replaced.
	if a, _ := old.Get("pagefind/pagefind-entry.json"); !bytes.Equal(a, must(s.index.Load().Get("pagefind/pagefind-entry.json"))) {
		t.Error("the base index was rebuilt for a one-page edit")
	}
	if _, entry := get(t, ts.URL+"/"+OverlayDir+"pagefind-entry.json"); !strings.Contains(entry, `"page_count":1`) {
		t.Errorf("overlay pagefind-entry.json = %s", entry)
	}
	want := s.search.Load().ids["/exempel/minimili/"]
	if _, info := get(t, ts.URL+"/"+ReplacedFile); want == "" || info != `{"ersatta":["`+want+`"],"andrat":true}` {
		t.Errorf("%s = %s, want the base id %q of minimili", ReplacedFile, info, want)
	}
}

func must(b []byte, ok bool) []byte {
	if !ok {
		return nil
	}
	return b
}

// fakeIndex stands in for Pagefind: a fragment per page with its URL,
// and a count of the pages it was given.
func fakeIndex(seen *[]int) indexFunc {
	return func(dir, root string, log io.Writer) error {
		n := 0
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			n++
			rel, _ := filepath.Rel(dir, p)
			url := "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			fmt.Fprintf(zw, `pagefind_dcd{"url":%q}`, url)
			zw.Close()
			os.MkdirAll(filepath.Join(dir, "pagefind", "fragment"), 0o755)
			return os.WriteFile(filepath.Join(dir, "pagefind", "fragment", fmt.Sprintf("sv_%d.pf_fragment", n)), b.Bytes(), 0o644)
		})
		*seen = append(*seen, n)
		return err
	}
}

func TestUpdateIndexOverlay(t *testing.T) {
	page := func(s string) []byte { return []byte(`<main data-pagefind-body>` + s + `</main>`) }
	m := output.NewMemory()
	for i := range 30 {
		m.Write(fmt.Sprintf("exempel/%d/index.html", i), page(fmt.Sprint(i)))
	}
	m.Write("kommun/ale/index.html", []byte("<main>ej indexerad</main>"))
	var seen []int
	never := func() bool { return false }
	idx, err := updateIndex(nil, m, "", fakeIndex(&seen), never)
	if err != nil || len(seen) != 1 || seen[0] != 31 {
		t.Fatalf("first index: err %v, pages given %v, want every page", err, seen)
	}
	if len(idx.pages) != 30 || idx.ids["/exempel/3/"] == "" {
		t.Fatalf("base: %d pages, ids %v", len(idx.pages), idx.ids)
	}
	// One page edited, one removed, a page that is not indexed changed.
	m2 := m.Clone()
	m2.Write("exempel/3/index.html", page("ny text"))
	m2.Delete("exempel/4/index.html")
	m2.Write("kommun/ale/index.html", []byte("<main>annan</main>"))
	idx2, err := updateIndex(idx, m2, "", fakeIndex(&seen), never)
	if err != nil || seen[1] != 1 {
		t.Fatalf("overlay: err %v, pages given %v, want only the edited page", err, seen)
	}
	info, _ := idx2.files.Get(ReplacedFile)
	ids := []string{idx.ids["/exempel/3/"], idx.ids["/exempel/4/"]}
	slices.Sort(ids)
	if want := `{"ersatta":["` + ids[0] + `","` + ids[1] + `"],"andrat":true}`; string(info) != want {
		t.Errorf("%s = %s, want %s", ReplacedFile, info, want)
	}
	if _, ok := idx2.files.Get(OverlayDir + "fragment/sv_1.pf_fragment"); !ok {
		t.Errorf("no overlay fragment: %v", idx2.files.Names())
	}
	// Back as it was: no overlay, no replaced entries.
	idx3, _ := updateIndex(idx2, m, "", fakeIndex(&seen), never)
	if len(seen) != 2 {
		t.Errorf("the unchanged site was indexed again: %v", seen)
	}
	if _, ok := idx3.files.Get(ReplacedFile); ok {
		t.Errorf("%s left after the edits were undone", ReplacedFile)
	}
	// Many pages changed: the whole site again.
	m4 := m.Clone()
	for i := range 20 {
		m4.Write(fmt.Sprintf("exempel/%d/index.html", i), page("ändrad"))
	}
	if _, err := updateIndex(idx3, m4, "", fakeIndex(&seen), never); err != nil || seen[len(seen)-1] != 31 {
		t.Errorf("after 20 of 30 pages changed: err %v, pages given %v, want every page", err, seen)
	}
}

// TestLaterFilesDuringEdits reads the files a preview makes only when
// read (feeds, open data, lists) while edits rebuild and patch the site:
// each is made from its own build's site, which later builds leave alone
// (run with -race).
func TestLaterFilesDuringEdits(t *testing.T) {
	dir, _, url, events := preview(t, false)
	mm := read(t, dir, "content/exempel/minimili.md")
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, p := range []string{"/data/exempel.json", "/exempel/atom.xml", "/admin/lankar.json", "/sok/forslag.json", "/data/", "/sitemap.xml"} {
				resp, err := http.Get(url + p)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("%s: status %d", p, resp.StatusCode)
				}
			}
		}
	}()
	for i := range 4 {
		// A summary (full build), then a body (patch).
		text := strings.Replace(mm, "Förebygger missbruk bland unga.", fmt.Sprintf("Sammanfattning %d.", i), 1)
		save(t, dir, "content/exempel/minimili.md", text)
		next(t, events)
		save(t, dir, "content/exempel/minimili.md", strings.Replace(text, "MiniMili var en av", fmt.Sprintf("MiniMili (%d) var en av", i), 1))
		next(t, events)
	}
	close(stop)
	<-done
	if _, body := get(t, url+"/data/exempel.json"); !strings.Contains(body, "Sammanfattning 3.") {
		t.Error("exempel.json is stale")
	}
}

// TestCollectWhenIdle: the collection after a build runs once the preview
// has been idle for idleCollect, and not when a newer build has been
// published or is running by then.
func TestCollectWhenIdle(t *testing.T) {
	var calls atomic.Int32
	_, s, _, _ := previewWith(t, Options{collect: func() { calls.Add(1) }})
	// The first build's own collection.
	waitFor(t, func() bool { return calls.Load() == 1 })

	s.collectWhenIdle()
	time.Sleep(idleCollect + 300*time.Millisecond)
	if n := calls.Load(); n != 2 {
		t.Fatalf("idle after a build: %d collections, want 2", n)
	}

	s.collectWhenIdle()
	s.builds.Add(1) // a newer build was published meanwhile
	time.Sleep(idleCollect + 300*time.Millisecond)
	if n := calls.Load(); n != 2 {
		t.Fatalf("after a newer build: %d collections, want still 2", n)
	}

	s.collectWhenIdle()
	s.buildMu.Lock() // a build is running
	time.Sleep(idleCollect + 300*time.Millisecond)
	s.buildMu.Unlock()
	if n := calls.Load(); n != 2 {
		t.Fatalf("during a build: %d collections, want still 2", n)
	}
}

// TestCollectGarbage: collectGarbage collects when the heap holds enough
// garbage, and leaves a collected heap alone.
func TestCollectGarbage(t *testing.T) {
	// No collection of its own while the garbage is made.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	runtime.GC()
	for range 64 {
		garbageSink = make([]byte, 1<<20)
	}
	garbageSink = nil
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	collectGarbage()
	runtime.ReadMemStats(&after)
	if after.NumGC == before.NumGC {
		t.Fatal("64 MB of garbage: no collection")
	}
	collectGarbage()
	var again runtime.MemStats
	runtime.ReadMemStats(&again)
	if again.NumGC != after.NumGC {
		t.Fatalf("collected heap: %d more collections, want none", again.NumGC-after.NumGC)
	}
}

// garbageSink holds each allocation of TestCollectGarbage until the next:
// the others are garbage.
var garbageSink []byte
