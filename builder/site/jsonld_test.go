package site

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

var ldScriptRe = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// ldObjects returns every JSON-LD object of a page's <head>, by @type,
// each checked to parse and to name schema.org as its @context.
func ldObjects(t *testing.T, name, html string) map[string]map[string]any {
	t.Helper()
	head, _, _ := strings.Cut(html, "</head>")
	out := map[string]map[string]any{}
	for _, m := range ldScriptRe.FindAllStringSubmatch(head, -1) {
		var obj map[string]any
		if err := json.Unmarshal([]byte(m[1]), &obj); err != nil {
			t.Fatalf("%s: structured data does not parse: %v\n%s", name, err, m[1])
		}
		if obj["@context"] != "https://schema.org" {
			t.Errorf("%s: @context %v", name, obj["@context"])
		}
		typ, _ := obj["@type"].(string)
		if out[typ] != nil {
			t.Errorf("%s: two %s objects", name, typ)
		}
		out[typ] = obj
	}
	if n := strings.Count(html, `<script type="application/ld+json">`); n != len(out) {
		t.Errorf("%s: %d ld+json scripts, %d in <head>", name, n, len(out))
	}
	return out
}

// get follows a path of keys and indexes through decoded JSON.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func types(objs map[string]map[string]any) []string {
	var out []string
	for k := range objs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestStructuredDataRealContent builds the real content and reads the
// structured data and the Open Graph tags of a case, a glossary term, a
// facet value and the home page as a search engine would.
func TestStructuredDataRealContent(t *testing.T) {
	m, res := buildRoot(t, Options{Root: sitetest.RepoRoot(t)})
	base := res.Site.Config.BaseURL // "https://exempelbanken.se/"
	if base == "" {
		t.Fatal("the real content has no baseURL")
	}
	var foto *content.Case
	var fond *content.Term
	for _, c := range res.Site.Cases {
		if c.Slug == "fotosyntes" {
			foto = c
		}
	}
	for _, term := range res.Site.Terms {
		if term.Slug == "social-investeringsfond" {
			fond = term
		}
	}
	if foto == nil || fond == nil || len(foto.Municipalities) == 0 || len(fond.Aliases) == 0 {
		t.Fatal("the real content lacks fotosyntes (with a kommun) or social-investeringsfond (with aliases)")
	}
	breadcrumbs := func(name string, objs map[string]map[string]any, want ...string) {
		t.Helper()
		items, _ := get(objs["BreadcrumbList"], "itemListElement").([]any)
		if len(items) != len(want)/2 {
			t.Fatalf("%s: %d breadcrumbs, want %d", name, len(items), len(want)/2)
		}
		for i := range items {
			if get(items[i], "@type") != "ListItem" || get(items[i], "position") != float64(i+1) ||
				get(items[i], "name") != want[2*i] || get(items[i], "item") != want[2*i+1] {
				t.Errorf("%s: breadcrumb %d is %v, want %s %s", name, i+1, items[i], want[2*i], want[2*i+1])
			}
		}
	}

	t.Run("case", func(t *testing.T) {
		name := "exempel/fotosyntes/index.html"
		html := page(t, m, name)
		objs := ldObjects(t, name, html)
		if got := types(objs); !slices.Equal(got, []string{"Article", "BreadcrumbList"}) {
			t.Fatalf("types %v", got)
		}
		a := objs["Article"]
		url := base + "exempel/fotosyntes/"
		for key, want := range map[string]any{"headline": foto.Title, "description": foto.Summary, "inLanguage": "sv", "url": url,
			"datePublished": foto.Date.Format(time.DateOnly), "dateModified": lastChange(foto).Format(time.DateOnly)} {
			if a[key] != want {
				t.Errorf("Article %s = %v, want %v", key, a[key], want)
			}
		}
		if get(a, "publisher", "@type") != "Organization" || get(a, "publisher", "name") != "Exempelbanken" || get(a, "publisher", "url") != base {
			t.Errorf("publisher %v", a["publisher"])
		}
		p := get(a, "about")
		if get(p, "@type") != "Project" || get(p, "name") != foto.Title || get(p, "description") != foto.Summary {
			t.Errorf("about %v", p)
		}
		k := foto.Municipalities[0]
		loc := get(p, "location", 0)
		// The kommunkod is a string of four digits ("1440" for Ale), not a
		// number, which would lose a leading zero (0114 Upplands Väsby).
		code, ok := get(loc, "identifier", "value").(string)
		if !ok || code != k.Code || !regexp.MustCompile(`^\d{4}$`).MatchString(code) {
			t.Errorf("location identifier value %#v, want the string %q", get(loc, "identifier", "value"), k.Code)
		}
		if k.Slug == "ale" && code != "1440" {
			t.Errorf("Ale's kommunkod %s, want 1440", code)
		}
		if get(loc, "@type") != "Place" || get(loc, "name") != k.Name || get(loc, "identifier", "@type") != "PropertyValue" ||
			get(loc, "identifier", "propertyID") != "kommunkod" || get(loc, "address", "@type") != "PostalAddress" ||
			get(loc, "address", "addressRegion") != k.Lan.Name || get(loc, "address", "addressCountry") != "SE" {
			t.Errorf("location %v", loc)
		}
		kw, _ := get(p, "keywords").([]any)
		for _, model := range foto.InvestmentModels {
			if !slices.Contains(kw, any(model.Title)) {
				t.Errorf("keywords %v lack the model %s", kw, model.Title)
			}
		}
		breadcrumbs(name, objs, "Startsida", base, "Exempel", base+"exempel/", foto.Title, url)
		for _, want := range []string{`<meta property="og:type" content="article">`, `<meta property="og:url" content="` + url + `">`,
			`<link rel="canonical" href="` + url + `">`, `<meta property="og:site_name" content="Exempelbanken">`, `<meta property="og:locale" content="sv_SE">`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	})

	// Every case: schema.org has no startDate or endDate on a Project (an
	// Organization), so the years are its foundingDate and
	// dissolutionDate; the amount granted is its funding; each kommun is a
	// place with its kommunkod.
	t.Run("every case", func(t *testing.T) {
		years, grants := 0, 0
		for _, c := range res.Site.Cases {
			name := strings.TrimPrefix(c.URL(), "/") + "index.html"
			p := get(ldObjects(t, name, page(t, m, name))["Article"], "about")
			for key, year := range map[string]int{"foundingDate": c.Start, "dissolutionDate": c.End} {
				want := any(nil)
				if year > 0 {
					want, years = fmt.Sprintf("%04d", year), years+1
				}
				if get(p, key) != want {
					t.Errorf("%s: %s %v, want %v", name, key, get(p, key), want)
				}
			}
			for _, key := range []string{"startDate", "endDate"} {
				if get(p, key) != nil {
					t.Errorf("%s: the Project has %s, which schema.org does not define for it", name, key)
				}
			}
			if c.HasCost {
				grants++
				if get(p, "funding", "@type") != "MonetaryGrant" || get(p, "funding", "amount", "currency") != "SEK" ||
					get(p, "funding", "amount", "value") != float64(c.Cost) {
					t.Errorf("%s: funding %v, want %d SEK", name, get(p, "funding"), c.Cost)
				}
			} else if get(p, "funding") != nil {
				t.Errorf("%s: funding %v without cost_sek", name, get(p, "funding"))
			}
			for i, k := range c.Municipalities {
				if get(p, "location", i, "name") != k.Name || get(p, "location", i, "identifier", "value") != k.Code {
					t.Errorf("%s: location %d is %v, want %s %s", name, i, get(p, "location", i), k.Name, k.Code)
				}
			}
			if get(p, "location", 0, "@type") != "Place" {
				t.Errorf("%s: no place: %v", name, get(p, "location"))
			}
		}
		if years == 0 || grants == 0 {
			t.Errorf("%d years and %d grants checked", years, grants)
		}
	})

	t.Run("term", func(t *testing.T) {
		name := "begrepp/social-investeringsfond/index.html"
		html := page(t, m, name)
		objs := ldObjects(t, name, html)
		if got := types(objs); !slices.Equal(got, []string{"BreadcrumbList", "DefinedTerm"}) {
			t.Fatalf("types %v", got)
		}
		d := objs["DefinedTerm"]
		url := base + "begrepp/social-investeringsfond/"
		if d["name"] != fond.Title || d["description"] != fond.Summary || d["url"] != url {
			t.Errorf("DefinedTerm %v", d)
		}
		var aliases []string
		for _, a := range d["alternateName"].([]any) {
			aliases = append(aliases, a.(string))
		}
		if !slices.Equal(aliases, fond.Aliases) {
			t.Errorf("alternateName %v, want %v", aliases, fond.Aliases)
		}
		if get(d, "inDefinedTermSet", "@type") != "DefinedTermSet" || get(d, "inDefinedTermSet", "name") != "Begrepp" ||
			get(d, "inDefinedTermSet", "url") != base+"begrepp/" {
			t.Errorf("inDefinedTermSet %v", d["inDefinedTermSet"])
		}
		breadcrumbs(name, objs, "Startsida", base, "Begrepp", base+"begrepp/", fond.Title, url)
		if !strings.Contains(html, `<meta property="og:type" content="article">`) {
			t.Errorf("%s is not og:type article", name)
		}
		// An investment model's page is its facet value's page.
		if !strings.Contains(html, `<link rel="alternate" type="application/atom+xml" title="Investeringsmodell: Social investeringsfond – Exempelbanken" href="/begrepp/social-investeringsfond/atom.xml">`) {
			t.Errorf("%s does not link its feed", name)
		}
	})

	t.Run("facet value", func(t *testing.T) {
		name := "kommun/ale/index.html"
		html := page(t, m, name)
		objs := ldObjects(t, name, html)
		if got := types(objs); !slices.Equal(got, []string{"BreadcrumbList"}) {
			t.Fatalf("types %v", got)
		}
		breadcrumbs(name, objs, "Startsida", base, "Kommuner", base+"kommun/", "Västra Götalands län", base+"lan/vastra-gotalands-lan/", "Ale", base+"kommun/ale/")
		for _, want := range []string{`<meta property="og:type" content="website">`, `<meta property="og:url" content="` + base + `kommun/ale/">`,
			`<link rel="alternate" type="application/atom+xml" title="Kommun: Ale – Exempelbanken" href="/kommun/ale/atom.xml">`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	})

	t.Run("home", func(t *testing.T) {
		html := page(t, m, "index.html")
		objs := ldObjects(t, "index.html", html)
		if got := types(objs); !slices.Equal(got, []string{"WebSite"}) {
			t.Fatalf("types %v", got)
		}
		w := objs["WebSite"]
		if w["name"] != "Exempelbanken" || w["url"] != base || w["inLanguage"] != "sv" || w["description"] != res.Site.Config.Description {
			t.Errorf("WebSite %v", w)
		}
		for _, want := range []string{`<meta property="og:type" content="website">`, `<meta property="og:url" content="` + base + `">`,
			`<link rel="alternate" type="application/atom+xml" title="Nya och uppdaterade exempel – Exempelbanken" href="/exempel/atom.xml">`} {
			if !strings.Contains(html, want) {
				t.Errorf("index.html lacks %s", want)
			}
		}
	})

	// Every page: canonical and og:url agree, and og:type, og:site_name and
	// og:locale are there.
	pages := 0
	for _, name := range m.Names() {
		if !strings.HasSuffix(name, ".html") || strings.HasPrefix(name, "admin/") {
			continue
		}
		html := page(t, m, name)
		if strings.Contains(html, `<meta name="robots" content="noindex">`) && strings.Contains(html, `http-equiv="refresh"`) {
			continue // a former address
		}
		pages++
		head, _, _ := strings.Cut(html, "</head>")
		canon := regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`).FindStringSubmatch(head)
		ogURL := regexp.MustCompile(`<meta property="og:url" content="([^"]*)">`).FindStringSubmatch(head)
		if name != "404.html" && (canon == nil || ogURL == nil || canon[1] != ogURL[1]) {
			t.Errorf("%s: canonical %v, og:url %v", name, canon, ogURL)
		}
		for _, want := range []string{`<meta property="og:site_name" content="Exempelbanken">`, `<meta property="og:locale" content="sv_SE">`, `<meta property="og:type" content="`} {
			if !strings.Contains(head, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
		ldObjects(t, name, html)
	}
	if pages < 100 {
		t.Errorf("only %d pages checked", pages)
	}
}

// TestJSONLDCannotBreakOut: whatever front matter holds, the structured
// data is one script element per object whose text is JSON without a "<"
// (so no "</script" and no "<!--"), and reads back as the front matter.
func TestJSONLDCannotBreakOut(t *testing.T) {
	nasty := []string{
		`</script><script>alert(1)</script>`,
		`</SCRIPT ><img src=x onerror=alert(2)>`,
		`<!--<script>`,
		`"}]}</script><script>alert(3)//`,
		"\u2028\u2029 & &amp; \\ \" ' `",
		"<\x00>",
	}
	sd := &SiteData{Title: nasty[0], Description: nasty[2], BaseURL: "https://x.example"}
	lan := &content.Lan{Name: nasty[4], Code: "14", Slug: "l"}
	for _, s := range nasty {
		c := &content.Case{Doc: content.Doc{Title: s, Summary: s, Slug: "a", Section: content.SectionCase},
			Municipalities: []*content.Kommun{{Name: s, Code: s, Lan: lan}}, ExplicitRegions: []*content.Lan{{Name: s, Code: s}},
			TargetGroups: []*content.Value{{Label: s}}, InvestmentModels: []*content.Term{{Doc: content.Doc{Title: s}}}}
		term := &content.Term{Doc: content.Doc{Title: s, Summary: s}, Aliases: []string{s, s}}
		crumbs := []Crumb{{s, "/" + s + "/"}}
		for _, p := range []*Page{
			{Site: sd, Title: s, Path: "/exempel/a/", Canonical: "https://x.example/exempel/a/", Crumbs: crumbs, Case: c},
			{Site: sd, Title: s, Path: "/begrepp/a/", Crumbs: crumbs, Term: term},
			{Site: sd, Title: s, Path: "/"},
		} {
			h, err := jsonLD(p)
			if err != nil {
				t.Fatal(err)
			}
			out := string(h)
			scripts := ldScriptRe.FindAllStringSubmatch(out, -1)
			if len(scripts) == 0 || strings.Count(out, "<") != 2*len(scripts) {
				t.Errorf("%q: %d scripts, %d '<' in\n%s", s, len(scripts), strings.Count(out, "<"), out)
			}
			for _, m := range scripts {
				if strings.ContainsAny(m[1], "<>&\u2028\u2029") {
					t.Errorf("%q: unescaped character in %s", s, m[1])
				}
				var obj map[string]any
				if err := json.Unmarshal([]byte(m[1]), &obj); err != nil {
					t.Errorf("%q: %v", s, err)
				}
				want := strings.ToValidUTF8(s, "\ufffd")
				switch obj["@type"] {
				case "Article":
					if obj["headline"] != want || get(obj, "about", "location", 0, "name") != want || get(obj, "publisher", "name") != nasty[0] {
						t.Errorf("%q reads back as %v", s, obj)
					}
				case "DefinedTerm":
					if obj["name"] != want || get(obj, "alternateName", 1) != want {
						t.Errorf("%q reads back as %v", s, obj)
					}
				case "BreadcrumbList":
					if get(obj, "itemListElement", 0, "name") != want || get(obj, "itemListElement", 1, "name") != want {
						t.Errorf("%q reads back as %v", s, obj)
					}
				}
			}
		}
	}
	if _, err := jsonLD("not a page"); err == nil {
		t.Error("jsonld accepts a string")
	}
}
