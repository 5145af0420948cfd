package site

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/output"
)

// atomFeed is what a feed reader reads of a feed.
type atomFeed struct {
	Title    string `xml:"title"`
	Subtitle string `xml:"subtitle"`
	ID       string `xml:"id"`
	Updated  string `xml:"updated"`
	Links    []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary    string `xml:"summary"`
		Categories []struct {
			Term   string `xml:"term,attr"`
			Label  string `xml:"label,attr"`
			Scheme string `xml:"scheme,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

func readFeed(t *testing.T, m *output.Memory, name string) *atomFeed {
	t.Helper()
	var f atomFeed
	if err := xml.Unmarshal([]byte(page(t, m, name)), &f); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &f
}

func (f *atomFeed) entryIDs() string {
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.ID)
	}
	return strings.Join(out, " ")
}

func (f *atomFeed) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// TestFeeds: /exempel/atom.xml and a feed beside every facet value's page,
// newest case first, with absolute URLs and ids under baseURL.
func TestFeeds(t *testing.T) {
	m, _ := build(t, "")
	all := readFeed(t, m, "exempel/atom.xml")
	if got, want := all.entryIDs(), "https://test.example/exempel/minimili/ https://test.example/exempel/fotosyntes/"; got != want {
		t.Errorf("exempel/atom.xml entries %s, want %s (the newest first)", got, want)
	}
	if all.Title != "Nya och uppdaterade exempel – Testbanken" || all.ID != "https://test.example/exempel/atom.xml" ||
		all.Updated != "2015-07-04T00:00:00Z" || all.Author.Name != "Testbanken" ||
		all.link("self") != "https://test.example/exempel/atom.xml" || all.link("alternate") != "https://test.example/exempel/" {
		t.Errorf("exempel/atom.xml: %+v", all)
	}
	foto := all.Entries[1]
	if foto.Title != "Fotosyntes" || foto.Summary != "Samordnat stöd till barn i mellanstadiet." || foto.Link.Href != "https://test.example/exempel/fotosyntes/" ||
		foto.Published != "2015-07-03T00:00:00Z" || foto.Updated != "2015-07-03T00:00:00Z" {
		t.Errorf("fotosyntes entry: %+v", foto)
	}
	var cats []string
	for _, c := range foto.Categories {
		cats = append(cats, c.Scheme+" "+c.Term+" "+c.Label)
	}
	if got, want := strings.Join(cats, "\n"), `https://test.example/kommun/ ale Ale
https://test.example/lan/ vastra-gotalands-lan Västra Götalands län
https://test.example/malgrupp/ barn-6-12-ar Barn 6–12 år
https://test.example/begrepp/ social-investeringsfond Social investeringsfond
https://test.example/fokus/ skola-och-larande Skola och lärande
https://test.example/status/ pagaende Pågående
https://test.example/typ/ insats Insats`; got != want {
		t.Errorf("fotosyntes categories:\n%s\nwant\n%s", got, want)
	}

	for name, want := range map[string]string{
		"kommun/ale/atom.xml":                      "minimili fotosyntes",
		"lan/vastra-gotalands-lan/atom.xml":        "minimili fotosyntes",
		"malgrupp/barn-6-12-ar/atom.xml":           "fotosyntes",
		"fokus/psykisk-halsa/atom.xml":             "minimili",
		"status/uppstart/atom.xml":                 "minimili",
		"typ/insats/atom.xml":                      "fotosyntes",
		"typ/fond-eller-finansiering/atom.xml":     "", // a value without cases
		"begrepp/social-investeringsfond/atom.xml": "minimili fotosyntes",
	} {
		f := readFeed(t, m, name)
		if got := strings.ReplaceAll(strings.ReplaceAll(f.entryIDs(), "https://test.example/exempel/", ""), "/", ""); got != want {
			t.Errorf("%s: entries %q, want %q", name, got, want)
		}
		page := strings.TrimSuffix(name, "atom.xml")
		if f.ID != "https://test.example/"+name || f.link("alternate") != "https://test.example/"+page {
			t.Errorf("%s: id %s, page %s", name, f.ID, f.link("alternate"))
		}
		// An empty feed was last changed with the site's newest case.
		if want == "" && f.Updated != "2015-07-04T00:00:00Z" {
			t.Errorf("%s: updated %s", name, f.Updated)
		}
	}
	if f := readFeed(t, m, "kommun/ale/atom.xml"); f.Title != "Kommun: Ale – Testbanken" || f.Subtitle != "Exempel på sociala investeringar – kommun: Ale." {
		t.Errorf("kommun/ale/atom.xml: title %q, subtitle %q", f.Title, f.Subtitle)
	}
	// No page, no feed: a status without cases and a glossary term that is
	// not an investment model.
	for _, name := range []string{"status/avslutad/atom.xml", "begrepp/tidig-insats/atom.xml", "kallor/atom.xml", "kommun/atom.xml"} {
		if _, ok := m.Get(name); ok {
			t.Errorf("%s written", name)
		}
	}
}

var feedLinkRe = regexp.MustCompile(`<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">`)

// TestFeedLinks: the home page, every list of all cases and every facet
// value's page (paginated too) link their feed in <head>, every feed is
// linked from its page, and no other page links one.
func TestFeedLinks(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 60; i++ {
		b.WriteString(relCase(fmt.Sprintf("fall-%03d", i), "Ale", "Barn 6–12 år", "Social investeringsfond", ""))
	}
	m, _ := build(t, b.String())
	linked := map[string]bool{}
	for _, name := range m.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		body := page(t, m, name)
		head, _, _ := strings.Cut(body, "</head>")
		links := feedLinkRe.FindAllStringSubmatch(head, -1)
		path := "/" + strings.TrimSuffix(name, "index.html")
		var want string
		switch {
		case strings.Contains(body, `class="layout-home"`) || strings.Contains(body, `class="layout-case-list"`):
			want = "/exempel/atom.xml"
		case strings.Contains(body, `class="layout-facet-term"`):
			parts := strings.SplitAfterN(path, "/", 4) // "/", "kommun/", "ale/", "sida/2/"
			want = parts[0] + parts[1] + parts[2] + "atom.xml"
		case path == "/begrepp/social-investeringsfond/": // an investment model
			want = "/begrepp/social-investeringsfond/atom.xml"
		}
		switch {
		case want == "" && len(links) > 0:
			t.Errorf("%s links a feed: %s", name, links[0][0])
		case want != "" && (len(links) != 1 || links[0][2] != want):
			t.Errorf("%s: feed links %v, want one to %s", name, links, want)
		case want != "":
			linked[strings.TrimPrefix(want, "/")] = true
			if _, ok := m.Get(strings.TrimPrefix(want, "/")); !ok {
				t.Errorf("%s links %s, which is not written", name, want)
			}
		}
	}
	for _, name := range m.Names() {
		if strings.HasSuffix(name, "atom.xml") && !linked[name] {
			t.Errorf("%s is linked from no page", name)
		}
	}
	if !strings.Contains(page(t, m, "kommun/ale/sida/2/index.html"), `<link rel="alternate" type="application/atom+xml" title="Kommun: Ale – Testbanken" href="/kommun/ale/atom.xml">`) {
		t.Error("page 2 of Ale does not link the feed of Ale")
	}
	// 62 cases: the feeds keep the newest 50.
	if n := len(readFeed(t, m, "exempel/atom.xml").Entries); n != 50 {
		t.Errorf("exempel/atom.xml has %d entries, want 50", n)
	}
}

// TestFeedDatesAndDrafts: a case's updated date moves it up the feed and
// is its entry's updated; drafts are left out even when they are built.
func TestFeedDatesAndDrafts(t *testing.T) {
	archive := relCase("gammal", "Ale", "Barn 6–12 år", "Social investeringsfond", "updated: 2026-12-03\n") +
		relCase("utkast", "Ale", "Barn 6–12 år", "Social investeringsfond", "draft: true\nupdated: 2027-01-01\n")
	m, _ := build(t, archive, func(o *Options) { o.Drafts = true })
	if _, ok := m.Get("exempel/utkast/index.html"); !ok {
		t.Fatal("the draft is not built")
	}
	f := readFeed(t, m, "exempel/atom.xml")
	if got, want := f.entryIDs(), "https://test.example/exempel/gammal/ https://test.example/exempel/minimili/ https://test.example/exempel/fotosyntes/"; got != want {
		t.Errorf("entries %s, want %s", got, want)
	}
	if e := f.Entries[0]; e.Updated != "2026-12-03T00:00:00Z" || e.Published != "2015-01-01T00:00:00Z" || f.Updated != e.Updated {
		t.Errorf("updated %s, published %s, feed updated %s", e.Updated, e.Published, f.Updated)
	}
	if strings.Contains(page(t, m, "kommun/ale/atom.xml"), "utkast") {
		t.Error("the draft is in kommun/ale/atom.xml")
	}
}

// TestFeedsWithoutBaseURL: without baseURL the links are site-relative and
// the ids tag: URIs that do not depend on the build.
func TestFeedsWithoutBaseURL(t *testing.T) {
	m, _ := build(t, "-- content/site.yaml --\ntitle: Testbanken\nlanguage: sv\n")
	f := readFeed(t, m, "kommun/ale/atom.xml")
	if f.ID != "tag:exempelbanken.invalid,2026:/kommun/ale/atom.xml" || f.link("self") != "/kommun/ale/atom.xml" || f.link("alternate") != "/kommun/ale/" {
		t.Errorf("id %s, self %s, alternate %s", f.ID, f.link("self"), f.link("alternate"))
	}
	e := f.Entries[0]
	if e.ID != "tag:exempelbanken.invalid,2026:/exempel/minimili/" || e.Link.Href != "/exempel/minimili/" || e.Categories[0].Scheme != "/kommun/" {
		t.Errorf("entry %+v", e)
	}
	again, _ := build(t, "-- content/site.yaml --\ntitle: Testbanken\nlanguage: sv\n")
	if page(t, m, "exempel/atom.xml") != page(t, again, "exempel/atom.xml") {
		t.Error("two builds give different feeds")
	}
}
