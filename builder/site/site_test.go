package site

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// build builds the Base site plus archive into memory.
func build(t *testing.T, archive string, opts ...func(*Options)) (*output.Memory, *Result) {
	t.Helper()
	dir := t.TempDir()
	sitetest.Write(t, dir, archive)
	o := Options{Root: dir}
	for _, fn := range opts {
		fn(&o)
	}
	return buildRoot(t, o)
}

// buildRoot builds the site o describes into memory.
func buildRoot(t *testing.T, o Options) (*output.Memory, *Result) {
	t.Helper()
	b := New(o)
	defer b.Close()
	m := output.NewMemory()
	res, err := b.Build(m)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return m, res
}

func page(t *testing.T, m *output.Memory, name string) string {
	t.Helper()
	b, ok := m.Get(name)
	if !ok {
		t.Fatalf("no %s; have %v", name, m.Names())
	}
	return string(b)
}

func TestGolden(t *testing.T) {
	m, _ := build(t, "")
	for _, name := range []string{"index.html", "exempel/index.html", "exempel/fotosyntes/index.html", "exempel/minimili/index.html",
		"begrepp/index.html", "begrepp/social-investeringsfond/index.html", "begrepp/jamfor-modeller/index.html",
		"kommun/index.html", "kommun/ale/index.html", "malgrupp/barn-6-12-ar/index.html", "om-portalen/index.html", "kallor/kallan/index.html", "404.html", "sitemap.xml"} {
		// Asset fingerprints change with every style edit; the golden files
		// are about markup, so they hold a placeholder.
		got := fingerprintRe.ReplaceAllString(page(t, m, name), "$1.FINGERAVTRYCK.$2")
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "__"))
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run go test ./builder/site -update after checking the change):\n%s", name, golden, firstDiff(string(want), got))
		}
	}
}

var fingerprintRe = regexp.MustCompile(`(/(?:css|js)/[a-z-]+)\.[0-9a-f]{10}\.(css|js)`)

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDeterministic(t *testing.T) {
	a, _ := build(t, "")
	b, _ := build(t, "")
	if strings.Join(a.Names(), ",") != strings.Join(b.Names(), ",") {
		t.Fatalf("file lists differ")
	}
	// The feeds too, whose dates come from the content, never the clock.
	for _, n := range []string{"exempel/atom.xml", "kommun/ale/atom.xml", "begrepp/social-investeringsfond/atom.xml"} {
		if _, ok := a.Get(n); !ok {
			t.Errorf("no %s to compare", n)
		}
	}
	for _, n := range a.Names() {
		x, _ := a.Get(n)
		y, _ := b.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", n)
		}
	}
}

func TestBuildContents(t *testing.T) {
	m, res := build(t, "")
	if res.Pages == 0 || res.Files <= res.Pages {
		t.Errorf("result = %+v", res)
	}
	tests := []struct {
		file string
		want []string
		not  []string
	}{
		{"exempel/fotosyntes/index.html", []string{
			`<html lang="sv">`, `<span class="num">12 500 000 kr</span>`, `<a href="/kommun/ale/">Ale</a>`,
			`<a href="/lan/vastra-gotalands-lan/">Västra Götalands län</a>`, `<a href="/malgrupp/barn-6-12-ar/">Barn 6–12 år</a>`,
			`<a href="/begrepp/social-investeringsfond/">Social investeringsfond</a>`, `<a href="/fokus/skola-och-larande/">Skola och lärande</a>`,
			`href="/status/pagaende/">Senast känt: pågående 2015</a>`, "Från 2013", `<time datetime="2015-07-03">3 juli 2015</time>`,
			`data-pagefind-body`, `data-pagefind-filter="kommun">Ale</span>`, `data-pagefind-filter="län">Västra Götalands län</span>`,
			`data-pagefind-sort="start">2013</span>`, `data-pagefind-sort="datum">2015-07-03</span>`,
			`aria-describedby="def-tidig-insats">tidig insats</a>`, `aria-describedby="def-social-investeringsfond">sociala investeringsfond</a>`,
			`<h2 id="bakgrund">Bakgrund</h2>`, `<a href="/exempel/minimili/">MiniMili</a>`, `Liknande exempel`, `<a href="/kallor/kallan/"><cite>Källan</cite></a> (Testkommunen, juli 2015), s. 5`, `<dt>Återbetalt</dt><dd><span class="num">2 500 000 kr</span></dd>`, `<dt>Utvärdering</dt><dd>följeforskning</dd>`,
			`<dt>Resultat</dt><dd><ul><li>Närvaron i skolan ökade.</li></ul></dd>`, `<a href="mailto:socialainvesteringar@ale.example">`,
			`<dt>Senast granskad</dt><dd><time datetime="2026-11-30">30 november 2026</time></dd>`,
			`<a class="skip-link" href="#innehall">`}, nil},
		{"exempel/minimili/index.html", []string{`<h2 id="namns-i">Nämns i</h2>`, `<a href="/exempel/fotosyntes/">Fotosyntes</a> <span class="kind">Exempel</span>`,
			`data-pagefind-sort="start">0000</span>`}, nil},
		{"begrepp/social-investeringsfond/index.html", []string{"Exempel som använder modellen", `href="/exempel/fotosyntes/"`, `href="/exempel/minimili/"`,
			"Nämns i", `<dt>Vem finansierar</dt><dd>Kommunen</dd>`, "Kallas också: fondmodell"}, nil},
		{"begrepp/index.html", []string{`href="#bokstav-s"`, `id="bokstav-t"`, "Investeringsmodell</span>", `<li aria-hidden="true"><span>Å</span></li>`}, nil},
		{"kommun/index.html", []string{`<h2 id="vastra-gotalands-lan"><a href="/lan/vastra-gotalands-lan/">Västra Götalands län</a>`, `<a href="/kommun/ale/">Ale</a>`}, nil},
		{"lan/vastra-gotalands-lan/index.html", []string{"Kommuner med exempel", `href="/kommun/ale/"`}, nil},
		{"malgrupp/index.html", []string{"Barn 6–12 år", "Ungdomar 13–19 år"}, nil},
		{"status/uppstart/index.html", []string{"MiniMili"}, []string{"Fotosyntes"}},
		{"begrepp/jamfor-modeller/index.html", []string{`<th scope="row"><a href="/begrepp/social-investeringsfond/">Social investeringsfond</a></th>`, `<td>2 st.: <a href=`, `<td>kommunen vill pröva en förebyggande insats och kan vänta på vinsterna</td>`}, nil},
		{"index.html", []string{"Testbanken", `href="/malgrupp/barn-6-12-ar/"`}, nil},
		{"robots.txt", []string{"Sitemap: https://test.example/sitemap.xml"}, nil},
		{"sitemap.xml", []string{"<loc>https://test.example/exempel/fotosyntes/</loc>"}, []string{"404", "mini-mili"}},
		{"exempel/mini-mili/index.html", []string{`<meta http-equiv="refresh" content="0; url=https://test.example/exempel/minimili/">`,
			`<link rel="canonical" href="https://test.example/exempel/minimili/">`, `<meta name="robots" content="noindex">`,
			`<a href="https://test.example/exempel/minimili/">MiniMili</a> har fått en ny adress.`}, nil},
	}
	for _, tt := range tests {
		got := page(t, m, tt.file)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %s", tt.file, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(got, w) {
				t.Errorf("%s has %s", tt.file, w)
			}
		}
	}
	if _, ok := m.Get("status/avslutad/index.html"); ok {
		t.Error("empty status page written")
	}
	var css string
	for _, n := range m.Names() {
		if strings.HasPrefix(n, "css/main.") && strings.HasSuffix(n, ".css") {
			css = n
		}
	}
	if css == "" || !strings.Contains(page(t, m, "index.html"), `href="/`+css+`"`) {
		t.Errorf("fingerprinted stylesheet %q not linked", css)
	}
}

func TestDrafts(t *testing.T) {
	draft := "-- content/exempel/utkast.md --\n---\ntitle: Utkast\nsummary: S\nmunicipality: Ale\ntarget_group: Barn 6–12 år\ninvestment_model: Social investeringsfond\nstatus: planerad\ndate: 2016-01-01\ndraft: true\n---\nText\n" +
		"-- content/sidor/om-portalen.md --\n---\ntitle: Om portalen\n---\nSe [[utkast]].\n"
	m, _ := build(t, draft)
	if _, ok := m.Get("exempel/utkast/index.html"); ok {
		t.Error("draft published without -drafts")
	}
	if got := page(t, m, "om-portalen/index.html"); !strings.Contains(got, "Se utkast.") {
		t.Errorf("link to a draft should be plain text")
	}
	m, _ = build(t, draft, func(o *Options) { o.Drafts = true })
	if got := page(t, m, "exempel/utkast/index.html"); !strings.Contains(got, `class="draft-banner"`) || !strings.Contains(got, "Utkast.") {
		t.Error("draft page lacks the Utkast banner")
	}
}

// TestCaseOrders: the list of all cases can be read by title, start year,
// cost and last review, each a page of its own that marks its order; cases
// without the value come last.
func TestCaseOrders(t *testing.T) {
	mm := sitetest.Parse(sitetest.Base)["content/exempel/minimili.md"]
	mm = strings.Replace(mm, "status: uppstart\n", "status: uppstart\nstart: 2020\ncost_sek: 99000000\n", 1)
	m, _ := build(t, "-- content/exempel/minimili.md --\n"+mm)
	first := func(name string) string {
		body := page(t, m, name)
		i := strings.Index(body, `class="case-card__title"><a href="`)
		if i < 0 {
			t.Fatalf("%s has no cards", name)
		}
		rest := body[i+len(`class="case-card__title"><a href="`):]
		return rest[:strings.Index(rest, `"`)]
	}
	for name, want := range map[string]string{
		"exempel/index.html":                  "/exempel/fotosyntes/", // F before M
		"exempel/efter-kostnad/index.html":    "/exempel/minimili/",   // 99 000 000 kr before 12 500 000 kr
		"exempel/efter-granskning/index.html": "/exempel/fotosyntes/", // the only one reviewed
		"exempel/efter-start/index.html":      "/exempel/minimili/",   // 2020 before 2013
	} {
		if got := first(name); got != want {
			t.Errorf("%s lists %s first, want %s", name, got, want)
		}
	}
	if body := page(t, m, "exempel/efter-kostnad/index.html"); !strings.Contains(body, `href="/exempel/efter-kostnad/" aria-current="page">kostnad</a>`) ||
		!strings.Contains(body, "<title>Alla exempel efter kostnad") {
		t.Error("the order page does not mark its order")
	}
}

// TestSourcePages: /kallor/ lists the register, and each source's page
// lists the cases and terms that cite it.
func TestSourcePages(t *testing.T) {
	m, _ := build(t, "")
	idx := page(t, m, "kallor/index.html")
	for _, want := range []string{`<a href="/kallor/kallan/">Källan</a>`, "Testkommunen, juli 2015 · rapport", "2 exempel"} {
		if !strings.Contains(idx, want) {
			t.Errorf("kallor/index.html lacks %q", want)
		}
	}
	src := page(t, m, "kallor/kallan/index.html")
	for _, want := range []string{"<h1>Källan</h1>", `href="/exempel/fotosyntes/"`, `href="/exempel/minimili/"`, `<a href="/kallor/">Källor</a>`} {
		if !strings.Contains(src, want) {
			t.Errorf("kallor/kallan/index.html lacks %q", want)
		}
	}
}

// TestTheme: a root without layouts/ and assets/ is built with the theme
// (the repository's own), file for file the same as a root that has them.
func TestTheme(t *testing.T) {
	own, _ := build(t, "")
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	os.RemoveAll(filepath.Join(dir, "layouts"))
	os.RemoveAll(filepath.Join(dir, "assets"))
	themed, _ := buildRoot(t, Options{Root: dir, Theme: os.DirFS(sitetest.RepoRoot(t))})
	if got, want := themed.Names(), own.Names(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("with the theme %d files, with its own layouts %d", len(got), len(want))
	}
	for _, name := range own.Names() {
		want, _ := own.Get(name)
		got, _ := themed.Get(name)
		if string(got) != string(want) {
			t.Errorf("%s differs with the theme: %s", name, firstDiff(string(want), string(got)))
		}
	}
	if _, ok := themed.Get("exempel/fotosyntes/index.html"); !ok {
		t.Error("no case page")
	}
}

func TestPagination(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 120; i++ {
		b.WriteString(relCase(fmt.Sprintf("fall-%03d", i), "Ale", "Barn 6–12 år", "Social investeringsfond", "sources:\n  - source: kallan\n"))
	}
	m, _ := build(t, b.String())
	first := page(t, m, "exempel/index.html")
	for _, want := range []string{"Visar 1–50 av 122 exempel.", `<a href="/exempel/sida/2/" rel="next">`, `<a href="/exempel/" aria-current="page">1</a>`,
		"Portalen har 122 exempel"} {
		if !strings.Contains(first, want) {
			t.Errorf("page 1 lacks %s", want)
		}
	}
	last := page(t, m, "exempel/sida/3/index.html")
	for _, want := range []string{"Visar 101–122 av 122 exempel.", `rel="prev"`, "<title>Alla exempel – sida 3 av 3 – Testbanken</title>"} {
		if !strings.Contains(last, want) {
			t.Errorf("page 3 lacks %s", want)
		}
	}
	if strings.Count(last, `class="case-card"`) != 22 {
		t.Errorf("page 3 has %d cards", strings.Count(last, `class="case-card"`))
	}
	if _, ok := m.Get("kommun/ale/sida/3/index.html"); !ok {
		t.Error("facet pages are not paginated")
	}
	// Every page of a list counts the whole list.
	if got := page(t, m, "kommun/ale/sida/2/index.html"); !strings.Contains(got, `<p class="count-line">122 exempel i Ale`) {
		t.Error("the second page of Ale does not count all 122 cases")
	}
	// So are the lists of the cases that cite a source.
	src := page(t, m, "kallor/kallan/index.html")
	for _, want := range []string{`Exempel som bygger på källan <span class="count">122</span>`, "Visar 1–50 av 122 exempel.", `<a href="/kallor/kallan/sida/2/" rel="next">`} {
		if !strings.Contains(src, want) {
			t.Errorf("source page 1 lacks %s", want)
		}
	}
	if n := strings.Count(src, `class="case-card"`); n != PageSize {
		t.Errorf("source page 1 has %d cards, want %d", n, PageSize)
	}
	if got := page(t, m, "kallor/kallan/sida/3/index.html"); strings.Count(got, `class="case-card"`) != 22 || !strings.Contains(got, "<dt>Utgivare</dt>") {
		t.Error("source page 3: not the last 22 cases with the source's facts")
	}
	if got := page(t, m, "begrepp/social-investeringsfond/index.html"); strings.Count(got, `class="case-card"`) != PageSize || !strings.Contains(got, "Visa alla 122 exempel") {
		t.Errorf("model page does not cap its list at %d with a link to all", PageSize)
	}
}

func TestPagerLinks(t *testing.T) {
	show := func(ls []PagerLink) string {
		var parts []string
		for _, l := range ls {
			switch {
			case l.Gap:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+itoa(l.Number)+"]")
			default:
				parts = append(parts, itoa(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}
	for _, c := range []struct {
		n, total int
		want     string
	}{
		{1, 2, "[1] 2"},
		{1, 7, "[1] 2 3 … 7"},
		{4, 7, "1 2 3 [4] 5 6 7"},
		{5, 9, "1 2 3 4 [5] 6 7 8 9"},
		{6, 12, "1 … 4 5 [6] 7 8 … 12"},
		{2000, 2000, "1 … 1998 1999 [2000]"},
		{1000, 2000, "1 … 998 999 [1000] 1001 1002 … 2000"},
	} {
		links := pagerLinks("/exempel/", c.n, c.total)
		if got := show(links); got != c.want {
			t.Errorf("pagerLinks(%d, %d) = %s, want %s", c.n, c.total, got, c.want)
		}
		for _, l := range links {
			if !l.Gap && l.URL != pageURL("/exempel/", l.Number) {
				t.Errorf("page %d links to %s", l.Number, l.URL)
			}
		}
	}
}

// TestReportVerbose: -v lists each phase; phases with processor time also
// show it and the cores kept busy, with a decimal comma; then the number
// of template executions that went through html/template.
func TestReportVerbose(t *testing.T) {
	r := &Result{Pages: 3, Files: 4, Phases: []Phase{
		{Name: "läs", Duration: 200 * time.Millisecond, CPU: 360 * time.Millisecond},
		{Name: "vänta", Duration: 5 * time.Microsecond, CPU: time.Millisecond},
		{Name: "skriv", Duration: 100 * time.Millisecond},
	}}
	var b strings.Builder
	r.Report(&b, time.Second, true)
	want := "Byggde 3 sidor (4 filer) på 1s\n" +
		"  läs                                           200ms   processortid    360ms (1,8 kärnor)\n" +
		"  vänta                                           5µs\n" +
		"  skriv                                         100ms\n" +
		"  mallkörningar genom html/template                 0\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	r.Report(&b, time.Second, false)
	if b.String() != "Byggde 3 sidor (4 filer) på 1s\n" {
		t.Errorf("without -v: %q", b.String())
	}
}
