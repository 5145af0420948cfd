package site

import (
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/stable"
)

// derived lists the fields a layout can read that the page key leaves out
// on purpose, with the reason: they follow from what the key covers.
var derived = map[string]string{
	"Page.Site":         "siteKey and facetKey cover it (TestSiteKeyCoversSiteData)",
	"Page.Layout":       "an argument of pageKey",
	"Page.Letters":      "made from the glossary terms, whose hashes siteKey covers",
	"FacetValue.Facet":  "the facet the value belongs to, keyed with the page's facet",
	"FacetValue.Kommun": "from the data files (siteKey: DataHash), named by Slug",
	"FacetValue.Lan":    "from the data files (siteKey: DataHash), named by Slug and Group",
	"FacetValue.Term":   "a glossary term, whose hash siteKey covers, named by Slug",
	"FacetValue.Cases":  "their number is keyed; the cases themselves by the page's case lists",
	"LanGroup.Lan":      "from the data files (siteKey: DataHash); its name is keyed",
	"Facet.Values":      "each value is keyed (see FacetValue)",
}

// fill returns a value of type t with every exported field, element and
// scalar set, from n (so that fill(t, 1) and fill(t, 2) differ in every
// scalar). Types of package content are filled too: their hashes and
// files are what the key reads of them.
func fill(t reflect.Type, n, depth int) reflect.Value {
	v := reflect.New(t).Elem()
	if depth > 8 {
		return v
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprint("x", n))
	case reflect.Bool:
		v.SetBool(n%2 == 1)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Uint64, reflect.Uint32, reflect.Uint8:
		v.SetUint(uint64(n))
	case reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	case reflect.Array:
		for i := 0; i < t.Len(); i++ {
			v.Index(i).Set(fill(t.Elem(), n, depth+1))
		}
	case reflect.Pointer:
		v.Set(fill(t.Elem(), n, depth+1).Addr())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 1, 1))
		v.Index(0).Set(fill(t.Elem(), n, depth+1))
	case reflect.Map:
		v.Set(reflect.MakeMap(t))
		v.SetMapIndex(fill(t.Key(), n, depth+1), fill(t.Elem(), n, depth+1))
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).IsExported() {
				v.Field(i).Set(fill(t.Field(i).Type, n, depth+1))
			}
		}
	}
	return v
}

// keyOf is pageKey of p, with each case's card hashed by its file.
func keyOf(m *memo, p *Page) uint64 {
	return m.pageKey(1, "/a/", "layout", p, func(c *content.Case) uint64 { return uint64(len(c.File)) + c.Hash }, false)
}

// TestPageKeyCoversEveryField changes each field a layout can read, one
// at a time, on a page and on the site-package values it holds, and
// requires the page key to change, unless the field is in derived. A field
// added to Page (or Facet, FacetValue, Pager, ...) without being added to
// pageKey fails here, so the memo cannot serve a stale page.
func TestPageKeyCoversEveryField(t *testing.T) {
	m := newMemo()
	pageType := reflect.TypeFor[Page]()
	base := fill(pageType, 1, 0).Addr().Interface().(*Page)
	baseKey := keyOf(m, base)
	checked := 0
	for i := 0; i < pageType.NumField(); i++ {
		f := pageType.Field(i)
		if !f.IsExported() || derived["Page."+f.Name] != "" {
			continue
		}
		p := fill(pageType, 1, 0).Addr().Interface().(*Page)
		reflect.ValueOf(p).Elem().Field(i).Set(reflect.Zero(f.Type))
		checked++
		if keyOf(m, p) == baseKey {
			t.Errorf("Page.%s is not part of the page key: add it to pageKey, or to derived with the reason", f.Name)
		}
		// One level down, in the site package's own types.
		inner := f.Type
		for inner.Kind() == reflect.Pointer || inner.Kind() == reflect.Slice || inner.Kind() == reflect.Map {
			inner = inner.Elem()
		}
		if inner.Kind() != reflect.Struct || inner.PkgPath() != pageType.PkgPath() || inner == reflect.TypeFor[SiteData]() {
			continue
		}
		for j := 0; j < inner.NumField(); j++ {
			sf := inner.Field(j)
			name := inner.Name() + "." + sf.Name
			if !sf.IsExported() || derived[name] != "" {
				continue
			}
			p := fill(pageType, 1, 0).Addr().Interface().(*Page)
			elem := reflect.ValueOf(p).Elem().Field(i)
			for elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice || elem.Kind() == reflect.Map {
				switch elem.Kind() {
				case reflect.Pointer:
					elem = elem.Elem()
				case reflect.Slice:
					elem = elem.Index(0)
				case reflect.Map:
					k := elem.MapKeys()[0]
					cp := reflect.New(elem.Type().Elem()).Elem()
					cp.Set(elem.MapIndex(k))
					elem.SetMapIndex(k, cp)
					elem = cp
				}
			}
			elem.Field(j).Set(fill(sf.Type, 2, 1))
			checked++
			if keyOf(m, p) == baseKey {
				t.Errorf("%s (in Page.%s) is not part of the page key: add it to pageKey, or to derived with the reason", name, f.Name)
			}
		}
	}
	t.Logf("%d fields checked, %d derived", checked, len(derived))
}

// TestSiteKeyCoversSiteData: each field of SiteData changes siteKey or,
// for what only facet layouts show, facetKey.
func TestSiteKeyCoversSiteData(t *testing.T) {
	m := newMemo()
	s := &content.Site{}
	tpl := &templates{}
	sdType := reflect.TypeFor[SiteData]()
	keys := func(sd *SiteData) (uint64, uint64) {
		site := m.siteKey(s, sd, tpl, 1)
		return site, m.facetKey(site, sd)
	}
	base := fill(sdType, 1, 0).Addr().Interface().(*SiteData)
	baseSite, baseFacet := keys(base)
	for i := 0; i < sdType.NumField(); i++ {
		f := sdType.Field(i)
		if !f.IsExported() {
			continue
		}
		sd := fill(sdType, 1, 0).Addr().Interface().(*SiteData)
		reflect.ValueOf(sd).Elem().Field(i).Set(fill(f.Type, 2, 1))
		site, facet := keys(sd)
		if site == baseSite && facet == baseFacet {
			t.Errorf("SiteData.%s is in neither siteKey nor facetKey", f.Name)
		}
		if strings.HasPrefix(f.Name, "Facet") && facet == baseFacet {
			t.Errorf("SiteData.%s does not change facetKey", f.Name)
		}
	}
}

// TestSums checks that a long string's hash does not depend on whether
// it was looked up before, by the same string or by an equal one at
// another address, and that trim forgets the strings of past builds.
func TestSums(t *testing.T) {
	var m sums
	a := strings.Repeat("brödtext ", 100)
	b := strings.Clone(a)
	c := a[:len(a)-1] // same address, shorter: another string
	want := stable.String
	for i, s := range []string{a, a, b, c, c, a} {
		if got := m.of(s); got != want(s) {
			t.Fatalf("lookup %d: %x, want %x", i, got, want(s))
		}
	}
	if got := m.len(); got != 3 {
		t.Errorf("%d strings kept, want 3 (a, its clone, its prefix)", got)
	}
	var nilSums *sums
	if nilSums.of(a) != want(a) {
		t.Error("a nil *sums hashes differently")
	}
	// A build that looks up few strings after many were kept: trim
	// forgets them all; one that looks up as many keeps them.
	for i := range 5000 {
		m.of(strings.Repeat("x", 300) + strconv.Itoa(i))
	}
	m.trim()
	if n := m.len(); n == 0 {
		t.Fatal("trim forgot the strings of the build that just looked them up")
	}
	m.of(a)
	m.trim()
	if n := m.len(); n != 0 {
		t.Errorf("after a build of one lookup, trim kept %d strings", n)
	}
	if m.of(a) != want(a) {
		t.Error("hash after trim differs")
	}
}

// TestTextKeyCoversIndexedText: each thing indexedText reads changes a
// page's text key, so the preview's search terms (search.Memo) are made
// again when the text they come from changes.
func TestTextKeyCoversIndexedText(t *testing.T) {
	m := newMemo()
	base := func() *Page {
		c := &content.Case{Status: content.StatusOngoing, Municipalities: []*content.Kommun{{Code: "1440", Name: "Ale"}}}
		return &Page{Title: "Familjecentral", Description: "Tidiga insatser för familjer.",
			Body: "<p>Ett stödprogram för föräldrar.</p>", Case: c,
			Term: &content.Term{Aliases: []string{"familjecentraler"}}}
	}
	for _, tc := range []struct {
		name string
		edit func(p *Page)
	}{
		{"title", func(p *Page) { p.Title = "Familjecentralen" }},
		{"description", func(p *Page) { p.Description = "Tidiga insatser för barn." }},
		{"body", func(p *Page) { p.Body = "<p>Ett stödprogram för barn.</p>" }},
		{"long body", func(p *Page) { p.Body += template.HTML(strings.Repeat(" stöd", longString)) }},
		{"alias", func(p *Page) { p.Term.Aliases = []string{"familjecenter"} }},
		{"filter", func(p *Page) { p.Case.Status = content.StatusEnded }},
	} {
		p, q := base(), base()
		tc.edit(q)
		if indexedText(p) == indexedText(q) {
			t.Fatalf("%s: the edit does not change the indexed text", tc.name)
		}
		if textKey(p, m) == textKey(q, m) {
			t.Errorf("%s changes the indexed text but not the text key", tc.name)
		}
	}
}

// TestReadsFacetValues: a template that reads only a facet's names keeps
// its pages keyed without the facet's values (templates.shallowFacet);
// any other use of .Facet counts as reading them.
func TestReadsFacetValues(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`<a href="{{.Facet.URL}}">{{.Facet.Name}}</a> {{.Facet.Key}} {{.Facet.Plural}} {{.Facet.Intro}} {{if .Facet.HasIndex}}x{{end}}`, false},
		{`{{.Site.FacetNav}} {{range .Site.Facets}}{{.Plural}}{{end}}`, false}, // other fields (templates.facets)
		{`{{.Value.Label}} {{.Value.Count}}`, false},
		{`{{range .Facet.Values}}{{.Label}}{{end}}`, true},
		{`{{range .Facet.Used}}{{.Label}}{{end}}`, true},
		{`{{with .Facet}}{{range .Values}}{{end}}{{end}}`, true},
		{`{{$f := .Facet}}{{$f.Name}}`, true},
		{`{{template "values" .Facet}}`, true},
		{`{{(.Facet).Name}}`, true},
		{`{{.Value.Facet.Values}}`, true},
		{`{{.Facet.Names}}`, true}, // not one of the names
	} {
		if got := readsFacetValues(tc.src); got != tc.want {
			t.Errorf("readsFacetValues(%s) = %v, want %v", tc.src, got, tc.want)
		}
	}
}
