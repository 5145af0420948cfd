package site

import (
	"encoding/xml"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/content"
)

// TestSitemapMatchesEncodingXML compares the hand-written sitemap with
// what xml.MarshalIndent writes for the same URLs, with characters XML
// must escape among them.
func TestSitemapMatchesEncodingXML(t *testing.T) {
	oracle := func(base string, jobs []*job) []byte {
		type u struct {
			Loc string `xml:"loc"`
		}
		var urls []u
		for _, j := range jobs {
			if j.page == nil || j.layout == "404" || j.page.Draft {
				continue
			}
			urls = append(urls, u{base + j.page.Path})
		}
		sort.Slice(urls, func(i, k int) bool { return urls[i].Loc < urls[k].Loc })
		out, err := xml.MarshalIndent(struct {
			XMLName xml.Name `xml:"urlset"`
			NS      string   `xml:"xmlns,attr"`
			URLs    []u      `xml:"url"`
		}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls}, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return append([]byte(xml.Header), out...)
	}
	jobs := []*job{
		{path: "css/main.css"}, // not a page
		{path: "b/index.html", layout: "page", page: &Page{Path: "/b/"}},
		{path: "a/index.html", layout: "case", page: &Page{Path: "/a/?x=1&y=<2>"}},
		{path: "c/index.html", layout: "case", page: &Page{Path: "/å/\"'\t/"}},
		{path: "d/index.html", layout: "case", page: &Page{Path: "/utkast/", Draft: true}},
		{path: "404.html", layout: "404", page: &Page{Path: "/404.html"}},
	}
	for _, tt := range []struct {
		name string
		jobs []*job
	}{{"pages", jobs}, {"none", jobs[:1]}} {
		t.Run(tt.name, func(t *testing.T) {
			got, want := string(sitemap("https://ex.se", tt.jobs)), string(oracle("https://ex.se", tt.jobs))
			if got != want {
				t.Errorf("sitemap:\n%s\nencoding/xml:\n%s", got, want)
			}
		})
	}
}

// TestNewest compares newest with a stable sort by date, cut at n.
func TestNewest(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	var cases []*content.Case
	for i, d := range []int{3, 1, 3, 9, 2, 9, 3, 1, 7, 3, 9, 5} {
		c := &content.Case{}
		c.Date = day(d)
		c.Slug = fmt.Sprint(i)
		cases = append(cases, c)
	}
	for _, n := range []int{0, 1, 3, 6, 12, 20} {
		want := slices.Clone(cases)
		sort.SliceStable(want, func(i, j int) bool { return want[i].Date.After(want[j].Date) })
		want = want[:min(n, len(want))]
		if got := newest(cases, n); !slices.Equal(got, want) {
			t.Errorf("newest(%d) = %v, want %v", n, slugs(got), slugs(want))
		}
	}
}

// TestReservedSlugsCoverThePlan: every first URL segment of the portal's
// own pages and files is reserved, so that no page of content/sidor can
// take it, and so is every folder of its own below /exempel/, which no
// case may take (content.ReservedSlugs is kept in content, which knows nothing
// of the plan).
func TestReservedSlugsCoverThePlan(t *testing.T) {
	m, res := build(t, "")
	reserved := map[string]bool{}
	for _, r := range content.ReservedSlugs {
		reserved[r] = true
	}
	pages := map[string]bool{}
	for _, p := range res.Site.Pages {
		pages[p.Slug] = true
	}
	cases := map[string]bool{}
	for _, c := range res.Site.Cases {
		cases[c.Slug] = true
		for _, old := range c.FormerSlugs {
			cases[old] = true // the case's own redirect
		}
	}
	for _, name := range m.Names() {
		first, rest, _ := strings.Cut(name, "/")
		if second, _, ok := strings.Cut(rest, "/"); ok && first == "exempel" && !cases[second] && !slices.Contains(content.ReservedCaseSlugs, second) {
			t.Errorf("%s: %q is not in content.ReservedCaseSlugs", name, second)
		}
		if pages[first] || strings.Contains(first, ".") {
			continue // a page of content/sidor, or a file: slugs have no dots
		}
		if !reserved[first] {
			t.Errorf("%s: %q is not in content.ReservedSlugs", name, first)
		}
	}
}
