package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name     string
		headings []string
		want     []string
	}{
		{"plain", []string{"Resultat", "Lärdomar"}, []string{"resultat", "lardomar"}},
		{"repeats", []string{"x", "x", "x"}, []string{"x", "x-1", "x-2"}},
		{"literal suffix after", []string{"x", "x", "x 1", "x"}, []string{"x", "x-1", "x-1-1", "x-2"}},
		{"literal suffix first", []string{"x 1", "x", "x", "x"}, []string{"x-1", "x", "x-2", "x-3"}},
		{"literal suffixes ahead", []string{"x 2", "x 3", "x", "x", "x", "x"}, []string{"x-2", "x-3", "x", "x-1", "x-4", "x-5"}},
		{"empty slug", []string{"!", "?", "avsnitt"}, []string{"avsnitt", "avsnitt-1", "avsnitt-2"}},
		{"suffix of a suffix", []string{"x-1", "x-1", "x", "x"}, []string{"x-1", "x-1-1", "x", "x-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newIDs()
			var got []string
			for _, h := range tt.headings {
				got = append(got, string(x.Generate([]byte(h), 0)))
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			// The whole document renders the same ids.
			var src strings.Builder
			for _, h := range tt.headings {
				fmt.Fprintf(&src, "## %s\n\n", h)
			}
			html := render(t, src.String()).HTML
			for _, id := range tt.want {
				if !strings.Contains(html, `id="`+id+`"`) {
					t.Errorf("html lacks id %q:\n%s", id, html)
				}
			}
		})
	}
}

// TestHeadingIDsLinear counts the suffixed ids tried: at most one per
// heading plus one per id taken, however the headings repeat.
func TestHeadingIDsLinear(t *testing.T) {
	for _, n := range []int{100, 1000, 4000} {
		x := newIDs()
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			h := "x"
			switch i % 4 {
			case 1:
				h = fmt.Sprintf("x %d", i) // takes a suffix ahead of the counter
			case 3:
				h = "x 1"
			}
			id := string(x.Generate([]byte(h), 0))
			if seen[id] {
				t.Fatalf("n=%d: id %q given twice", n, id)
			}
			seen[id] = true
		}
		if x.probes > 3*n {
			t.Errorf("n=%d headings: %d probes, want at most %d", n, x.probes, 3*n)
		}
	}
}

func TestCheckLimits(t *testing.T) {
	rep := func(s string, n int) string { return strings.Repeat(s, n) }
	footnotes := func(defs, refs int) string {
		var b strings.Builder
		b.WriteString(rep("Text[^1]\n", refs))
		for i := 0; i < defs; i++ {
			fmt.Fprintf(&b, "[^%d]: Not.\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name, src string
		line      int // 0-based; -1: within the limits
		msg       string
	}{
		{"real text", "# Rubrik\n\n> Citat\n> - punkt\n\n1. ett\n2. två\n\n**fet** _kursiv_ ~~struken~~[^1]\n\n[^1]: Not.\n[a]: https://x.se/\n", -1, ""},
		{"quotes at the limit", rep(">", MaxNesting) + " x\n", -1, ""},
		{"quotes over", "Text\n\n" + rep(">", MaxNesting+1) + " x\n", 2, "för djup nästling av citat och listor (över 100 nivåer på en rad)"},
		{"quotes with spaces over", rep("> ", MaxNesting+1) + "x", 0, "för djup nästling"},
		{"list markers at the limit", rep("- ", MaxNesting) + "x\n", -1, ""},
		{"list markers over", rep("- ", MaxNesting+1) + "x\n", 0, "för djup nästling"},
		{"ordered and mixed over", rep("1. > * + 2) ", MaxNesting/5+1) + "x", 0, "för djup nästling"},
		{"thematic break is no nesting", rep("- ", 5*MaxNesting) + "\n" + rep("* ", 5*MaxNesting), -1, ""},
		{"quote around a thematic break", "> " + rep("- ", 5*MaxNesting), -1, ""},
		{"thematic break char then text", rep("- ", MaxNesting+1) + "-x", 0, "för djup nästling"},
		{"indented code ends containers", ">         " + rep(">", 5*MaxNesting), -1, ""},
		{"footnotes at the limit", footnotes(MaxFootnotes, 1), -1, ""},
		{"footnotes over", footnotes(MaxFootnotes+1, 1), MaxFootnotes + 1, "för många fotnoter (över 1000)"},
		{"footnote refs at the limit", footnotes(1, MaxFootnoteRefs), -1, ""},
		{"footnote refs over", footnotes(1, MaxFootnoteRefs+1), MaxFootnoteRefs, "för många fotnotshänvisningar (över 10 000)"},
		{"link definitions in a block", rep("[a]: /x\n", 3000), -1, ""},
		{"link definitions apart", rep("[a]: /x\n\n", 100000), -1, ""},
		{"link definitions in a long block", rep("- [a]: /x\n", 4000), 3162, "för många länkdefinitioner av formen [namn]: adress i ett långt stycke"},
		{"link definitions before a long paragraph", rep("[a]: /x\n", 10) + rep("text\n", 999990) + "text", 1000000, "för många länkdefinitioner"},
		{"link definitions summed over blocks", rep(rep("[a]: /x\n", 1000)+"\n", 10) + rep("[a]: /x\n", 1000), 10 * 1001, "för många länkdefinitioner"},
		{"delimiters at the limit", rep("*a_ \n", MaxDelimiters/2), -1, ""},
		{"delimiters over", rep("*a_ \n\n", MaxDelimiters/2) + "~", 2 * MaxDelimiters / 2, "för många *, _ och ~ (över 20 000)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			le := checkLimits([]byte(tt.src))
			switch {
			case tt.line < 0 && le != nil:
				t.Errorf("limit reported at line %d: %s", le.line, le.msg)
			case tt.line >= 0 && le == nil:
				t.Errorf("no limit reported, want %q", tt.msg)
			case tt.line >= 0 && (le.line != tt.line || !strings.Contains(le.msg, tt.msg)):
				t.Errorf("got line %d %q, want line %d %q", le.line, le.msg, tt.line, tt.msg)
			}
		})
	}
}

// TestLimitsReported: a document over a limit is an error at its file
// line, and goldmark never sees it.
func TestLimitsReported(t *testing.T) {
	out := render(t, "Text\n\n"+strings.Repeat(">", 100000)+"\n")
	if got, want := out.Errs.Error(), "content/exempel/x.md:7: för djup nästling av citat och listor (över 100 nivåer på en rad)"; got != want {
		t.Errorf("errors = %q, want %q", got, want)
	}
	if out.HTML != "" {
		t.Errorf("HTML = %.80q, want none", out.HTML)
	}
}

func TestContainers(t *testing.T) {
	tests := []struct {
		line  string
		depth int
	}{
		{"text", 0}, {"> a", 1}, {">>a", 2}, {"- a", 1}, {"-a", 0}, {"- - a", 2}, {"1. a", 1}, {"1.a", 0},
		{"123) a", 1}, {"1234567890. a", 0}, {"> 1. - a", 3}, {"- - -", 0}, {"> ---", 1}, {"* * * *", 0},
		{"- * * *", 1}, {"-", 1}, {"> -", 2}, {"- -", 2}, {"- - x", 2}, {"  >  >   > a", 3}, {"\t> a", 1}, {"+ a", 1},
	}
	for _, tt := range tests {
		if d, _ := containers([]byte(tt.line)); d != tt.depth {
			t.Errorf("containers(%q) = %d, want %d", tt.line, d, tt.depth)
		}
	}
}

// escapeWikiPipesQuadratic is the former escapeWikiPipes, which searched the
// rest of the source for every "[[": the reference for the linear one.
func escapeWikiPipesQuadratic(src []byte) []byte {
	if !strings.Contains(string(src), "[[") || !strings.Contains(string(src), "|") {
		return src
	}
	out := make([]byte, 0, len(src)+16)
	for i := 0; i < len(src); i++ {
		if src[i] == '[' && i+1 < len(src) && src[i+1] == '[' {
			end := strings.Index(string(src[i+2:]), "]]")
			nl := strings.IndexByte(string(src[i+2:]), '\n')
			if end >= 0 && (nl < 0 || end < nl) {
				out = appendWikiLink(out, src[i+2:i+2+end])
				i += end + 3
				continue
			}
		}
		out = append(out, src[i])
	}
	return out
}

var wikiPipeCases = []string{
	"| [[a|b]] | c |", "[[a|b]] [[c|d]]\n[[e|f]]", "[[[a|b]]]", "[[a\n|b]]", "[[a|b]\n]] |", "[[|]]", "[[a]]]|", "[[ [[a|b]] ]]",
	"x [[a|b", "]] [[ | ]] [[", "[[a\\|b]]", "[[a|b|c]]\n| [[x|y]] |",
}

func TestEscapeWikiPipes(t *testing.T) {
	for _, s := range wikiPipeCases {
		if got, want := string(escapeWikiPipes([]byte(s))), string(escapeWikiPipesQuadratic([]byte(s))); got != want {
			t.Errorf("escapeWikiPipes(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzEscapeWikiPipes(f *testing.F) {
	for _, s := range wikiPipeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(escapeWikiPipes([]byte(s))), string(escapeWikiPipesQuadratic([]byte(s))); got != want {
			t.Errorf("escapeWikiPipes(%q) = %q, want %q", s, got, want)
		}
	})
}

// FuzzCheckLimits: the scan never panics, and a document within the limits
// renders.
func FuzzCheckLimits(f *testing.F) {
	for _, s := range []string{"> - 1. x", "- - -", "[^1]: x\n[a]: b", "*a_ ", ">      >", "\t-\t>"} {
		f.Add(s)
	}
	r := New(WithResolver(testResolver))
	f.Fuzz(func(t *testing.T, s string) {
		le := checkLimits([]byte(s))
		out, err := r.Render(Input{File: "f.md", Source: []byte(s), Line: 1})
		if err != nil {
			t.Fatal(err)
		}
		if le != nil && (out.HTML != "" || out.Errs.Len() != 1) {
			t.Fatalf("limit %v, errors %v", le, out.Errs)
		}
	})
}

// BenchmarkGrowth renders the inputs that were slow before their limit or
// fix, at a size and four times it. For headings, nesting and wiki links
// the time per input byte should stay about the same (linear growth);
// footnote references and unmatched delimiters stay quadratic in goldmark
// but only up to their limits (MaxFootnoteRefs, MaxDelimiters), which cap
// them at a few tenths of a second. Run with -bench Growth -benchtime 3x.
func BenchmarkGrowth(b *testing.B) {
	rep := strings.Repeat
	inputs := []struct {
		name string
		make func(n int) string
	}{
		{"identical headings", func(n int) string { return rep("## x\n\n", n) }},
		{"empty headings", func(n int) string { return rep("#\n", n) }},
		{"lists 100 deep", func(n int) string { return rep(rep("- ", MaxNesting)+"x\n", n/100) }},
		{"quotes 100 deep", func(n int) string { return rep(rep(">", MaxNesting)+"x\n\n", n/100) }},
		{"footnote refs to 1000 notes", func(n int) string {
			var s strings.Builder
			s.WriteString(rep("Text[^999]\n", min(n, MaxFootnoteRefs)))
			for i := 0; i < MaxFootnotes; i++ {
				fmt.Fprintf(&s, "\n[^%d]: Not.", 999-i)
			}
			return s.String()
		}},
		{"unmatched delimiters", func(n int) string { return rep("*a_ ", min(n, MaxDelimiters)/2) }},
		{"open wiki links", func(n int) string { return rep("[[a|", n) }},
	}
	r := New(WithResolver(testResolver))
	for _, in := range inputs {
		for _, n := range []int{2500, 10000} {
			src := []byte(in.make(n))
			b.Run(fmt.Sprintf("%s/n=%d", in.name, n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					out, err := r.Render(Input{File: "x.md", Source: src, Line: 1})
					if err != nil || out.Errs.Len() > 0 {
						b.Fatal(err, out.Errs)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(src)), "ns/byte")
			})
		}
	}
}

// BenchmarkCheckLimits measures the scan on the 1,000 generated cases of
// BenchmarkRender: it runs on every document, so it must stay a small
// fraction of rendering.
func BenchmarkCheckLimits(b *testing.B) {
	bs := loadBenchSite(b)
	b.SetBytes(bs.bytes())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range bs.inputs {
			if le := checkLimits(in.Source); le != nil {
				b.Fatal(le.msg)
			}
		}
	}
}
