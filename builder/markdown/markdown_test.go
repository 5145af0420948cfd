package markdown

import (
	"regexp"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

type fakeResolver map[string]Target

func (f fakeResolver) Resolve(name string) (Target, bool) {
	t, ok := f[strings.ToLower(name)]
	return t, ok
}

func (f fakeResolver) ResolveFile(p string) (Target, bool) {
	t, ok := f["file:"+p]
	return t, ok
}

func (f fakeResolver) Suggest(name string) string {
	if strings.HasPrefix(name, "minimil") {
		return "minimili"
	}
	return ""
}

var testResolver = fakeResolver{
	"utforaren":                  {URL: "/begrepp/utforare/", Title: "Utförare"},
	"minimili":                   {URL: "/exempel/minimili/", Title: "MiniMili"},
	"psynk":                      {URL: "/begrepp/psynk/", Title: "Psynk"},
	"file:exempel/fotosyntes.md": {URL: "/exempel/fotosyntes/", Title: "Fotosyntes"},
	"file:begrepp/psynk.md":      {URL: "/begrepp/psynk/", Title: "Psynk"},
	"file:exempel/minimili.md":   {URL: "/exempel/minimili/", Title: "MiniMili"},
	"file:exempel/kök.md":        {URL: "/exempel/kok/", Title: "Kök"},
}

func testGlossary() *Glossary {
	return NewGlossary([]*GlossaryTerm{
		{Slug: "social-investeringsfond", URL: "/begrepp/social-investeringsfond/", Title: "Social investeringsfond",
			Summary: "En fond för förebyggande insatser.", Names: []string{"Social investeringsfond", "fondmodell"}},
		{Slug: "investeringsfond", URL: "/begrepp/investeringsfond/", Title: "Investeringsfond",
			Summary: "En fond.", Names: []string{"Investeringsfond"}},
		{Slug: "utforare", URL: "/begrepp/utforare/", Title: "Utförare",
			Summary: "Den som gör insatsen.", Names: []string{"Utförare"}},
		{Slug: "tidig-insats", URL: "/begrepp/tidig-insats/", Title: "Tidig insats",
			Summary: "En insats tidigt.", Names: []string{"Tidig insats"}},
		{Slug: "esf", URL: "/begrepp/eu/", Title: "EU-finansiering",
			Summary: "Pengar från EU.", Names: []string{"EU-finansiering", "ESF"}},
	})
}

func render(t *testing.T, src string, opt ...func(*Input)) *Rendered {
	t.Helper()
	r := New(WithResolver(testResolver), WithGlossary(testGlossary()))
	in := Input{File: "content/exempel/x.md", Dir: "exempel", Source: []byte(src), Line: 5, Glossary: true, SelfURL: "/exempel/x/"}
	for _, o := range opt {
		o(&in)
	}
	out, err := r.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings of the HTML
		not       []string
		errs      []string
		links     []string
	}{
		{name: "wiki slug", src: "Se [[minimili]].",
			want: []string{`<a href="/exempel/minimili/">MiniMili</a>`}, links: []string{"/exempel/minimili/"}},
		{name: "wiki label", src: "Se [[MiniMili|insatsen i Ale]].",
			want: []string{`<a href="/exempel/minimili/">insatsen i Ale</a>`}},
		{name: "wiki broken with suggestion", src: "Text\n\nSe [[minimil]].",
			want: []string{`<span class="broken-link">minimil</span>`},
			errs: []string{"content/exempel/x.md:7: okänd länk [[minimil]] (menade du [[minimili]]?)"}},
		{name: "wiki broken no suggestion", src: "[[okänd sak]]", errs: []string{"content/exempel/x.md:5: okänd länk [[okänd sak]]"}},
		{name: "md link relative", src: "[Fotosyntes](fotosyntes.md)", want: []string{`<a href="/exempel/fotosyntes/">Fotosyntes</a>`}},
		{name: "md link other section", src: "[Psynk](../begrepp/psynk.md#bakgrund)", want: []string{`href="/begrepp/psynk/#bakgrund"`}},
		{name: "md link broken", src: "[X](saknas.md)", errs: []string{`content/exempel/x.md:5: länken till "saknas.md" leder ingenstans`}},
		{name: "empty link in emphasis", src: "Text\n\n*[]()* och **[](saknas.md)**",
			errs: []string{`content/exempel/x.md:7: länken till "saknas.md" leder ingenstans`}},
		{name: "external kept", src: "[SKL](https://skr.se/)", want: []string{`<a href="https://skr.se/">SKL</a>`}},
		{name: "javascript dropped", src: "[klick](javascript:alert(1))", want: []string{"<p>klick</p>"}, not: []string{"javascript"}},
		{name: "obfuscated javascript dropped", src: "[klick](java&#x09;script:alert(1))", not: []string{"script:"}},
		{name: "data dropped", src: "[klick](data:text/html;base64,PHNjcmlwdD4=)", not: []string{"data:"}},
		{name: "vbscript image dropped", src: "![bild](vbscript:x)", not: []string{"<img", "vbscript"}},
		{name: "raw html omitted", src: "<script>alert(1)</script>\n\nText <iframe src=x></iframe> <b onclick=x>b</b>", not: []string{"<script", "<iframe", "onclick"}},
		{name: "heading ids swedish", src: "## Resultat och lärdomar\n\n## Resultat och lärdomar", want: []string{`id="resultat-och-lardomar"`, `id="resultat-och-lardomar-1"`}},
		{name: "wiki link with label in a table", src: "| a | b |\n|---|---|\n| [[MiniMili|insatsen]] | 2 |",
			want: []string{`<td><a href="/exempel/minimili/">insatsen</a></td>`, "<td>2</td>"}},
		{name: "table", src: "| a | b |\n|---|---|\n| 1 | 2 |", want: []string{"<table>", "<td>1</td>"}},
		{name: "footnote", src: "Text[^1]\n\n[^1]: Not.", want: []string{`class="footnotes"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, tt.src)
			html := string(out.HTML)
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("missing %q in\n%s", w, html)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(html, w) {
					t.Errorf("unexpected %q in\n%s", w, html)
				}
			}
			got := out.Errs.Error()
			for _, e := range tt.errs {
				if !strings.Contains(got, e) {
					t.Errorf("errors %q lack %q", got, e)
				}
			}
			if len(tt.errs) == 0 && out.Errs.Len() > 0 {
				t.Errorf("unexpected errors: %v", got)
			}
			if (out.Errs == nil) != (len(tt.errs) == 0) {
				t.Errorf("Errs %v, want nil exactly when there are no errors", out.Errs)
			}
			for _, l := range tt.links {
				if !strings.Contains(strings.Join(out.Links, " "), l) {
					t.Errorf("links %v lack %s", out.Links, l)
				}
			}
		})
	}
}

// TestMDLinks: links to .md files keep their query and fragment after the
// page URL, and a missing file is an error whatever follows its name.
func TestMDLinks(t *testing.T) {
	tests := []struct {
		name, dest string
		href       string // want href="..." ("" when broken)
		err        string
		link       string // recorded site link
	}{
		{name: "plain", dest: "fotosyntes.md", href: "/exempel/fotosyntes/", link: "/exempel/fotosyntes/"},
		{name: "fragment", dest: "fotosyntes.md#resultat", href: "/exempel/fotosyntes/#resultat", link: "/exempel/fotosyntes/"},
		{name: "query", dest: "fotosyntes.md?x", href: "/exempel/fotosyntes/?x", link: "/exempel/fotosyntes/"},
		{name: "query and fragment", dest: "fotosyntes.md?a=1&b=2#r", href: "/exempel/fotosyntes/?a=1&amp;b=2#r"},
		{name: "empty fragment and query dropped", dest: "fotosyntes.md?#", href: "/exempel/fotosyntes/"},
		{name: "upper-case extension", dest: "fotosyntes.MD#x", href: "/exempel/fotosyntes/#x"},
		{name: "other section with fragment", dest: "../begrepp/psynk.md#bakgrund", href: "/begrepp/psynk/#bakgrund"},
		{name: "from content root", dest: "/begrepp/psynk.md?x", href: "/begrepp/psynk/?x"},
		{name: "non-ASCII file name", dest: "kök.md#a", href: "/exempel/kok/#a"},
		{name: "backslashes from Windows", dest: `..\\begrepp\\psynk.md#bakgrund`, href: "/begrepp/psynk/#bakgrund", link: "/begrepp/psynk/"},
		{name: "missing with query", dest: "saknas.md?x",
			err: `content/exempel/x.md:5: länken till "saknas.md?x" leder ingenstans: filen content/exempel/saknas.md finns inte`},
		{name: "missing with fragment", dest: "saknas.md#resultat",
			err: `content/exempel/x.md:5: länken till "saknas.md#resultat" leder ingenstans: filen content/exempel/saknas.md finns inte`},
		{name: "suggest a file in the folder", dest: "minimil.md#resultat", err: `finns inte (menade du minimili.md?)`},
		{name: "suggest from content root", dest: "/exempel/minimil.md", err: `finns inte (menade du minimili.md?)`},
		{name: "suggest a wiki link elsewhere", dest: "../begrepp/minimil.md", err: `filen content/begrepp/minimil.md finns inte (menade du [[minimili]]?)`},
		{name: "site path with query", dest: "/exempel/minimili/?x#y", href: "/exempel/minimili/?x#y", link: "/exempel/minimili/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, "[länk]("+tt.dest+")")
			if tt.href != "" && !strings.Contains(out.HTML, `href="`+tt.href+`"`) {
				t.Errorf("want href=%q in %s", tt.href, out.HTML)
			}
			if got := out.Errs.Error(); (tt.err == "") != (got == "") || !strings.Contains(got, tt.err) {
				t.Errorf("errors %q, want %q", got, tt.err)
			}
			if tt.link != "" && strings.Join(out.Links, " ") != tt.link {
				t.Errorf("links %v, want [%s]", out.Links, tt.link)
			}
		})
	}
}

func TestGlossary(t *testing.T) {
	tests := []struct {
		name, src string
		terms     []string // slugs linked, in order
		want      []string
		self      string
	}{
		{name: "base form", src: "En social investeringsfond finns.", terms: []string{"social-investeringsfond"},
			want: []string{`<a class="term-link" href="/begrepp/social-investeringsfond/" aria-describedby="def-social-investeringsfond">social investeringsfond</a>`,
				`role="tooltip" id="def-social-investeringsfond"`}},
		{name: "plural adjective", src: "Flera sociala investeringsfonder startade.", terms: []string{"social-investeringsfond"},
			want: []string{`>sociala investeringsfonder</a>`}},
		{name: "definite", src: "Investeringsfonden växte.", terms: []string{"investeringsfond"}, want: []string{`>Investeringsfonden</a>`}},
		{name: "alias inflected", src: "Fondmodellen prövades.", terms: []string{"social-investeringsfond"}},
		{name: "longest match wins", src: "Den sociala investeringsfonden och en investeringsfond.",
			terms: []string{"social-investeringsfond", "investeringsfond"}, want: []string{`>sociala investeringsfonden</a>`}},
		{name: "first mention only", src: "Utförare och utförare och utförarna.", terms: []string{"utforare"}},
		{name: "-are plural definite", src: "Utförarna gör jobbet.", terms: []string{"utforare"}},
		{name: "verb not matched", src: "Man utför insatser.", terms: nil},
		{name: "two-word inflected", src: "Tidiga insatser lönar sig.", terms: []string{"tidig-insats"}},
		{name: "short word exact only", src: "ESF och ESFs pengar, men inte esfx.", terms: []string{"esf"}},
		{name: "not in heading", src: "## Utförare\n\nText.", terms: nil},
		{name: "not in link", src: "[utförare](https://x.se/) sedan utförare", terms: []string{"utforare"}, want: []string{`<a href="https://x.se/">utförare</a>`}},
		{name: "not in code", src: "`utförare` och\n\n    utförare", terms: nil},
		{name: "not on own page", src: "En utförare.", self: "/begrepp/utforare/", terms: nil},
		{name: "inside emphasis", src: "Det är *tidiga insatser* som.", terms: []string{"tidig-insats"}},
		{name: "phrase split by linkify triggers", src: "Fotosyntes är en tidig insats som finansieras av kommunens sociala investeringsfond.",
			terms: []string{"tidig-insats", "social-investeringsfond"}, want: []string{`>sociala investeringsfond</a>`}},
		{name: "not when linked by hand", src: "Se [[utforaren]] och en utförare.", terms: nil},
		{name: "other term still linked", src: "Se [[psynk]] och en utförare.", terms: []string{"utforare"}},
		{name: "word boundary", src: "Outförare och utförarens.", terms: []string{"utforare"}, want: []string{`>utförarens</a>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, tt.src, func(in *Input) {
				if tt.self != "" {
					in.SelfURL = tt.self
				}
			})
			if strings.Join(out.Terms, ",") != strings.Join(tt.terms, ",") {
				t.Errorf("terms = %v, want %v\n%s", out.Terms, tt.terms, out.HTML)
			}
			// A body's links and terms share one array.
			sitetest.ListsApart(t, tt.name, [][]string{out.Links, out.Terms})
			for _, w := range tt.want {
				if !strings.Contains(string(out.HTML), w) {
					t.Errorf("missing %q in\n%s", w, out.HTML)
				}
			}
		})
	}
}

// liveMarkup returns the first dangerous construct in rendered HTML: a
// script-capable element, an event handler attribute or a script URL inside
// a tag. Text outside tags is escaped, so only real tags are inspected.
func liveMarkup(h string) string {
	if m := dangerRe.FindString(strings.ToLower(h)); m != "" {
		return m
	}
	return ""
}

var dangerRe = regexp.MustCompile(`<(script|iframe|object|embed|style|svg|math|form)\b|<[a-z][^>]*\son[a-z]+\s*=|<[a-z][^>]*(href|src|action)\s*=\s*["']?\s*(javascript|vbscript|data):`)

func TestLiveMarkupDetector(t *testing.T) {
	for _, s := range []string{`<script>`, `<a href="javascript:x">`, `<img src=x onerror=alert(1)>`, `<a href='data:text/html,x'>`} {
		if liveMarkup(s) == "" {
			t.Errorf("not detected: %s", s)
		}
	}
	for _, s := range []string{`<p>javascript: onclick=</p>`, `<a href="/x">y</a>`} {
		if liveMarkup(s) != "" {
			t.Errorf("false positive: %s", s)
		}
	}
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"[[a|b]]", "[[", "[x](y.md)", "sociala investeringsfonder", "## Rubrik\n\n| a |\n|-|\n| b |", "[^1]\n\n[^1]: x", "<script>", "![a](javascript:x)"} {
		f.Add(s)
	}
	r := New(WithResolver(testResolver), WithGlossary(testGlossary()))
	f.Fuzz(func(t *testing.T, src string) {
		out, err := r.Render(Input{File: "f.md", Source: []byte(src), Line: 1, Glossary: true})
		if err != nil {
			t.Fatal(err)
		}
		if bad := liveMarkup(string(out.HTML)); bad != "" {
			t.Fatalf("output contains live markup %q: %s", bad, out.HTML)
		}
		for _, e := range out.Errs.Errors() {
			if e.File != "f.md" {
				t.Fatalf("error without file: %v", e)
			}
		}
	})
}
