package sv

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Compounds splits Swedish compound words into their parts against a
// lexicon: the word forms a site uses, plus CommonHeads. Swedish writes
// compounds as one word ("ungdomsinflytande"), so a search for
// "inflytande" finds the page only if the parts are indexed too.
//
// A word is split where both sides are words of the lexicon, the left side
// possibly with a linking morpheme (-s-, -e-, -a-, or -s- in place of a
// final -e: "arbetslöshet" from "arbete"), and the left side possibly a
// compound itself. Parts are at least MinPart letters, so short chance
// words ("kom", "in") never split a word. The split is deterministic:
// of the possible splits, the one with the longest last part wins, then
// the one with the fewest parts.
//
// Compounds is safe for concurrent use once built.
type Compounds struct {
	words map[string]bool
}

// MinPart is the fewest letters a part of a compound may have.
const MinPart = 3

// minHead is the fewest letters the last part may have: a short last part
// ("fond", "plan", "stöd") is common, but three letters match by chance.
const minHead = 4

// minCompound is the fewest letters a word must have to be split.
const minCompound = 2*MinPart + 2

// maxCompound is the most letters of a word that is split: longer ones
// are not words but run-together text, and are left alone.
const maxCompound = 64

// CommonHeads are frequent last parts of Swedish compounds in the portal's
// field, added to every lexicon so that a compound splits even when its
// head does not occur on its own in the content.
var CommonHeads = []string{
	"arbete", "analys", "avtal", "barn", "beslut", "bidrag", "budget", "central", "centralen", "centrum", "del", "effekt", "ekonomi", "fattigdom",
	"fond", "fonden", "fonder", "form", "forskning", "förvaltning", "grupp", "gruppen", "hälsa", "insats",
	"insatser", "investering", "investeringar", "kommun", "kontrakt", "kostnad", "kostnader", "kultur",
	"ledning", "medel", "modell", "modellen", "nämnd", "område", "perspektiv", "plan", "politik",
	"program", "projekt", "region", "resultat", "samverkan", "skola", "stöd", "system", "tjänst",
	"utveckling", "utvärdering", "vård", "verksamhet", "ålder",
}

// notParts are prepositions and particles that begin many Swedish words
// without making them compounds: "förslag" is not "för" + "slag", nor
// "tillväxt" "till" + "växt". They are never a part.
var notParts = map[string]bool{
	"för": true, "upp": true, "mot": true, "med": true, "sam": true, "till": true, "över": true, "fram": true,
	"bort": true, "från": true, "genom": true, "efter": true, "under": true, "ingen": true,
	// Function words that end many words by chance: "modeller" is not
	// "mod" + "eller".
	"eller": true, "andra": true, "utan": true, "samt": true, "också": true, "även": true, "sedan": true,
	"mellan": true, "inte": true, "alla": true, "dessa": true, "deras": true, "vilka": true, "annat": true,
}

// NewCompounds returns a splitter for the lexicon's words (any case) and
// CommonHeads.
func NewCompounds(lexicon []string) *Compounds {
	c := &Compounds{words: make(map[string]bool, len(lexicon)+len(CommonHeads))}
	for _, w := range append(append([]string(nil), lexicon...), CommonHeads...) {
		w = strings.ToLower(strings.TrimSpace(w))
		if utf8.RuneCountInString(w) >= MinPart && isLetters(w) && !notParts[w] {
			c.words[w] = true
		}
	}
	return c
}

// Lexicon returns the distinct lower-case words of text, for NewCompounds.
func Lexicon(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// Split returns the parts of a compound word, in lower case and without
// linking morphemes ("ungdomsinflytande" → "ungdom", "inflytande"), or
// nil when the word is not a compound the lexicon explains.
func (c *Compounds) Split(word string) []string {
	w := strings.ToLower(word)
	if n := utf8.RuneCountInString(w); n < minCompound || n > maxCompound || !isLetters(w) {
		return nil
	}
	// An inflected form of a lexicon word is that word's compound or none:
	// "modeller" is "modell" + -er, not "mod" + "eller".
	for _, end := range Inflections {
		base, ok := strings.CutSuffix(w, end)
		if ok && c.words[base] && utf8.RuneCountInString(base) >= MinPart {
			if utf8.RuneCountInString(base) < minCompound {
				return nil
			}
			w = base
			break
		}
	}
	parts := c.split(w, true, map[string][]string{})
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// Inflections are the endings of the plural, definite and genitive forms
// of Swedish nouns and adjectives, longest first: "modeller" is "modell"
// with -er, "landstingets" "landsting" with -ets.
var Inflections = []string{"ernas", "arnas", "ornas", "erna", "arna", "orna", "ens", "ets", "nas",
	"en", "et", "na", "ar", "er", "or", "ns", "ts", "rs", "s", "n", "t", "a", "e", "r"}

// Terms returns what to index for a compound besides the word itself: its
// parts, and each tail of the word from a part boundary on
// ("socialinvesteringsfonden" → "social", "investering", "fonden",
// "investeringsfonden"), so that a search for a shorter compound finds
// the longer one. Nil when the word is not a compound.
func (c *Compounds) Terms(word string) []string {
	w := strings.ToLower(word)
	parts := c.Split(w)
	if parts == nil {
		return nil
	}
	out := append([]string(nil), parts...)
	// A part that is a compound of its own adds its parts too
	// ("investeringsfonden" → "investering", "fonden").
	for _, p := range parts {
		for _, sub := range c.Split(p) {
			if !slices.Contains(out, sub) {
				out = append(out, sub)
			}
		}
	}
	// The tails: the word from the start of each part but the first, as
	// written (with its linking morphemes).
	last := parts[len(parts)-1]
	for i := 1; i < len(parts)-1; i++ {
		if j := strings.Index(w, parts[i]); j > 0 && strings.HasSuffix(w, last) {
			out = append(out, w[j:])
		}
	}
	return out
}

// split finds the parts of w; top marks the whole word, which must split.
// A part that is itself a lexicon word is kept whole unless it is the
// whole word. memo holds the splits of left sides already tried (nil for
// none), which keeps a word of n letters at O(n²) lookups.
func (c *Compounds) split(w string, top bool, memo map[string][]string) []string {
	if !top && c.words[w] {
		return []string{w}
	}

	n := len(w)
	var best []string
	// Try the longest last part first: the head of a Swedish compound is
	// its last word.
	for i := 0; i < n; i++ {
		if !utf8.RuneStart(w[i]) || i == 0 {
			continue
		}
		head := w[i:]
		if utf8.RuneCountInString(head) < minHead || !c.words[head] && !(top && c.inflected(head)) {
			continue
		}
		left := w[:i]
		for _, l := range c.stems(left) {
			var lp []string
			if c.words[l] {
				lp = []string{l}
			} else if utf8.RuneCountInString(l) >= minCompound {
				lp = c.splitMemo(l, memo)
				if len(lp) < 2 {
					lp = nil
				}
			}
			if lp == nil {
				continue
			}
			cand := append(append([]string(nil), lp...), head)
			if best == nil || len(cand) < len(best) {
				best = cand
			}
		}
		if best == nil {
			if f := c.definite(left); f != "" {
				best = []string{f, head}
			}
		}
		if best != nil {
			return best // the longest head that works
		}
	}
	return best
}

// inflected reports whether w is a lexicon word of at least minHead
// letters with one of Inflections: "åldern" is "ålder" with -n. Only the
// last part of a word may be inflected; inside, an -s is a link.
func (c *Compounds) inflected(w string) bool {
	for _, end := range Inflections {
		if base, ok := strings.CutSuffix(w, end); ok && utf8.RuneCountInString(base) >= minHead && c.words[base] {
			return true
		}
	}
	return false
}

// definite returns the definite form of a left side that the lexicon has
// only in that form: "mellanstadie-" is "mellanstadiet", "hjärte-"
// "hjärtet". "" when there is none.
func (c *Compounds) definite(l string) string {
	if !strings.HasSuffix(l, "e") {
		return ""
	}
	for _, end := range []string{"t", "n"} {
		if c.words[l+end] {
			return l + end
		}
	}
	return ""
}

// splitMemo is split of a left side, remembered for the word being split.
func (c *Compounds) splitMemo(w string, memo map[string][]string) []string {
	if r, ok := memo[w]; ok {
		return r
	}
	r := c.split(w, false, memo)
	memo[w] = r
	return r
}

// stems returns the forms the left side of a compound may stand for:
// itself, without a linking -s-, -e- or -a-, -s- for a final -e
// ("arbets-" from "arbete"), and with the final -a it drops ("skol-" from
// "skola"), or with -e- for it ("förskole-" from "förskola").
func (c *Compounds) stems(left string) []string {
	if utf8.RuneCountInString(left) < MinPart || notParts[left] {
		return nil
	}
	out := []string{left}
	if len(left) > MinPart {
		last := left[len(left)-1]
		stem := left[:len(left)-1]
		switch last {
		case 's':
			out = append(out, stem, stem+"e")
		case 'e':
			out = append(out, stem, stem+"a") // "förskole-" from "förskola"
		case 'a':
			out = append(out, stem)
		default:
			out = append(out, left+"a")
		}
	}
	var keep []string
	for _, s := range out {
		if notParts[s] {
			return nil // "förs-" is "för" with a linking -s-: a prefix
		}
		if utf8.RuneCountInString(s) >= MinPart {
			keep = append(keep, s)
		}
	}
	return keep
}
