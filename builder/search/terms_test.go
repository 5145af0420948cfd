package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
)

func TestPlainText(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"tags apart", "<p>Barn</p><p>unga</p>", "barn unga"},
		{"entities", "Fonder &amp; medel&nbsp;i Ale", "fonder medel i ale"},
		{"ignored element with nested spans", `före <span class="term-def" data-pagefind-ignore><span class="t">Definition:</span> text</span> efter`, "före efter"},
		{"ignored element nested in same tag", `<div data-pagefind-ignore><div>a</div><div>b</div></div>c`, "c"},
		{"self-closing ignored element", `<span data-pagefind-ignore/>kvar`, "kvar"},
		{"unclosed tag", "text <p", "text"},
		{"empty tag", "a<>b", "a b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			Words(PlainText(tt.in), func(w string) { got = append(got, w) })
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("words of PlainText(%q) = %q, want %q", tt.in, g, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	var got []string
	Words("SKL:s Ungdoms-inflytande 2014, Örebro–Ale", func(w string) { got = append(got, w) })
	want := []string{"skl", "s", "ungdoms", "inflytande", "2014", "örebro", "ale"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

// TestExpanderTerms: a page gets the parts of its compounds and the
// synonyms of what it says, in any form, and nothing it says already.
func TestExpanderTerms(t *testing.T) {
	groups := []content.SynonymGroup{
		{Terms: []string{"SIB", "social impact bond", "socialt utfallskontrakt"}},
		{Terms: []string{"funktionsnedsättning", "funktionshinder"}},
		{Terms: []string{"landsting", "region"}},
		{Terms: []string{"ESF", "Europeiska socialfonden"}},
	}
	pages := map[string]string{
		"compound":  "Ungdomsinflytande i Göteborg. Unga ska ha inflytande. Barnfattigdom minskar.",
		"phrase":    "Norrköping prövade sociala utfallskontrakten 2015.",
		"inflected": "Konserter för personer med funktionsnedsättningar.",
		"part":      "Landstingsfullmäktige beslutade.",
		"abbrev":    "Projektet fick pengar från ESF.",
		"no abbrev": "Essensen av arbetet.",
		"near miss": "Regionala medel och sociala frågor.",
	}
	var texts []string
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range pages {
			if !yield(k) {
				return
			}
		}
	}) {
		texts = append(texts, pages[k])
	}
	// A lexicon as the site's would have: the heads on their own.
	texts = append(texts, "barn fattigdom ungdom fullmäktige")
	e := NewExpander(texts, groups)
	for _, tt := range []struct {
		page      string
		want, not []string
	}{
		{"compound", []string{"ungdom", "barn", "fattigdom"}, []string{"inflytande"}}, // inflytande is on the page already
		{"phrase", []string{"sib", "social", "impact", "bond", "socialt", "utfallskontrakt"}, []string{"sociala"}},
		{"inflected", []string{"funktionshinder", "funktionsnedsättning"}, nil},
		{"part", []string{"region", "landsting"}, nil},
		{"abbrev", []string{"europeiska", "socialfonden"}, []string{"esf"}},
		{"no abbrev", nil, []string{"europeiska", "socialfonden"}},
		{"near miss", nil, []string{"landsting", "sib", "bond"}}, // "regionala" is not "region", "sociala" alone is no phrase
	} {
		got := e.Terms(pages[tt.page])
		if !slices.IsSorted(got) {
			t.Errorf("%s: terms %q not sorted", tt.page, got)
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: terms %q lack %q", tt.page, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("%s: terms %q have %q", tt.page, got, w)
			}
		}
	}
}

func TestExpanderTermsAtMost(t *testing.T) {
	var b strings.Builder
	var lex []string
	for i := range 2 * MaxTerms {
		head := "huvud" + strings.Repeat("a", i%40) + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
		lex = append(lex, head)
		b.WriteString("förstadel" + head + " ")
	}
	lex = append(lex, "förstadel")
	e := NewExpander([]string{strings.Join(lex, " "), b.String()}, nil)
	if n := len(e.Terms(b.String())); n != MaxTerms {
		t.Errorf("%d terms, want at most %d", n, MaxTerms)
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", `<span data-pagefind-ignore><span>x</span></span>y`, "<", "a<>b", "<div data-pagefind-ignore"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := PlainText(s)
		if !strings.Contains(s, "&") && len(out) > 2*len(s)+1 {
			t.Errorf("PlainText grew %d bytes to %d", len(s), len(out))
		}
	})
}
