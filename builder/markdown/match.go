package markdown

import (
	"bytes"
	"maps"
	"slices"
	"unicode"
	"unicode/utf8"
)

// automaton is a byte trie over the lower-cased forms that the first word of
// a phrase may take (the keys of Glossary.forms), stored as a dense table of
// transitions over byte classes. Node 0 is a dead sink that every missing
// transition leads to, so a step is one table look-up; node 1 is the root.
type automaton struct {
	class [256]uint16   // byte → column; column 0 (bytes in no form) leads to the sink
	width int           // columns per node
	next  []int32       // node*width + column → next node
	cands []*candidates // node → Glossary.forms of the word spelled on the way to it
}

// candidates are the phrases whose first word may take one given form.
type candidates struct {
	multi  []*phrase       // phrases of two or more words, best first (see Glossary.scan)
	second map[string]bool // every form of the second word of a phrase in multi
	single *phrase         // the best phrase of one word, or nil
}

// newCandidates indexes ps, phrases in the order they were indexed.
func newCandidates(ps []*phrase) *candidates {
	ps = slices.Clone(ps)
	// Stable: among equals the first indexed stays first.
	slices.SortStableFunc(ps, func(a, b *phrase) int {
		if len(a.words) != len(b.words) {
			return len(b.words) - len(a.words)
		}
		return b.chars - a.chars
	})
	c := &candidates{second: map[string]bool{}}
	for _, p := range ps {
		if len(p.words) == 1 {
			if c.single == nil {
				c.single = p
			}
			continue
		}
		c.multi = append(c.multi, p)
		for f := range p.rest[0].forms {
			c.second[f] = true
		}
	}
	return c
}

const (
	sinkNode = 0
	rootNode = 1
)

// newAutomaton builds the trie of the keys of forms.
func newAutomaton(forms map[string]*candidates) automaton {
	var a automaton
	keys := slices.Sorted(maps.Keys(forms))
	cols := 1
	for _, f := range keys {
		for i := 0; i < len(f); i++ {
			if a.class[f[i]] == 0 {
				a.class[f[i]] = uint16(cols)
				cols++
			}
		}
	}
	a.width = cols
	a.next = make([]int32, 2*cols) // sink and root
	a.cands = make([]*candidates, 2)
	for _, f := range keys {
		n := rootNode
		for i := 0; i < len(f); i++ {
			at := n*cols + int(a.class[f[i]])
			if a.next[at] == sinkNode {
				a.next[at] = int32(len(a.cands))
				a.cands = append(a.cands, nil)
				a.next = append(a.next, make([]int32, cols)...)
			}
			n = int(a.next[at])
		}
		a.cands[n] = forms[f]
	}
	return a
}

// asciiLower maps an ASCII word byte (letter or digit) to its lower case and
// every other ASCII byte to 0.
var asciiLower = func() (t [utf8.RuneSelf]byte) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = byte(c)
		case 'A' <= c && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return t
}()

// scanner is the reusable state of Glossary.scan. The zero value is ready;
// a scanner must not be used by two goroutines at once.
type scanner struct {
	follow []followWord // the words after a candidate first word
	lower  []byte       // their lower-case text
	seen   []setAnswer  // which of them are in which formSet
}

// scan calls yield for each mention of a glossary term in s, left to right.
// At every word (a run of letters and digits; isWordRune) that does not lie
// inside an earlier mention it looks for the longest phrase starting there:
// the phrase with most words, then with the longest name, then the one
// indexed first. Phrase words must be separated by white space only, and
// each text word must be one of the forms inflections lists for its term
// word, compared in lower case (a word is lower-cased only when it has an
// upper-case letter; see appendLower). start and end are the byte range of
// the mention in s.
func (g *Glossary) scan(s []byte, sc *scanner, yield func(p *phrase, start, end int)) {
	a := &g.auto
	next, class, width := a.next, &a.class, a.width
	i := 0
	for i < len(s) {
		// Skip to the start of a word.
		if c := s[i]; c < utf8.RuneSelf {
			if asciiLower[c] == 0 {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRune(s[i:]); !isWordRune(r) {
			i += n
			continue
		}
		// Walk the word through the trie in lower case. appendLower leaves
		// a word without upper-case letters as it is, so a word with runes
		// that lower-case without being upper case ("ǅ") is looked up as
		// written unless it has an upper-case letter too.
		start := i
		node := rootNode
		odd := false
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if l := asciiLower[c]; l != 0 {
					i++
					if node != sinkNode {
						node = int(next[node*width+int(class[l])])
						continue
					}
					// No form goes on from here: skip the word's other
					// ASCII letters and digits without the trie.
					for i < len(s) && s[i] < utf8.RuneSelf && asciiLower[s[i]] != 0 {
						i++
					}
					continue
				}
				if c == '-' && i+1 < len(s) {
					if r, _ := utf8.DecodeRune(s[i+1:]); isWordRune(r) {
						node = int(next[node*width+int(class['-'])]) // the sink stays
						i++
						continue
					}
				}
				break
			}
			r, n := utf8.DecodeRune(s[i:])
			if !isWordRune(r) {
				break
			}
			l := r
			if unicode.IsUpper(r) {
				l = unicode.ToLower(r)
			} else if r > unicode.MaxLatin1 {
				// No Latin-1 rune lower-cases unless it is upper case
				// (TestLatin1Lowering); beyond, check.
				if l = unicode.ToLower(r); l != r {
					odd = true
				}
			}
			if node != sinkNode {
				var buf [utf8.UTFMax]byte
				for _, b := range utf8.AppendRune(buf[:0], l) {
					node = int(next[node*width+int(class[b])])
				}
			}
			i += n
		}
		var cands *candidates
		if odd && !hasUpper(s[start:i]) {
			cands = g.forms[string(s[start:i])]
		} else {
			cands = a.cands[node]
		}
		if cands == nil {
			continue
		}
		if p, end := sc.longest(s, cands, i); p != nil {
			yield(p, start, end)
			i = end
		}
	}
}

// longest returns the best phrase of c (whose first word is the word of s
// ending at end) that matches s from that word on, and where it ends; or nil.
func (sc *scanner) longest(s []byte, c *candidates, end int) (*phrase, int) {
	if len(c.multi) > 0 {
		sc.follow, sc.lower, sc.seen = sc.follow[:0], sc.lower[:0], sc.seen[:0]
		if f, ok := sc.word(s, 0, end); ok && f.spaced && c.second[string(sc.lower[f.lo:f.hi])] {
			for _, p := range c.multi {
				if e, ok := sc.match(s, p, end); ok {
					return p, e
				}
			}
		}
	}
	if c.single != nil {
		return c.single, end
	}
	return nil, 0
}

// match reports whether the words of p after the first match s after end,
// and where they end.
func (sc *scanner) match(s []byte, p *phrase, end int) (int, bool) {
	for j, set := range p.rest {
		f, ok := sc.word(s, j, end)
		if !ok || !f.spaced || !sc.inSet(j, set, f) {
			return 0, false
		}
		end = f.end
	}
	return end, true
}

// word returns the j-th word after the first word (which ends at end),
// tokenising and lower-casing it on first use; ok is false past the end
// of s.
func (sc *scanner) word(s []byte, j, end int) (*followWord, bool) {
	for len(sc.follow) <= j {
		if k := len(sc.follow); k > 0 {
			end = sc.follow[k-1].end
		}
		w, found := nextToken(s, end)
		if !found {
			return nil, false
		}
		lo := len(sc.lower)
		sc.lower = appendLower(sc.lower, s[w.start:w.end])
		sc.follow = append(sc.follow, followWord{span: w, lo: lo, hi: len(sc.lower),
			spaced: len(bytes.TrimSpace(s[end:w.start])) == 0})
	}
	return &sc.follow[j], true
}

// inSet reports whether follow word f, the j-th after the first, is in set,
// remembering the answer for the other candidates.
func (sc *scanner) inSet(j int, set *formSet, f *followWord) bool {
	for _, m := range sc.seen {
		if m.j == j && m.set == set {
			return m.in
		}
	}
	in := set.forms[string(sc.lower[f.lo:f.hi])]
	sc.seen = append(sc.seen, setAnswer{j, set, in})
	return in
}

// setAnswer is a remembered answer of scanner.inSet.
type setAnswer struct {
	j   int
	set *formSet
	in  bool
}

// followWord is a word after a candidate first word, with the range of its
// lower-case text in scanner.lower. spaced tells whether only white space
// separates it from the word before.
type followWord struct {
	span
	lo, hi int
	spaced bool
}

// appendLower appends w lower-cased when it has an upper-case letter, as it
// is otherwise. w must be valid UTF-8.
func appendLower(dst, w []byte) []byte {
	if !hasUpper(w) {
		return append(dst, w...)
	}
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst
}

// hasUpper reports whether w has an upper-case letter.
func hasUpper(w []byte) bool {
	for i := 0; i < len(w); {
		if c := w[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(w[i:])
		if unicode.IsUpper(r) {
			return true
		}
		i += n
	}
	return false
}
