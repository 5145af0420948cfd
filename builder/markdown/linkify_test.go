package markdown

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// linkifyPair returns goldmark with extension.GFM and with gfm, the
// filtered copy, to compare.
func linkifyPair() (ref, fast goldmark.Markdown) {
	return goldmark.New(goldmark.WithExtensions(extension.GFM)), goldmark.New(goldmark.WithExtensions(gfm...))
}

// renderPair returns a Renderer with extension.GFM and one as New makes
// it, with the test resolver and glossary.
func renderPair() (ref, fast *Renderer) {
	opts := []Option{WithResolver(testResolver), WithGlossary(testGlossary())}
	return newRenderer([]goldmark.Extender{extension.GFM}, nil, opts...), New(opts...)
}

// checkRender fails when ref and fast render src differently.
func checkRender(t testing.TB, ref, fast *Renderer, src string) {
	t.Helper()
	checkRenderInput(t, ref, fast, Input{File: "x.md", Source: []byte(src), Glossary: true})
}

// checkRenderInput fails when ref and fast render in differently.
func checkRenderInput(t testing.TB, ref, fast *Renderer, in Input) {
	t.Helper()
	want, err := ref.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := fast.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if got.HTML != want.HTML {
		t.Fatalf("%s, source %q:\n got %s\nwant %s", in.File, in.Source, got.HTML, want.HTML)
	}
}

func checkLinkify(t testing.TB, ref, fast goldmark.Markdown, src string) {
	t.Helper()
	var want, got bytes.Buffer
	if err := ref.Convert([]byte(src), &want); err != nil {
		t.Fatal(err)
	}
	if err := fast.Convert([]byte(src), &got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Fatalf("source %q:\n got %s\nwant %s", src, got.String(), want.String())
	}
}

var linkifyTexts = []string{
	"Se https://skr.se/ och http://x.se, ftp://f.se och www.ale.se.",
	"Mejla ale@ale.se eller (kontakt@kommun.se) eller *a.b@c.se* eller _x@y.z_ eller ~p@q.r~.",
	"a@b @b a@ a@b.c- a@b.c_ a@b.c. x" + strings.Repeat("a", 63) + "@b.se " + strings.Repeat("a", 64) + "@b.se " + strings.Repeat("a", 65) + "@b.se",
	"HTTP://X.SE Www.x.se wwwx http:/ https: ftp:", "å@ä.se åa@b.se a+b@c.se a'b@c.se \"a\"@b.se",
	"www.x.se)., (www.x.se) https://x.se/a_(b)?c=1&amp;d;", "[länk www.x.se](https://y.se) <https://z.se> `a@b.se`",
	"start\nhttps://x.se\n  www.y.se\n*a@b.se*", "| a@b.se | www.x.se |\n|---|---|\n| https://x.se | c |",
	"a ) \t\nb", "a  \nb", "a   \nb", "a \\ (b) \\\n c", "x\t\n", "x \v\n", "x \r\n y",
}

func TestLinkifyFilterMatchesGFM(t *testing.T) {
	ref, fast := linkifyPair()
	rr, fr := renderPair()
	for _, s := range linkifyTexts {
		checkLinkify(t, ref, fast, s)
		checkRender(t, rr, fr, s)
	}
	// The filter must actually let links through.
	var b bytes.Buffer
	if err := fast.Convert([]byte("x a@b.se www.c.se"), &b); err != nil || strings.Count(b.String(), "<a ") != 2 {
		t.Fatalf("links missing: %s", b.String())
	}
}

func TestLinkifyFilterMatchesGFMRandom(t *testing.T) {
	ref, fast := linkifyPair()
	pieces := []string{" ", " ", "\t", "\n", "(", ")", "*", "_", "~", "@", ".", "-", "a", "b", "å", "x.se", "se", "www", "www.",
		"http", "http:", "https://", "ftp:", "//", "h", "f", "w", "mejl", "@kommun.se", "a@b.se", "!", "#", "'", "+", ";", "&", "`", "[", "]"}
	rr, fr := renderPair()
	rng := rand.New(rand.NewPCG(3, 4))
	for range scaled(20000) {
		var b strings.Builder
		for k := rng.IntN(24); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkLinkify(t, ref, fast, b.String())
		checkRender(t, rr, fr, b.String())
	}
}

func TestLinkifyFilterMatchesGFMOnSite(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a site")
	}
	ref, fast := linkifyPair()
	bs := loadBenchSite(t)
	opts := []Option{WithResolver(bs.res), WithGlossary(NewGlossary(bs.terms))}
	rr, fr := newRenderer([]goldmark.Extender{extension.GFM}, nil, opts...), New(opts...)
	for i, in := range bs.inputs {
		if i%stride() != 0 {
			continue
		}
		checkLinkify(t, ref, fast, string(in.Source))
		checkRenderInput(t, rr, fr, in)
	}
}

func TestEmailLocal(t *testing.T) {
	for _, c := range []byte("azAZ09.+-_") {
		if !emailLocal[c] {
			t.Errorf("%q should be a local-part byte", c)
		}
	}
	for _, c := range []byte(" \t\n@()<>,;:\xc3") {
		if emailLocal[c] {
			t.Errorf("%q should not be a local-part byte", c)
		}
	}
}

func FuzzLinkifyFilter(f *testing.F) {
	for _, s := range linkifyTexts {
		f.Add(s)
	}
	ref, fast := linkifyPair()
	rr, fr := renderPair()
	f.Fuzz(func(t *testing.T, s string) {
		checkLinkify(t, ref, fast, s)
		checkRender(t, rr, fr, s)
		checkRenderNoGlossary(t, rr, fr, s)
	})
}

// TestWithoutLinkifyMatchesGFMRandom compares Render with extension.GFM on
// random documents that linkify cannot change, which New renders without
// linkify, with and without glossary linking.
func TestWithoutLinkifyMatchesGFMRandom(t *testing.T) {
	rr, fr := renderPair()
	pieces := []string{" ", " ", " ", "\n", "\n\n", "(", ")", "*", "**", "_", "~~", "\\", "\\(", "&amp;", "&#40;", "&x", ";", "`", "[", "]",
		"[[utforaren]]", "[[MiniMili|x]]", "[a](/x)", "[b](y.md)", "![c](/d.png)", "[^1]", "\n\n[^1]: not", "# ", "## ", "- ", "1. ", "> ",
		"    ", "| a | b |\n|---|---|\n| c | d |\n", "sociala", "investeringsfonder", "Utförare", "tidig", "insats", "ESF", "x", "h", "w"}
	rng := rand.New(rand.NewPCG(5, 6))
	n := 0
	for range scaled(30000) {
		var b strings.Builder
		for k := rng.IntN(24); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if needsLinkify([]byte(s)) {
			continue
		}
		n++
		checkRender(t, rr, fr, s)
		checkRenderNoGlossary(t, rr, fr, s)
	}
	if n < 1000 {
		t.Fatalf("only %d documents rendered without linkify", n)
	}
}

// checkRenderNoGlossary is checkRender without glossary linking.
func checkRenderNoGlossary(t testing.TB, ref, fast *Renderer, src string) {
	t.Helper()
	in := Input{File: "x.md", Source: []byte(src)}
	want, _ := ref.Render(in)
	got, _ := fast.Render(in)
	if got.HTML != want.HTML {
		t.Fatalf("source %q without glossary:\n got %s\nwant %s", src, got.HTML, want.HTML)
	}
}
