package markdown

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// trickyTerms exercise the corners of matching: short words that take no
// endings, -e words with -na plurals, multi-word and hyphenated names,
// names that are prefixes of each other, equally long rivals and
// upper-case, title-case and non-Latin letters.
func trickyTerms() []*GlossaryTerm {
	t := func(slug string, names ...string) *GlossaryTerm {
		return &GlossaryTerm{Slug: slug, URL: "/begrepp/" + slug + "/", Title: names[0], Summary: "S.", Names: names}
	}
	return append(testGlossary().terms,
		t("sib", "SIB", "social impact bond"),
		t("kommun", "Kommun", "kommunal sektor"),
		t("kommunal-social-investeringsfond", "kommunal social investeringsfond"),
		t("abcde", "abcde"), t("abcdn", "abcdn"), // "abcdna" is a form of both
		t("fond", "Fond", "fond i fond"),
		t("ovriga", "Övriga insatser", "ÅTERFÖRING"),
		t("dz", "ǆemal"), t("ial", "İstanbul"), t("ta", "ⱥlfa"),
		t("eu", "EU-medel", "EU - medel"),
		t("x", "x y z", "x y"),
		t("tidiga-insatser", "tidiga insatser"), t("fonden", "fonden"), // rivals by length of name
		t("empty", "—", ""),
	)
}

// diffGlossaries returns the reference glossary and the new one for terms.
func diffGlossaries(terms []*GlossaryTerm) (*refGlossary, *Glossary) {
	return refNewGlossary(terms), NewGlossary(terms)
}

// scanAll returns every mention Glossary.scan reports in s.
func scanAll(g *Glossary, sc *scanner, s string) []refMatch {
	var out []refMatch
	g.scan([]byte(s), sc, func(p *phrase, start, end int) {
		out = append(out, refMatch{start, end, p.term})
	})
	return out
}

func showMatches(s string, ms []refMatch) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "[%d:%d %q → %s] ", m.start, m.end, s[m.start:m.end], m.term.Slug)
	}
	return b.String()
}

// checkSame fails when the new matcher and the reference disagree on s.
func checkSame(t testing.TB, ref *refGlossary, g *Glossary, sc *scanner, s string) {
	t.Helper()
	want := refScan(ref, s)
	got := scanAll(g, sc, s)
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i] == want[i]
	}
	if !same {
		t.Fatalf("text %q:\n got %s\nwant %s", s, showMatches(s, got), showMatches(s, want))
	}
}

// diffTexts are tricky inputs for the differential tests.
var diffTexts = []string{
	"", " ", "-", "a-", "-a", "é", "\xff", "Ut\xfförare",
	"En social investeringsfond finns.", "Flera sociala investeringsfonder startade.",
	"SOCIALA INVESTERINGSFONDERNAS", "Sociala\tinvesteringsfonder", "sociala\n investeringsfonder",
	"sociala\u00a0investeringsfonder", "sociala\u2003investeringsfonder", "sociala,investeringsfonder",
	"sociala  -  investeringsfonder", "sociala - investeringsfonder",
	"Utförare, utförarna, utförarnas, utförarens, utförar, utförna, utföre, utförares",
	"Outförare utförareutförare utförare-utförare utförare-", "kommunal social investeringsfond",
	"kommunala sociala investeringsfonder och kommunal sektor", "kommunal sociala",
	"ESF ESFs esf ESFEN ESF-medel", "SIB sib Sibs social impact bonds social impact",
	"abcde abcdna abcdnas abcden abcdns abcdn", "fond i fond, fonder i fonden, fond i", "fond  i\tfond",
	"övriga insatser ÖVRIGA INSATSER Övrigas insatserna återföringen Återföringarnas",
	"ǆemal ǅemal Ǆemal ǅEMAL İstanbul istanbul İSTANBUL i̇stanbul ⱥlfa Ⱥlfa ȺLFA ⱥlfan",
	"EU-medel EU - medel EU medel eu-medlen EU-medel-x EU--medel", "x y z x y x x y zz x  y",
	"tidig insats, tidiga insatser, Tidigt insatsen, tidig\ninsats", "Tidiga insatserna", "fonden", "Fondens", "investeringsfond123 123investeringsfond",
	"investeringsfondernas investeringsfondernasx investeringsfondna investeringsfonde",
}

func TestScanMatchesReference(t *testing.T) {
	ref, g := diffGlossaries(trickyTerms())
	var sc scanner
	for _, s := range diffTexts {
		checkSame(t, ref, g, &sc, s)
	}
}

// TestScanMatchesReferenceOnSite compares the matchers on every document of
// the benchmark site with the repository's real glossary.
func TestScanMatchesReferenceOnSite(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a site")
	}
	bs := loadBenchSite(t)
	ref, g := diffGlossaries(append(bs.terms, trickyTerms()...))
	var sc scanner
	n := 0
	checked := 0
	for i, in := range bs.inputs {
		if i%stride() != 0 {
			continue
		}
		checkSame(t, ref, g, &sc, string(in.Source))
		n += len(refScan(ref, string(in.Source)))
		checked++
	}
	if n < checked {
		t.Fatalf("only %d mentions in %d documents: the test compares too little", n, len(bs.inputs))
	}
}

// TestScanMatchesReferenceRandom compares the matchers on random texts
// made of pieces of glossary names, endings and separators.
func TestScanMatchesReferenceRandom(t *testing.T) {
	ref, g := diffGlossaries(trickyTerms())
	pieces := []string{" ", " ", "  ", "\t", "\n", "\u00a0", "-", ",", ".", "(", ")", "*", "é", "ǅ", "İ", "Ⱥ", "\xc3",
		"a", "e", "n", "s", "na", "nas", "er", "erna", "ens", "t", "ar", "or", "en",
		"sociala", "social", "SOCIAL", "investeringsfond", "Investeringsfond", "INVESTERINGSFOND", "fond", "i", "fondmodell",
		"utförar", "Utförar", "utför", "tidig", "tidiga", "insats", "EU", "eu", "finansiering", "ESF", "SIB", "esf",
		"kommun", "kommunal", "sektor", "abcd", "abcde", "ǆemal", "stanbul", "lfa", "medel", "x", "y", "z", "impact", "bond",
		"övriga", "Övriga", "insatser", "återföring", "ÅTERFÖRING"}
	rng := rand.New(rand.NewPCG(1, 2))
	var sc scanner
	for range 50000 {
		var b strings.Builder
		for k := rng.IntN(12); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkSame(t, ref, g, &sc, b.String())
	}
}

// TestDiffCanFail makes sure the differential check notices a wrong
// matcher: a glossary whose trie lost a form must disagree somewhere.
func TestDiffCanFail(t *testing.T) {
	ref, g := diffGlossaries(trickyTerms())
	broken := *g
	broken.auto = newAutomaton(map[string]*candidates{"utförare": g.forms["utförare"]})
	ft := &failRecorder{}
	var sc scanner
	for _, s := range diffTexts {
		func() {
			defer func() { recover() }()
			checkSame(ft, ref, &broken, &sc, s)
		}()
	}
	if !ft.failed {
		t.Fatal("the differential check accepted a broken matcher")
	}
}

// failRecorder is a testing.TB that records Fatalf and stops the check.
type failRecorder struct {
	testing.TB
	failed bool
}

func (f *failRecorder) Helper() {}
func (f *failRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

// TestLatin1Lowering checks what Glossary.scan relies on: no Latin-1 rune
// changes under unicode.ToLower unless it is upper case.
func TestLatin1Lowering(t *testing.T) {
	for r := rune(0); r <= unicode.MaxLatin1; r++ {
		if !unicode.IsUpper(r) && unicode.ToLower(r) != r {
			t.Errorf("%U lower-cases without being upper case", r)
		}
	}
}

func FuzzGlossaryScan(f *testing.F) {
	for _, s := range diffTexts {
		f.Add(s)
	}
	ref, g := diffGlossaries(trickyTerms())
	var sc scanner
	f.Fuzz(func(t *testing.T, s string) {
		checkSame(t, ref, g, &sc, s)
	})
}

// TestGlossaryHTML pins the rendered HTML of inflection and overlap cases.
func TestGlossaryHTML(t *testing.T) {
	link := func(slug, text, title string) string {
		return `<span class="term"><a class="term-link" href="/begrepp/` + slug + `/" aria-describedby="def-` + slug + `">` + text +
			`</a><span class="term-def" role="tooltip" id="def-` + slug + `" data-pagefind-ignore><span class="term-def-title">` +
			title + `:</span> S.</span></span>`
	}
	tests := []struct{ name, src, want string }{
		{"longest phrase wins over its first word", "Kommunala sociala investeringsfonder.",
			"<p>" + link("kommunal-social-investeringsfond", "Kommunala sociala investeringsfonder", "kommunal social investeringsfond") + ".</p>\n"},
		{"-e word with -na", "Två abcdna.", "<p>Två " + link("abcde", "abcdna", "abcde") + ".</p>\n"},
		{"short word exact", "SIBs och SIB.", "<p>SIBs och " + link("sib", "SIB", "SIB") + ".</p>\n"},
		{"upper-case Swedish letters", "ÖVRIGA INSATSERNA och återföringarnas.",
			"<p>" + link("ovriga", "ÖVRIGA INSATSERNA", "Övriga insatser") + " och återföringarnas.</p>\n"},
		{"title-case letter alone is not lowered", "ǅemal men Ǆemal.", "<p>ǅemal men " + link("dz", "Ǆemal", "ǆemal") + ".</p>\n"},
		{"hyphenated name", "Med eu-medelns.", "<p>Med " + link("eu", "eu-medelns", "EU-medel") + ".</p>\n"},
		{"multi-word across a line break", "fond\ni fond", "<p>" + link("fond", "fond", "Fond") + "\ni fond</p>\n"},
		{"consumed mention hides shorter", "fond i fond och fonder", "<p>" + link("fond", "fond i fond", "Fond") + " och fonder</p>\n"},
		{"longer name wins among equals", "Tidiga insatser och fondens.", "<p>" + link("tidiga-insatser", "Tidiga insatser", "tidiga insatser") + " och " + link("fonden", "fondens", "fonden") + ".</p>\n"},
	}
	r := New(WithGlossary(NewGlossary(trickyTerms())))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(Input{File: "x.md", Source: []byte(tt.src), Glossary: true})
			if err != nil {
				t.Fatal(err)
			}
			if out.HTML != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out.HTML, tt.want)
			}
		})
	}
}
