package markdown

import (
	"bytes"
	"slices"
	"unicode"
	"unicode/utf8"
)

// automaton is a byte trie over the lower-cased forms that the first word of
// a phrase may take (the keys of Glossary.forms), stored as a dense table of
// transitions over byte classes. Node 0 is a dead sink that every missing
// transition leads to, so a step is one table look-up; node 1 is the root.
type automaton struct {
	class [256]uint16 // byte → column; column 0 (bytes in no form) leads to the sink
	width int         // columns per node
	next  []int32     // node*width + column → next node
	cands [][]*phrase // node → Glossary.forms of the word spelled on the way to it
}

const (
	sinkNode = 0
	rootNode = 1
)

// newAutomaton builds the trie of the keys of forms.
func newAutomaton(forms map[string][]*phrase) automaton {
	var a automaton
	keys := make([]string, 0, len(forms))
	for f := range forms {
		keys = append(keys, f)
	}
	slices.Sort(keys)
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
	a.cands = make([][]*phrase, 2)
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
// At every word (see tokens) that does not lie inside an earlier mention it
// looks for the longest phrase starting there: the phrase with most words,
// then with the longest name, then the one indexed first. Phrase words must
// be separated by white space only, and each text word must be an inflected
// form of its term word (see wordMatches), compared in lower case
// (lowerString). start and end are the byte range of the mention in s.
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
		// Walk the word through the trie in lower case. lowerString leaves
		// a word without upper-case letters as it is, so a word with runes
		// that lower-case without being upper case ("ǅ") is looked up as
		// written unless it has an upper-case letter too.
		start := i
		node := rootNode
		upper, odd := false, false
		for i < len(s) {
			c := s[i]
			if c < utf8.RuneSelf {
				if l := asciiLower[c]; l != 0 {
					upper = upper || l != c
					if node != sinkNode {
						node = int(next[node*width+int(class[l])])
					}
					i++
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
				upper = true
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
		var cands []*phrase
		if odd && !upper {
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

// longest returns the longest phrase of cands (which all match the word
// ending at end) that matches s from that word on, and where it ends; or nil.
func (sc *scanner) longest(s []byte, cands []*phrase, end int) (*phrase, int) {
	sc.follow, sc.lower, sc.seen = sc.follow[:0], sc.lower[:0], sc.seen[:0]
	var best *phrase
	bestEnd := 0
	for _, p := range cands {
		ok := true
		prev := end
		for j, set := range p.rest {
			if j == len(sc.follow) {
				w, found := nextToken(s, prev)
				if !found {
					ok = false
					break
				}
				lo := len(sc.lower)
				sc.lower = appendLower(sc.lower, s[w.start:w.end])
				sc.follow = append(sc.follow, followWord{span: w, lo: lo, hi: len(sc.lower),
					spaced: len(bytes.TrimSpace(s[prev:w.start])) == 0})
			}
			f := &sc.follow[j]
			if !f.spaced || !sc.inSet(j, set, f) {
				ok = false
				break
			}
			prev = f.end
		}
		if ok && (best == nil || len(p.words) > len(best.words) ||
			(len(p.words) == len(best.words) && p.chars > best.chars)) {
			best, bestEnd = p, prev
		}
	}
	return best, bestEnd
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

// appendLower appends w as lowerString returns it: lower-cased when it has
// an upper-case letter, as it is otherwise. w must be valid UTF-8.
func appendLower(dst, w []byte) []byte {
	upper := false
	for i := 0; i < len(w) && !upper; {
		if c := w[i]; c < utf8.RuneSelf {
			upper = 'A' <= c && c <= 'Z'
			i++
			continue
		}
		r, n := utf8.DecodeRune(w[i:])
		upper = unicode.IsUpper(r)
		i += n
	}
	if !upper {
		return append(dst, w...)
	}
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRune(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst
}
