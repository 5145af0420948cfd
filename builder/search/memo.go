package search

import (
	"slices"
	"sort"
	"strings"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/internal/stable"
)

// PageText is one indexed page for Memo.Terms.
type PageText struct {
	ID    string // the same page in every build (its output path)
	Key   uint64 // changes whenever Title or Text's result may change
	Title string
	// Text returns the page's plain text, title included. Memo.Terms
	// calls it only for a page whose Key it has not seen.
	Text func() string
}

// PageTerms are a page's extra search terms (Expander.PageTerms).
type PageTerms struct {
	Title string // the terms of the title, space-separated
	Rest  string // the other terms of the text, space-separated
}

// PageTerms returns the extra terms of a page's title and those of its
// whole text (title included) that the title does not have, each
// space-separated.
func (e *Expander) PageTerms(title, text string) PageTerms {
	tt := e.Terms(title)
	var rest []string
	for _, t := range e.Terms(text) {
		if !slices.Contains(tt, t) {
			rest = append(rest, t)
		}
	}
	return PageTerms{strings.Join(tt, " "), strings.Join(rest, " ")}
}

// Memo keeps, between the builds of a preview, each page's words and
// extra terms and the lexicon as counts of the pages using each word. A
// build then reads the text of only the pages whose key changed, and
// asks an Expander for the terms of those pages and of the pages whose
// compounds split differently against the new lexicon (a word that came
// or went can make or unmake a part of another page's compound). Its
// results are those of NewExpander over all the texts (TestMemoMatchesFresh).
// A Memo must not be used by two builds at once.
type Memo struct {
	e      *Expander
	setup  uint64           // the extra text and the synonyms the lexicon was made with
	counts map[string]int32 // word → the pages (and extra text) that use it
	pages  map[string]*memoPage
	round  uint64 // of Terms, for memoPage.seen
	// loaded reports pages and counts read from a file (LoadMemo) whose
	// Expander the next Terms makes; changed, that the last Terms changed
	// what SaveFile writes.
	loaded, changed bool
	// gens are the generations of the segments in the file (memofile.go;
	// 0: none written), dirty the segments with pages changed since.
	gens  [memoSegments]uint64
	dirty [memoSegments]bool
}

type memoPage struct {
	key  uint64
	seen uint64 // the last round of Terms that had the page
	// words are the distinct words of the text, each between newlines
	// ("\nord\nord\n"): one string, which the collector need not trace
	// as it would 200 strings per page.
	words string
	terms PageTerms
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{} }

// Terms returns the Expander of the lexicon of the pages' texts, the
// extra text and the synonyms' words, as NewExpander would make it, and
// each page's terms as that Expander's PageTerms would give them.
func (m *Memo) Terms(pages []PageText, extra string, groups []content.SynonymGroup) (*Expander, []PageTerms) {
	h := []byte(extra)
	for _, g := range groups {
		h = append(h, 0)
		for _, t := range g.Terms {
			h = append(append(h, t...), 1)
		}
	}
	setup := stable.Sum64(h)
	if m.loaded {
		// The lexicon of the pages read, with the extra text and the
		// synonyms it was made with, when they are the same.
		m.loaded = false
		if setup == m.setup {
			m.e = newExpander(m.lexicon(), groups)
		}
	}
	m.changed = false
	if m.e == nil || setup != m.setup {
		m.e, m.setup, m.counts, m.pages = nil, setup, map[string]int32{}, map[string]*memoPage{}
		m.count(joinWords(distinctWords(extra)), 1, nil)
		m.changed = true
		for i := range m.dirty {
			m.dirty[i] = true
		}
	}

	// The pages whose key is new: their text and words, on every core.
	out := make([]PageTerms, len(pages))
	entries := make([]*memoPage, len(pages))
	texts := make([]string, len(pages))
	var changed []int
	m.round++
	for i, p := range pages {
		e := m.pages[p.ID]
		if e != nil {
			e.seen = m.round
		}
		if e != nil && e.key == p.Key {
			entries[i] = e
		} else {
			changed = append(changed, i)
		}
	}
	made := make([]memoPage, len(changed)) // one object, not one per page
	par.For(len(changed), func(k int) {
		i := changed[k]
		texts[i] = pages[i].Text()
		made[k] = memoPage{key: pages[i].Key, seen: m.round, words: joinWords(distinctWords(texts[i]))}
		entries[i] = &made[k]
	})

	// The lexicon's counts, and the words that came or went (not
	// tracked on a first build, which makes its Expander anyway).
	var flipped map[string]bool
	if m.e != nil {
		flipped = map[string]bool{}
	}
	for id, e := range m.pages {
		if e.seen != m.round {
			m.count(e.words, -1, flipped)
			delete(m.pages, id)
			m.changed = true
			m.dirty[memoSegment(id)] = true
		}
	}
	if len(changed) > 0 {
		m.changed = true
	}
	for _, i := range changed {
		if old := m.pages[pages[i].ID]; old != nil {
			m.count(old.words, -1, flipped)
		}
		m.count(entries[i].words, 1, flipped)
		m.pages[pages[i].ID] = entries[i]
		m.dirty[memoSegment(pages[i].ID)] = true
	}

	// A new lexicon: the pages with a word whose compound parts changed
	// need their terms again, besides the changed pages.
	stale := make([]bool, len(pages))
	for _, i := range changed {
		stale[i] = true
	}
	for w, f := range flipped {
		if !f {
			delete(flipped, w) // came and went, or went and came back
		}
	}
	old := m.e
	if old == nil || len(flipped) > 0 {
		m.e = newExpander(m.lexicon(), groups)
	}
	if old != nil && old != m.e {
		var moved []string // as in memoPage.words: "\nord\n"
		for w := range m.counts {
			if !flipped[w] && !sameParts(old, m.e, w) {
				moved = append(moved, "\n"+w+"\n")
			}
		}
		if len(moved) > 0 {
			par.For(len(pages), func(i int) {
				if stale[i] {
					return
				}
				for _, w := range moved {
					if strings.Contains(entries[i].words, w) {
						stale[i] = true
						return
					}
				}
			})
		}
	}

	var redo []int
	for i := range pages {
		if stale[i] {
			redo = append(redo, i)
			m.dirty[memoSegment(pages[i].ID)] = true
		}
	}
	par.For(len(redo), func(k int) {
		i := redo[k]
		if texts[i] == "" {
			texts[i] = pages[i].Text()
		}
		entries[i].terms = m.e.PageTerms(pages[i].Title, texts[i])
	})
	for i, e := range entries {
		out[i] = e.terms
	}
	return m.e, out
}

// lexicon returns the words counted.
func (m *Memo) lexicon() map[string]bool {
	lex := make(map[string]bool, len(m.counts))
	for w := range m.counts {
		lex[w] = true
	}
	return lex
}

// sameParts reports whether the lexicon word w splits into the same
// terms with a as with b.
func sameParts(a, b *Expander, w string) bool {
	ia, oka := a.id[w]
	ib, okb := b.id[w]
	if !oka || !okb || int(ia) >= len(a.parts) || int(ib) >= len(b.parts) {
		return oka == okb
	}
	pa, pb := a.parts[ia], b.parts[ib]
	if len(pa) != len(pb) {
		return false
	}
	for k := range pa {
		if a.vocab[pa[k]] != b.vocab[pb[k]] {
			return false
		}
	}
	return true
}

// count adds d to the count of each word, noting in flipped (when not
// nil) the words that enter or leave the lexicon.
func (m *Memo) count(words string, d int32, flipped map[string]bool) {
	for _, w := range strings.Split(strings.Trim(words, "\n"), "\n") {
		if w == "" {
			continue
		}
		n := m.counts[w] + d
		if n <= 0 {
			delete(m.counts, w)
		} else {
			m.counts[w] = n
		}
		if flipped != nil && (n == 0 || n == d) {
			flipped[w] = !flipped[w]
		}
	}
}

// joinWords joins words for memoPage.words.
func joinWords(words []string) string {
	if len(words) == 0 {
		return "\n"
	}
	return "\n" + strings.Join(words, "\n") + "\n"
}

// distinctWords returns the distinct words of text (as NewExpander reads
// them), sorted.
func distinctWords(text string) []string {
	set := map[string]bool{}
	var out []string
	words(text, nil, func(w []byte) {
		if !set[string(w)] {
			s := string(w)
			set[s] = true
			out = append(out, s)
		}
	})
	sort.Strings(out)
	return out
}
