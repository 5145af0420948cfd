package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// GlossaryTerm is a term that is linked on its first mention in a page.
type GlossaryTerm struct {
	Slug    string
	URL     string
	Title   string
	Summary string
	Names   []string // title and aliases
}

// Glossary finds mentions of glossary terms in running text, tolerant of
// Swedish inflection: a word matches a term word when it is that word plus
// a common ending ("investeringsfond" → "investeringsfonden",
// "investeringsfonder", "investeringsfondernas"), and a term word ending in
// -e also matches with -na ("utförare" → "utförarna"). Multi-word names
// match word by word ("sociala investeringsfonder"). It is immutable after
// NewGlossary and safe for concurrent use; the terms given to NewGlossary
// must not change afterwards.
type Glossary struct {
	forms map[string]*candidates // every inflected form of a first word → phrases
	terms []*GlossaryTerm
	auto  automaton // the keys of forms, for scanning text in one pass
}

type phrase struct {
	words []string
	chars int
	term  *GlossaryTerm
	rest  []*formSet // for words[1:], the forms inflections lists
	html  *termHTML
}

// formSet is every form that inflections lists for one term word.
type formSet struct{ forms map[string]bool }

// suffixes are the Swedish endings a term word may take, longest first.
var suffixes = []string{"ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "nas",
	"ers", "ars", "ors", "en", "et", "er", "ar", "or", "na", "ns", "ts", "a", "e", "n", "t", "s"}

// minInflect is the shortest term word (in bytes) that takes endings;
// shorter words (ESF, SIB) must match exactly.
const minInflect = 4

// NewGlossary indexes terms. Names that fold to nothing are ignored.
func NewGlossary(terms []*GlossaryTerm) *Glossary {
	g := &Glossary{forms: map[string]*candidates{}, terms: terms}
	starts := map[string][]*phrase{}
	seen := map[string]bool{}
	formSets := map[string]*formSet{}
	for _, t := range terms {
		th := newTermHTML(t)
		for _, name := range t.Names {
			words := tokenizeWords(strings.ToLower(name))
			if len(words) == 0 {
				continue
			}
			key := strings.Join(words, " ")
			if seen[key] {
				continue
			}
			seen[key] = true
			p := &phrase{words: words, chars: len(key), term: t, html: th}
			for _, w := range words[1:] {
				if formSets[w] == nil {
					formSets[w] = &formSet{forms: map[string]bool{}}
					for _, f := range inflections(w) {
						formSets[w].forms[f] = true
					}
				}
				p.rest = append(p.rest, formSets[w])
			}
			for _, f := range inflections(words[0]) {
				starts[f] = append(starts[f], p)
			}
		}
	}
	for f, ps := range starts {
		g.forms[f] = newCandidates(ps)
	}
	g.auto = newAutomaton(g.forms)
	return g
}

// inflections lists every inflected form of term word w that a text may
// use: w itself and, for words of minInflect letters or more, w with each
// of suffixes, and w without a final -e with -na or -nas.
func inflections(w string) []string {
	out := []string{w}
	if len(w) < minInflect {
		return out
	}
	for _, suf := range suffixes {
		out = append(out, w+suf)
	}
	if alt, ok := altStem(w); ok {
		out = append(out, alt+"na", alt+"nas")
	}
	return out
}

// altStem returns a term word without its final -e, for -na endings.
func altStem(w string) (string, bool) {
	if len(w) >= minInflect+1 && strings.HasSuffix(w, "e") {
		return w[:len(w)-1], true
	}
	return "", false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// span is a word's byte range in a text.
type span struct{ start, end int }

// nextToken returns the first word of s at or after byte i: letters and
// digits, with inner hyphens kept ("EU-finansiering" is one word).
func nextToken(s []byte, i int) (span, bool) {
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf && !isWordRune(rune(c)) {
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf && isWordRune(rune(c)) {
				i++
				continue
			}
			r, n := utf8.DecodeRune(s[i:])
			if isWordRune(r) {
				i += n
				continue
			}
			if r == '-' && i+1 < len(s) {
				r2, _ := utf8.DecodeRune(s[i+1:])
				if isWordRune(r2) {
					i += n
					continue
				}
			}
			break
		}
		return span{start, i}, true
	}
	return span{}, false
}

// tokenizeWords splits s into words (see nextToken).
func tokenizeWords(s string) []string {
	b := []byte(s)
	var out []string
	for i := 0; ; {
		w, ok := nextToken(b, i)
		if !ok {
			return out
		}
		out = append(out, s[w.start:w.end])
		i = w.end
	}
}

// KindGlossaryLink is the node kind of an automatic glossary link.
var KindGlossaryLink = ast.NewNodeKind("GlossaryLink")

// GlossaryLink wraps the first mention of a term.
type GlossaryLink struct {
	ast.BaseInline
	Term *GlossaryTerm
	html *termHTML // Term's markup, when made by the glossary
}

// Kind implements ast.Node.
func (n *GlossaryLink) Kind() ast.NodeKind { return KindGlossaryLink }

// Dump implements ast.Node.
func (n *GlossaryLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Term": n.Term.Slug}, nil)
}

// termHTML is the markup renderGlossaryLink writes before and after the
// text of a term's link.
type termHTML struct{ open, close string }

// newTermHTML returns t's link markup: the link and an accessible
// definition. The definition is a tooltip referenced by aria-describedby,
// shown on hover and on keyboard focus by the stylesheet, and skipped by the
// search index.
func newTermHTML(t *GlossaryTerm) *termHTML {
	id := "def-" + t.Slug
	return &termHTML{
		open: `<span class="term"><a class="term-link" href="` + string(util.EscapeHTML([]byte(t.URL))) +
			`" aria-describedby="` + id + `">`,
		close: `</a><span class="term-def" role="tooltip" id="` + id +
			`" data-pagefind-ignore><span class="term-def-title">` + string(util.EscapeHTML([]byte(t.Title))) +
			`:</span> ` + string(util.EscapeHTML([]byte(t.Summary))) + `</span></span>`,
	}
}

// renderGlossaryLink writes the link markup of newTermHTML around the text.
func renderGlossaryLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*GlossaryLink)
	if n.html == nil {
		n.html = newTermHTML(n.Term)
	}
	if entering {
		w.WriteString(n.html.open)
	} else {
		w.WriteString(n.html.close)
	}
	return ast.WalkContinue, nil
}
