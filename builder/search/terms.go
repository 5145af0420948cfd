package search

import (
	"html"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/sv"
)

// Expander computes the extra search terms of a site's pages: the parts
// of the Swedish compounds a page uses ("ungdomsinflytande" → "ungdom",
// "inflytande") and the synonyms of the words it uses (content/synonymer.yaml:
// a page saying "socialt utfallskontrakt" gets "sib", "social", "impact",
// "bond"). The build puts them in a page's metadata for the search index
// (data-pagefind-meta="sokord:…"), where Pagefind searches them but never
// shows them in an excerpt.
//
// The lexicon the compounds are split against is every word of every
// page given to NewExpander, plus sv.CommonHeads. An Expander is safe for
// concurrent use.
type Expander struct {
	vocab []string         // every word of the pages and the synonyms, and every compound part
	id    map[string]int32 // word → its index in vocab
	parts [][]int32        // word → the terms of its compound (sv.Compounds.Terms)
	// refs tells, for each word, where a form of it occurs in the
	// synonyms ("sociala" and "social" are forms of "socialt").
	refs   [][]wordRef
	groups []synonymGroup
	comp   *sv.Compounds
}

// synonymGroup is one group of synonymer.yaml, each term as its
// lower-case words.
type synonymGroup [][]string

// wordRef is word w of term t of group g.
type wordRef struct{ g, t, w int }

// MaxTerms is the most extra terms a page gets: enough for a long case,
// few enough that a page's metadata stays small in the index.
const MaxTerms = 400

// NewExpander builds the lexicon from texts (the plain text of every
// indexed page, whose Terms will be asked for) and the words of the
// synonyms, and splits each of its compounds once.
func NewExpander(texts []string, groups []content.SynonymGroup) *Expander {
	// The words of the pages, a share of the pages per core, then the
	// union of the shares.
	n := min(runtime.GOMAXPROCS(0), len(texts))
	sets := make([]map[string]bool, n)
	par.For(n, func(k int) {
		set := map[string]bool{}
		var buf []byte
		for i := k; i < len(texts); i += n {
			buf = words(texts[i], buf, func(w []byte) {
				if !set[string(w)] {
					set[string(w)] = true
				}
			})
		}
		sets[k] = set
	})
	lex := map[string]bool{}
	for _, set := range sets {
		for w := range set {
			lex[w] = true
		}
	}
	return newExpander(lex, groups)
}

// newExpander builds an Expander for the lexicon lex (the pages' words)
// with the synonyms' words added, splitting each of its compounds once.
func newExpander(lex map[string]bool, groups []content.SynonymGroup) *Expander {
	e := &Expander{id: map[string]int32{}}
	for _, g := range groups {
		var sg synonymGroup
		for _, t := range g.Terms {
			var ws []string
			Words(t, func(w string) { ws = append(ws, w) })
			if len(ws) > 0 {
				sg = append(sg, ws)
			}
		}
		e.groups = append(e.groups, sg)
	}
	words := make([]string, 0, len(lex))
	for w := range lex {
		words = append(words, w)
	}
	for _, g := range e.groups {
		for _, t := range g {
			for _, w := range t {
				if !lex[w] {
					words = append(words, w)
				}
			}
		}
	}
	sort.Strings(words)
	words = slices.Compact(words)
	for _, w := range words {
		e.intern(w)
	}
	comp := sv.NewCompounds(words)
	e.comp = comp
	terms := make([][]string, len(words))
	par.For(len(words), func(i int) { terms[i] = comp.Terms(words[i]) })
	e.parts = make([][]int32, len(words))
	for i, ts := range terms {
		for _, t := range ts {
			e.parts[i] = append(e.parts[i], e.intern(t))
		}
	}
	e.refs = make([][]wordRef, len(e.vocab))
	for gi, g := range e.groups {
		for ti, t := range g {
			for wi, w := range t {
				for _, f := range forms(w) {
					if id, ok := e.id[f]; ok {
						e.refs[id] = append(e.refs[id], wordRef{gi, ti, wi})
					}
				}
			}
		}
	}
	return e
}

// intern returns w's index in e.vocab, adding it when it is new.
func (e *Expander) intern(w string) int32 {
	if id, ok := e.id[w]; ok {
		return id
	}
	id := int32(len(e.vocab))
	e.vocab = append(e.vocab, w)
	e.id[w] = id
	return id
}

// Terms returns the extra terms of a page whose plain text is text: the
// parts of its compounds and the words of the synonyms of what it says,
// less the words the page has anyway, in lower case, sorted, at most
// MaxTerms. Nil when there are none. The text is one of those given to
// NewExpander, or an edit of one: a word new to the lexicon is split
// against it, but is no part of other words.
func (e *Expander) Terms(text string) []string {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.reset(len(e.vocab))
	sc.buf = words(text, sc.buf, func(w []byte) {
		id, ok := e.id[string(w)]
		if !ok {
			id = -1
		}
		sc.toks = append(sc.toks, id)
		if !ok {
			sc.unknown = append(sc.unknown, string(w))
		}
		if ok && !sc.has(id) {
			sc.mark[id] |= onPage
			sc.distinct = append(sc.distinct, id)
		}
	})
	// A one-word synonym counts as a word or as a part of a compound
	// ("landstingsfullmäktige"); a phrase where its words follow each other.
	word := func(id int32) {
		for _, r := range e.refs[id] {
			if len(e.groups[r.g][r.t]) == 1 {
				sc.used[r.g] = true
			}
		}
	}
	var extra []int32
	add := func(id int32) {
		if sc.mark[id] == 0 {
			sc.mark[id] |= isExtra
			extra = append(extra, id)
		}
	}
	for _, id := range sc.distinct {
		word(id)
		if int(id) >= len(e.parts) {
			continue // a part of a compound that no page had on its own (an edit's word)
		}
		for _, p := range e.parts[id] {
			word(p)
			add(p)
		}
	}
	var others []string // parts of new words that are not in the lexicon
	for _, w := range sc.unknown {
		for _, p := range e.comp.Terms(w) {
			if id, ok := e.id[p]; ok {
				word(id)
				add(id)
			} else if !slices.Contains(others, p) && !slices.Contains(sc.unknown, p) {
				others = append(others, p)
			}
		}
	}
	for i, id := range sc.toks {
		if id < 0 {
			continue
		}
		for _, r := range e.refs[id] {
			if r.w == 0 && !sc.used[r.g] && e.phraseAt(sc.toks[i:], r) {
				sc.used[r.g] = true
			}
		}
	}
	for g := range sc.used {
		for _, t := range e.groups[g] {
			for _, w := range t {
				add(e.id[w])
			}
		}
	}
	if len(extra)+len(others) == 0 {
		return nil
	}
	out := make([]string, len(extra), len(extra)+len(others))
	for i, id := range extra {
		out[i] = e.vocab[id]
	}
	out = append(out, others...)
	sort.Strings(out)
	if len(out) > MaxTerms {
		out = out[:MaxTerms]
	}
	return out
}

// phraseAt reports whether toks begins with a form of each word of the
// phrase that r is the first word of.
func (e *Expander) phraseAt(toks []int32, r wordRef) bool {
	t := e.groups[r.g][r.t]
	if len(t) < 2 || len(toks) < len(t) {
		return false
	}
	for j := range t {
		if toks[j] < 0 || !slices.Contains(e.refs[toks[j]], wordRef{r.g, r.t, j}) {
			return false
		}
	}
	return true
}

// scratch is the working memory of one Terms call, kept for the next.
type scratch struct {
	buf      []byte
	toks     []int32 // the page's words in order (-1: not in the lexicon)
	unknown  []string
	distinct []int32
	mark     []uint8      // per word of the vocabulary: onPage, isExtra
	used     map[int]bool // the synonym groups the page uses
}

const (
	onPage uint8 = 1 << iota
	isExtra
)

var scratchPool = sync.Pool{New: func() any { return &scratch{used: map[int]bool{}} }}

func (s *scratch) has(id int32) bool { return s.mark[id]&onPage != 0 }

// reset readies s for a vocabulary of n words.
func (s *scratch) reset(n int) {
	s.toks, s.distinct, s.unknown = s.toks[:0], s.distinct[:0], s.unknown[:0]
	if cap(s.mark) < n {
		s.mark = make([]uint8, n)
	}
	s.mark = s.mark[:n]
	clear(s.mark)
	clear(s.used)
}

// forms returns the forms of a synonym's word that count as the word: the
// word, and a stem of it (the word less one of sv.Inflections, at least
// four letters long) with any of sv.Inflections: "socialt" also stands
// for "social" and "sociala", "landsting" for "landstingets". A word of
// four letters or fewer ("sib", "esf", "skr") stands only for itself.
func forms(w string) []string {
	out := []string{w}
	if utf8.RuneCountInString(w) <= 4 {
		return out
	}
	stems := []string{w}
	for _, end := range sv.Inflections {
		if s, ok := strings.CutSuffix(w, end); ok && utf8.RuneCountInString(s) >= 4 {
			stems = append(stems, s)
		}
	}
	for _, s := range stems {
		for _, end := range append([]string{""}, sv.Inflections...) {
			if f := s + end; !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// Words calls f with each word of text in lower case: each run of letters
// and digits, as the search index splits text.
func Words(text string, f func(w string)) {
	words(text, nil, func(w []byte) { f(string(w)) })
}

// words is Words with the word in buf, which it returns for reuse: no
// allocation per word.
func words(text string, buf []byte, f func(w []byte)) []byte {
	buf = buf[:0]
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r < utf8.RuneSelf {
				if 'A' <= r && r <= 'Z' {
					r += 'a' - 'A'
				}
				buf = append(buf, byte(r))
			} else {
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
			}
			continue
		}
		if len(buf) > 0 {
			f(buf)
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		f(buf)
	}
	return buf
}

// PlainText returns the text of an HTML fragment as the search index
// reads it: tags removed, every element marked data-pagefind-ignore
// left out with its content, character references decoded. Tags are
// replaced by a space so that words on both sides stay apart.
func PlainText(h string) string {
	var b strings.Builder
	b.Grow(len(h))
	skipTag, depth := "", 0 // inside an ignored element: its tag name and nesting
	for len(h) > 0 {
		lt := strings.IndexByte(h, '<')
		if lt < 0 {
			if depth == 0 {
				b.WriteString(h)
			}
			break
		}
		if depth == 0 {
			b.WriteString(h[:lt])
		}
		gt := strings.IndexByte(h[lt:], '>')
		if gt < 0 {
			break
		}
		tag := h[lt+1 : lt+gt]
		h = h[lt+gt+1:]
		b.WriteByte(' ')
		closing := strings.HasPrefix(tag, "/")
		name := tagName(tag)
		switch {
		case depth > 0 && name == skipTag && closing:
			depth--
		case depth > 0 && name == skipTag && !strings.HasSuffix(tag, "/"):
			depth++
		case depth == 0 && !closing && strings.Contains(tag, "data-pagefind-ignore") && !strings.HasSuffix(tag, "/"):
			skipTag, depth = name, 1
		}
	}
	return html.UnescapeString(b.String())
}

// tagName returns the lower-case element name of the inside of a tag
// ("span class=x" → "span", "/span" → "span").
func tagName(tag string) string {
	tag = strings.TrimPrefix(tag, "/")
	end := strings.IndexFunc(tag, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '/' })
	if end >= 0 {
		tag = tag[:end]
	}
	return strings.ToLower(tag)
}
