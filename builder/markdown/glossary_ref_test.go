package markdown

// This file keeps the original glossary matcher (before the automaton in
// glossary.go) as the reference that the differential tests compare with.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type refGlossary struct {
	forms map[string][]*refPhrase
}

type refPhrase struct {
	words []string
	chars int
	term  *GlossaryTerm
}

// refNewGlossary is the original NewGlossary, kept as the reference for
// differential tests. Names that fold to nothing are ignored.
func refNewGlossary(terms []*GlossaryTerm) *refGlossary {
	g := &refGlossary{forms: map[string][]*refPhrase{}}
	seen := map[string]bool{}
	for _, t := range terms {
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
			p := &refPhrase{words: words, chars: len(key), term: t}
			for _, f := range inflections(words[0]) {
				g.forms[f] = append(g.forms[f], p)
			}
		}
	}
	return g
}

// refWordMatches reports whether text word tok is an inflected form of term word w.
func refWordMatches(tok, w string) bool {
	if tok == w {
		return true
	}
	if len(w) < minInflect || !strings.HasPrefix(tok, w[:len(w)-1]) {
		return false
	}
	if strings.HasPrefix(tok, w) {
		rest := tok[len(w):]
		for _, s := range suffixes {
			if rest == s {
				return true
			}
		}
	}
	if alt, ok := altStem(w); ok && strings.HasPrefix(tok, alt) {
		rest := tok[len(alt):]
		return rest == "na" || rest == "nas"
	}
	return false
}

// refToken is a word in a text with its byte range. lower is filled lazily,
// only for words that may start a term.
type refToken struct {
	start, end int
	lower      string
}

// refLowered returns the lower-case text of toks[i], computing it once.
func refLowered(s string, toks []refToken, i int) string {
	t := &toks[i]
	if t.lower == "" {
		t.lower = refLowerString(s[t.start:t.end])
	}
	return t.lower
}

// refLowerString lower-cases w without allocating when it already is.
func refLowerString(w string) string {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(w)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		if unicode.IsUpper(r) {
			return strings.ToLower(w)
		}
		i += n
	}
	return w
}

// refTokens splits s into words with the production tokenizer (nextToken),
// which the scanner's own word loop is checked against. It appends to out.
func refTokens(s string, out []refToken) []refToken {
	b := []byte(s)
	for i := 0; ; {
		w, ok := nextToken(b, i)
		if !ok {
			return out
		}
		out = append(out, refToken{start: w.start, end: w.end})
		i = w.end
	}
}

// refMatch is a mention found in a text.
type refMatch struct {
	start, end int
	term       *GlossaryTerm
}

// find returns the longest mention starting at refToken i, or nil.
func refFind(g *refGlossary, s string, toks []refToken, i int) (*refPhrase, int) {
	cands := g.forms[refLowered(s, toks, i)]
	if len(cands) == 0 {
		return nil, 0
	}
	var best *refPhrase
	bestEnd := 0
	for _, p := range cands {
		if i+len(p.words) > len(toks) {
			continue
		}
		ok := true
		for j := 1; j < len(p.words); j++ {
			a, b := toks[i+j-1], toks[i+j]
			if strings.TrimSpace(s[a.end:b.start]) != "" || !refWordMatches(refLowered(s, toks, i+j), p.words[j]) {
				ok = false
				break
			}
		}
		if ok && (best == nil || len(p.words) > len(best.words) ||
			(len(p.words) == len(best.words) && p.chars > best.chars)) {
			best, bestEnd = p, toks[i+len(p.words)-1].end
		}
	}
	return best, bestEnd
}

// refScan returns every mention the original linkInText found in s, before
// it filtered terms already used: a found mention always consumes its words.
func refScan(g *refGlossary, s string) []refMatch {
	toks := refTokens(s, nil)
	var out []refMatch
	for i := 0; i < len(toks); i++ {
		p, end := refFind(g, s, toks, i)
		if p == nil {
			continue
		}
		skip := i
		for skip < len(toks) && toks[skip].end <= end {
			skip++
		}
		out = append(out, refMatch{toks[i].start, end, p.term})
		i = skip - 1
	}
	return out
}
