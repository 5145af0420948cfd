package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

// TestPatchMatchesFullBuild edits bodies of the real content one step at a
// time and checks, after every step, that the patched site is byte for
// byte the site a fresh full build makes of the same files, and that the
// patch re-rendered only a few pages.
func TestPatchMatchesFullBuild(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	// The site's own "Nämns i" list shows each page's summary too.
	replaceIn(t, dir, "layouts/partials/backlinks.html", "{{.Title}}</a>", "{{.Title}}</a> {{.Summary}}")
	b := New(Options{Root: dir, Theme: theme, StableAssets: true, Incremental: true})
	defer b.Close()
	cur := output.NewMemory()
	if _, err := b.Build(cur); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	appendBody := func(name, text string) func() []string {
		return func() []string {
			write(name, read(name)+"\n"+text+"\n")
			return []string{name}
		}
	}
	const (
		mini   = "content/exempel/minimili.md"
		foto   = "content/exempel/fotosyntes.md"
		term   = "content/begrepp/psynk.md"
		page   = "content/sidor/om-portalen.md"
		others = "content/exempel/star-for-life.md"
	)
	origMini := read(mini)
	// frontEdit replaces old by new in name's front matter.
	frontEdit := func(name, old, new string) func() []string {
		return func() []string {
			text := read(name)
			end := strings.Index(text[4:], "\n---\n") + 4
			if !strings.Contains(text[:end], old) {
				t.Fatalf("%s: no %q in the front matter", name, old)
			}
			write(name, strings.Replace(text[:end], old, new, 1)+text[end:])
			return []string{name}
		}
	}
	steps := []struct {
		name     string
		edit     func() []string
		maxPages int // pages the patch may re-render
	}{
		{"plain sentence", appendBody(mini, "En ny mening utan länkar."), 1},
		{"new glossary mention", appendBody(mini, "Arbetet följs med följeforskning och en samhällsekonomisk analys."), 4},
		{"new wiki link", appendBody(mini, "Jämför med [[star-for-life]] och [[begrepp/psynk]]."), 4},
		{"links removed", func() []string {
			fm := origMini[:strings.Index(origMini[4:], "\n---\n")+9]
			write(mini, fm+"\nKort text utan länkar.\n")
			return []string{mini}
		}, 12},
		{"links back", func() []string { write(mini, origMini); return []string{mini} }, 12},
		{"term body", appendBody(term, "Se även [[fotosyntes]]."), 3},
		{"page body", appendBody(page, "Läs om [[minimili]] och social investeringsfond."), 4},
		{"two files at once", func() []string {
			write(foto, read(foto)+"\nMer om [[minimili]].\n")
			write(others, read(others)+"\nMer om [[fotosyntes]].\n")
			return []string{foto, others, foto}
		}, 6},
		// A case's text fields: its page, every list with its card, the
		// pages it links to (their "Nämns i" data), feeds and open data.
		{"summary", frontEdit(mini, "\nsummary: Investering", "\nsummary: Ny sammanfattning. Investering"), 40},
		{"owner, results and contact added", frontEdit(mini, "\nowner: Ale kommun\n",
			"\nowner: Ale kommun och Västra Götalandsregionen\nresults:\n  - Ett nytt resultat.\nlessons:\n  - En lärdom.\ncontact:\n  organisation: Ale kommun\n  url: https://www.ale.se/\n"), 40},
		{"summary and body at once", func() []string {
			frontEdit(mini, "\nsummary: Ny sammanfattning.", "\nsummary: Ännu en sammanfattning.")()
			write(mini, read(mini)+"\nOch en mening om [[fotosyntes]].\n")
			return []string{mini}
		}, 40},
		{"summary of a related case", frontEdit(foto, "\nsummary: ", "\nsummary: Ändrad. "), 40},
		{"text fields back", func() []string { write(mini, origMini); return []string{mini} }, 40},
	}
	for _, st := range steps {
		changed := st.edit()
		next := cur.Clone()
		res, ok, err := b.Patch(changed, next)
		if !ok || err != nil {
			t.Fatalf("%s: Patch ok=%v err=%v", st.name, ok, err)
		}
		if res.Pages == 0 || res.Pages > st.maxPages {
			t.Errorf("%s: re-rendered %d pages, want 1..%d", st.name, res.Pages, st.maxPages)
		}
		compareWithFullBuild(t, st.name, dir, theme, next)
		cur = next
	}

	// A broken link is reported with its line and keeps the last build.
	write(mini, origMini+"\nSe [[finns-inte]].\n")
	next := cur.Clone()
	_, ok, err := b.Patch([]string{mini}, next)
	if !ok || err == nil || !strings.Contains(diag.AsList(err)[0].Error(), fmt.Sprintf("content/exempel/minimili.md:%d", strings.Count(origMini, "\n")+2)) {
		t.Fatalf("broken link: ok=%v err=%v", ok, err)
	}
	write(mini, origMini)
	if _, ok, err := b.Patch([]string{mini}, next); !ok || err != nil {
		t.Fatalf("fix: ok=%v err=%v", ok, err)
	}
	compareWithFullBuild(t, "fixed", dir, theme, next)

	// A build told of a change to one file reads the patched ones again
	// too: the content cache has not read them.
	write(mini, strings.Replace(origMini, "title: MiniMili", "title: MiniMili 3", 1))
	b.Changed([]string{mini})
	full := output.NewMemory()
	if _, err := b.Build(full); err != nil {
		t.Fatal(err)
	}
	compareWithFullBuild(t, "build after patches", dir, theme, full)
	write(mini, origMini)

	// Everything else needs a full build.
	origTerm := read(term)
	for name, edit := range map[string]func() []string{
		"front matter": func() []string {
			write(mini, strings.Replace(origMini, "title: MiniMili", "title: MiniMili 2", 1))
			return []string{mini}
		},
		"new file": func() []string {
			write("content/exempel/ny.md", origMini)
			return []string{"content/exempel/ny.md"}
		},
		"deleted file": func() []string {
			os.Remove(filepath.Join(dir, "content/exempel/ny.md"))
			return []string{"content/exempel/ny.md"}
		},
		"municipality": func() []string {
			write(mini, strings.Replace(origMini, "municipality: Ale", "municipality: Kungälv", 1))
			return []string{mini}
		},
		"sources": func() []string {
			write(mini, strings.Replace(origMini, `pages: "3, 5–6"`, `pages: "3"`, 1))
			return []string{mini}
		},
		"a term's summary": func() []string {
			write(term, strings.Replace(read(term), "\nsummary: ", "\nsummary: Ändrad. ", 1))
			return []string{term}
		},
		"vocabulary": func() []string { return []string{"content/vokabular.yaml"} },
		"layout":     func() []string { return []string{"layouts/case.html"} },
	} {
		if _, ok, _ := b.Patch(edit(), cur.Clone()); ok {
			t.Errorf("%s: Patch took it; want a full build", name)
		}
	}

	// The site as the last good build has it again (the edits above
	// ran in map order).
	write(term, origTerm)
	os.Remove(filepath.Join(dir, "content/exempel/ny.md"))

	// A text field made invalid: the build after the patch that gave up
	// reports it where it is, from the content the patch read.
	write(mini, strings.Replace(origMini, "\nowner: Ale kommun\n", "\nowner:\n  - Ale kommun\n", 1))
	if _, ok, _ := b.Patch([]string{mini}, cur.Clone()); ok {
		t.Fatal("invalid owner: Patch took it")
	}
	b.Changed([]string{mini})
	_, err = b.Build(output.NewMemory())
	line := strings.Count(origMini[:strings.Index(origMini, "\nowner:")], "\n") + 3 // the list's item
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("content/exempel/minimili.md:%d", line)) {
		t.Fatalf("invalid owner: build error %v, want one at line %d", err, line)
	}
	write(mini, origMini)
	b.Changed([]string{mini})
	full = output.NewMemory()
	if _, err := b.Build(full); err != nil {
		t.Fatal(err)
	}
	compareWithFullBuild(t, "fixed again", dir, theme, full)
}

// compareWithFullBuild builds dir afresh and compares every file with got.
func compareWithFullBuild(t *testing.T, step, dir string, theme fs.FS, got *output.Memory) {
	t.Helper()
	fresh := New(Options{Root: dir, Theme: theme, StableAssets: true})
	defer fresh.Close()
	want := output.NewMemory()
	if _, err := fresh.Build(want); err != nil {
		t.Fatalf("%s: full build: %v", step, err)
	}
	wn, gn := want.Names(), got.Names()
	if strings.Join(wn, "\n") != strings.Join(gn, "\n") {
		t.Fatalf("%s: patched site has %d files, full build %d", step, len(gn), len(wn))
	}
	for _, n := range wn {
		w, _ := want.Get(n)
		g, _ := got.Get(n)
		if !bytes.Equal(w, g) {
			t.Errorf("%s: %s differs from a full build", step, n)
		}
	}
}

// TestIncrementalBuildMatchesFullBuild makes edits that need a full build
// (front matter, new and deleted files, drafts, glossary, vocabularies,
// site.yaml, layouts) and checks after each that the incremental build,
// which reuses unchanged pages, is byte for byte a fresh full build, and
// that an edit touching one case re-renders only part of the site.
//
// It runs three times: looking at every file, told of each changed file as
// the preview's watcher tells it (Builder.Changed), and into a writer that
// cannot leave files to be made when read (not an output.LaterWriter), so
// spliced pages are made by the build.
func TestIncrementalBuildMatchesFullBuild(t *testing.T) {
	for _, tc := range []struct {
		name          string
		report, plain bool
	}{{"stat", false, false}, {"report", true, false}, {"plain", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			testIncrementalBuild(t, tc.report, tc.plain)
		})
	}
}

// TestStatusEditRendersItsStatuses moves a case from one status to
// another. With the portal's layouts, which read only a facet's name on a
// value's page (templates.shallowFacet), the pages of those two statuses
// are rendered again, not those of the other statuses; with a layout that
// lists the facet's values and counts on every value's page, all of them
// are. Either way the site is a full build's.
func TestStatusEditRendersItsStatuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		layout  string // added to facet-term.html after its heading
		shallow bool
		want    []string
	}{
		// (MiniMili's uppstart is stale: it is listed as inaktuell.)
		{"names", "", true, []string{"status/avslutad/index.html", "status/inaktuell/index.html", "status/index.html"}},
		{"values", `{{with .Facet}}<p>{{range .Used}}{{.Label}} {{.Count}} {{end}}</p>{{end}}`, false, []string{
			"status/avslutad/index.html", "status/inaktuell/index.html", "status/index.html",
			"status/okand/index.html", "status/pagaende/index.html", "status/planerad/index.html"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, theme := repoSiteCopy(t)
			if tc.layout != "" {
				replaceIn(t, dir, "layouts/facet-term.html", "<h1>{{.Value.Label}}</h1>", "<h1>{{.Value.Label}}</h1>"+tc.layout)
			}
			b := New(Options{Root: dir, Theme: theme, StableAssets: true, Incremental: true})
			defer b.Close()
			if _, err := b.Build(output.NewMemory()); err != nil {
				t.Fatal(err)
			}
			if tpl := loadTemplates(dir, &diag.List{}); tpl.shallowFacet["facet-term"] != tc.shallow || tpl.shallowFacet["facet-index"] {
				t.Fatalf("shallowFacet: facet-term %v, facet-index %v; want %v, false", tpl.shallowFacet["facet-term"], tpl.shallowFacet["facet-index"], tc.shallow)
			}
			layoutTimes = newTimeSums()
			defer func() { layoutTimes = nil }()
			replaceIn(t, dir, "content/exempel/minimili.md", "status: uppstart", "status: avslutad")
			got := output.NewMemory()
			if _, err := b.Build(got); err != nil {
				t.Fatal(err)
			}
			var status []string
			for _, p := range layoutTimes.paths {
				if strings.HasPrefix(p, "status/") {
					status = append(status, p)
				}
			}
			sort.Strings(status)
			if !slices.Equal(status, tc.want) {
				t.Errorf("status pages rendered: %v, want %v", status, tc.want)
			}
			compareWithFullBuild(t, "status", dir, theme, got)
		})
	}
}

// TestIncrementalBuildKeepsLayouts: an incremental build told that only
// content changed uses the last build's templates without reading the
// layouts; one told of a layout reads them; and after a build that
// failed on a layout, a content edit still reports the layout's error.
func TestIncrementalBuildKeepsLayouts(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	b := New(Options{Root: dir, Theme: theme, StableAssets: true, Incremental: true})
	defer b.Close()
	build := func(step string, changed ...string) (*output.Memory, error) {
		t.Helper()
		b.Changed(changed)
		m := output.NewMemory()
		_, err := b.Build(m)
		return m, err
	}
	if _, err := build("first"); err != nil {
		t.Fatal(err)
	}
	const mini = "content/exempel/minimili.md"
	for _, st := range []struct {
		name    string
		edit    func()
		changed []string
		loads   int64  // layout reads
		err     string // in the build's error; "": none
	}{
		{"status", func() { replaceIn(t, dir, mini, "status: uppstart", "status: avslutad") }, []string{mini}, 0, ""},
		{"layout", func() {
			replaceIn(t, dir, "layouts/case.html", `<h2 id="fakta">Fakta</h2>`, `<h2 id="fakta">Fakta om exemplet</h2>`)
		}, []string{"layouts/case.html"}, 1, ""},
		{"content after layout", func() { replaceIn(t, dir, mini, "status: avslutad", "status: planerad") }, []string{mini}, 0, ""},
		{"broken layout", func() { replaceIn(t, dir, "layouts/case.html", `<h2 id="fakta">`, `{{if}}<h2 id="fakta">`) }, []string{"layouts/case.html"}, 1, "layouts/case.html"},
		{"content after broken layout", func() { replaceIn(t, dir, mini, "status: planerad", "status: avslutad") }, []string{mini}, 1, "layouts/case.html"},
		{"layout fixed", func() { replaceIn(t, dir, "layouts/case.html", `{{if}}<h2 id="fakta">`, `<h2 id="fakta">`) }, []string{"layouts/case.html"}, 1, ""},
		{"content after fixed", func() { replaceIn(t, dir, mini, "status: avslutad", "status: pågående") }, []string{mini}, 0, ""},
	} {
		st.edit()
		before := layoutLoads.Load()
		got, err := build(st.name, st.changed...)
		if n := layoutLoads.Load() - before; n != st.loads {
			t.Errorf("%s: layouts read %d times, want %d", st.name, n, st.loads)
		}
		switch {
		case st.err == "" && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		case st.err != "" && (err == nil || !strings.Contains(err.Error(), st.err)):
			t.Fatalf("%s: error %v, want one naming %s", st.name, err, st.err)
		case err == nil:
			compareWithFullBuild(t, st.name, dir, theme, got)
		}
	}
}

// plainWriter writes into a Memory and has no WriteLater.
type plainWriter struct{ m *output.Memory }

func (w plainWriter) Write(name string, data []byte) error { return w.m.Write(name, data) }

func testIncrementalBuild(t *testing.T, report, plain bool) {
	dir, theme := repoSiteCopy(t)
	b := New(Options{Root: dir, Theme: theme, StableAssets: true, Incremental: true})
	defer b.Close()
	writer := func(m *output.Memory) output.Writer {
		if plain {
			return plainWriter{m}
		}
		return m
	}
	m := output.NewMemory()
	first, err := b.Build(writer(m))
	if err != nil {
		t.Fatal(err)
	}
	if first.Rendered != first.Pages {
		t.Fatalf("first build rendered %d of %d pages", first.Rendered, first.Pages)
	}
	// The open data, its page and the feeds are made when read (compareWithFullBuild
	// reads them).
	for _, name := range []string{"data/exempel.xlsx", "data/exempel.json", "data/index.html", "exempel/atom.xml", "kommun/ale/atom.xml"} {
		if m.Later(name) == plain {
			t.Errorf("%s: made when read %v, want %v", name, m.Later(name), !plain)
		}
	}
	var touched []string
	replace := func(name, old, new string) func() {
		return func() {
			touched = append(touched, name)
			replaceIn(t, dir, name, old, new)
		}
	}
	const mini = "content/exempel/minimili.md"
	steps := []struct {
		name string
		edit func()
		max  int // pages that may be rendered again; 0: any number
	}{
		{"nothing changed", func() {}, 0 + 1},
		{"body", replace(mini, "MiniMili var en av", "MiniMili är en av"), 1},
		// A link more in the body: the term's page lists the case.
		{"body link", replace(mini, "ett varaktigt missbruk", "ett varaktigt missbruk ([[psynk]])"), 0},
		{"body link removed", replace(mini, "ett varaktigt missbruk ([[psynk]])", "ett varaktigt missbruk"), 0},
		{"summary", replace(mini, "summary: Investering i Ale kommun", "summary: En investering i Ale kommun"), 60},
		{"title", replace(mini, "title: MiniMili", "title: MiniMili och mer"), 0},
		{"target group", replace(mini, "  - Personer med riskbruk eller missbruk\n", "  - Familjer och föräldrar\n"), 120},
		// The lists spliced again, and then kept as they are.
		{"target group back", replace(mini, "  - Familjer och föräldrar\n", "  - Personer med riskbruk eller missbruk\n"), 120},
		{"target group again", replace(mini, "  - Personer med riskbruk eller missbruk\n", "  - Familjer och föräldrar\n"), 120},
		{"nothing changed after", func() {}, 1},
		{"municipality", replace(mini, "municipality: Ale", "municipality: Kungälv"), 0},
		{"model", replace(mini, "investment_model: Social investeringsfond", "investment_model: Projektmedel"), 0},
		{"status", replace(mini, "status: uppstart", "status: avslutad"), 0},
		{"related", replace(mini, "  - fotosyntes\n", ""), 0},
		{"draft", replace(mini, "status: avslutad", "status: avslutad\ndraft: true"), 0},
		{"undraft", replace(mini, "draft: true\n", ""), 0},
		{"new case", func() {
			touched = append(touched, "content/exempel/ny-minimili.md")
			data, _ := os.ReadFile(filepath.Join(dir, mini))
			os.WriteFile(filepath.Join(dir, "content/exempel/ny-minimili.md"),
				[]byte(strings.Replace(string(data), "title: MiniMili och mer", "title: Ny MiniMili", 1)), 0o644)
		}, 0},
		{"deleted case", func() {
			touched = append(touched, "content/exempel/ny-minimili.md")
			os.Remove(filepath.Join(dir, "content/exempel/ny-minimili.md"))
		}, 0},
		{"term summary", replace("content/begrepp/psynk.md", "summary: ", "summary: Kort sagt "), 0},
		{"vocabulary label", replace("content/vokabular.yaml", "description: Små barn i förskoleåldern", "description: De minsta barnen i förskoleåldern"), 0},
		{"site description", replace("content/site.yaml", "description: Goda exempel", "description: Bra exempel"), 0},
		// No status stale before a hundred years: the cards that said
		// "Senast känt" say "enligt källan" (memo.cardKey: FrontContext).
		{"stale years", replace("content/site.yaml", "contact_email: redaktionen@exempelbanken.se", "contact_email: redaktionen@exempelbanken.se\nstatus_stale_years: 100"), 0},
		{"layout", replace("layouts/case.html", "<h2 id=\"fakta\">Fakta</h2>", "<h2 id=\"fakta\">Fakta om exemplet</h2>"), 0},
	}
	frontOnly := map[string]bool{"summary": true, "target group": true, "target group back": true, "status": true}
	oneCase := map[string]int64{"nothing changed": 0, "body": 1, "status": 1, "target group": 1, "municipality": 1,
		"model": 1, "nothing changed after": 0}
	// The edits that change what the backlinks are made of (linkMemo):
	// the others reuse the last build's.
	newLinks := map[string]bool{"body link": true, "body link removed": true, "summary": true, "title": true,
		"draft": true, "undraft": true, "new case": true, "deleted case": true, "term summary": true}
	for _, st := range steps {
		touched = nil
		st.edit()
		if report {
			b.Changed(touched)
		}
		got := output.NewMemory()
		renders, lists := mdRenders.Load(), linkListsMade.Load()
		filters, features := filtersHashed.Load(), featuresHashed.Load()
		res, err := b.Build(writer(got))
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		// The cases that resolve as before keep their filters' and
		// features' hashes (content.Case.ResolveKey).
		if want, ok := oneCase[st.name]; ok {
			if n := filtersHashed.Load() - filters; n != want {
				t.Errorf("%s: %d cases' filters hashed, want %d", st.name, n, want)
			}
			if n := featuresHashed.Load() - features; n != want {
				t.Errorf("%s: %d cases' features hashed, want %d", st.name, n, want)
			}
		}
		if made := linkListsMade.Load() > lists; made != newLinks[st.name] {
			t.Errorf("%s: backlinks made again %v, want %v", st.name, made, newLinks[st.name])
		}
		// An edit of the front matter alone renders no markdown.
		if n := mdRenders.Load() - renders; frontOnly[st.name] && n != 0 {
			t.Errorf("%s: %d documents' markdown rendered, want none", st.name, n)
		}
		if st.max > 0 && res.Rendered > st.max {
			t.Errorf("%s: rendered %d of %d pages, want at most %d", st.name, res.Rendered, res.Pages, st.max)
		}
		t.Logf("%s: rendered %d of %d pages, spliced %d", st.name, res.Rendered, res.Pages, res.Spliced)
		// A new target group changes the facet counts, and no card: the
		// lists of all cases show them only in the facet overview, which
		// is spliced in.
		// A spliced page is made when read, where the writer can, and
		// so is one kept from the memo as it was spliced.
		if strings.HasPrefix(st.name, "target group") {
			if res.Spliced < len(caseOrders) {
				t.Errorf("%s: %d pages spliced, want the %d lists of all cases", st.name, res.Spliced, len(caseOrders))
			}
		}
		if strings.HasPrefix(st.name, "target group") || st.name == "nothing changed after" {
			if got.Later("exempel/index.html") == plain {
				t.Errorf("%s: /exempel/ made when read %v, want %v", st.name, got.Later("exempel/index.html"), !plain)
			}
		}
		compareWithFullBuild(t, st.name, dir, theme, got)
	}
}

// TestSplicedIndexedPage checks that a list page whose layout puts it in
// the search index (data-pagefind-body) gets its new facet overview
// spliced in by the build, not when read: the preview's search index
// reads only the pages written.
func TestSplicedIndexedPage(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	replaceIn(t, dir, "layouts/case-list.html", "<h1>{{.Title}}</h1>", "<h1 data-pagefind-body>{{.Title}}</h1>")
	b := New(Options{Root: dir, Theme: theme, StableAssets: true, Incremental: true})
	defer b.Close()
	if _, err := b.Build(output.NewMemory()); err != nil {
		t.Fatal(err)
	}
	replaceIn(t, dir, "content/exempel/minimili.md", "  - Personer med riskbruk eller missbruk\n", "  - Familjer och föräldrar\n")
	got := output.NewMemory()
	res, err := b.Build(got)
	if err != nil {
		t.Fatal(err)
	}
	if res.Spliced < len(caseOrders) {
		t.Errorf("%d pages spliced, want the %d lists of all cases", res.Spliced, len(caseOrders))
	}
	if got.Later("exempel/index.html") {
		t.Error("/exempel/, indexed for search, is made when read")
	}
	compareWithFullBuild(t, "target group", dir, theme, got)
}

// repoSiteCopy copies the repository's content and layouts into a new
// folder, for a test that edits them; the theme is the repository's.
func repoSiteCopy(t *testing.T) (dir string, theme fs.FS) {
	t.Helper()
	repo := sitetest.RepoRoot(t)
	dir = t.TempDir()
	for _, d := range []string{"content", "layouts"} {
		if err := fsutil.CopyTree(filepath.Join(repo, d), filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	return dir, os.DirFS(repo)
}

// replaceIn replaces the first old in the file name below dir with new;
// old must be there.
func replaceIn(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s lacks %q", name, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
