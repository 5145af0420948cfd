package sv

import (
	"strings"
	"unicode/utf8"
)

// Stem returns the Swedish Snowball stem of a lower-case word, as the
// Snowball 3.0 algorithm defines it
// (https://snowballstem.org/algorithms/swedish/stemmer.html): the stem
// Pagefind's Swedish index keys its words by (after Fold), so that an
// index written by the portal finds what Pagefind's own query stemming
// looks for (TestStemMatchesPagefind compares the two on the real content).
func Stem(w string) string {
	r := []rune(w)
	p1 := r1(r)
	// Step 1: the longest of these suffixes in R1 goes. A final -s only
	// after a valid s-ending (or as -ets where -et may go), and -et only
	// where etCondition allows.
	if suf := longestSuffix(r, p1, step1); suf > 0 {
		stem := r[:len(r)-suf]
		switch string(r[len(r)-suf:]) {
		case "s":
			if endsWith(stem, []rune("et")) && etCondition(stem[:len(stem)-2]) {
				r = stem[:len(stem)-2]
			} else if len(stem) > 0 && strings.ContainsRune("bcdfghjklmnoprtvy", stem[len(stem)-1]) {
				r = stem
			}
		case "et":
			if etCondition(stem) {
				r = stem
			}
		default:
			r = stem
		}
	}
	// Step 2: a double consonant ending in R1 loses its last letter.
	if longestSuffix(r, p1, step2) > 0 {
		r = r[:len(r)-1]
	}
	// Step 3.
	switch {
	case hasSuffixIn(r, p1, "fullt"):
		r = r[:len(r)-1]
	case hasSuffixIn(r, p1, "öst") && len(r) > 3 && strings.ContainsRune("iklnprtuv", r[len(r)-4]):
		r = r[:len(r)-1]
	default:
		if suf := longestSuffix(r, p1, step3); suf > 0 {
			r = r[:len(r)-suf]
		}
	}
	return string(r)
}

// etCondition reports whether -et may go from a word whose stem is stem:
// the stem ends in a vowel and a consonant after at least one more letter,
// and not in one of etKeep.
func etCondition(stem []rune) bool {
	n := len(stem)
	if n < 3 || isVowel(stem[n-1]) || !isVowel(stem[n-2]) {
		return false
	}
	for _, k := range etKeep {
		if endsWith(stem, k) {
			return false
		}
	}
	return true
}

var (
	step1  = suffixes("a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or s as arnas ernas ornas es ades andes ens arens hetens erns at et andet het ast")
	step2  = suffixes("dd gd nn dt gt kt tt")
	step3  = suffixes("lig ig els")
	etKeep = suffixes("fab h pak rak stak kom iet cit dit alit ilit mit nit pit rit sit tit uit ivit kvit xit")
)

// suffixes splits a list of suffixes and orders it longest first.
func suffixes(list string) [][]rune {
	var out [][]rune
	for _, s := range strings.Fields(list) {
		out = append(out, []rune(s))
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// longestSuffix returns the length of the longest of sufs that ends r
// and lies wholly in R1 (from p1), or 0.
func longestSuffix(r []rune, p1 int, sufs [][]rune) int {
	for _, s := range sufs {
		if len(s) <= len(r)-p1 && endsWith(r, s) {
			return len(s)
		}
	}
	return 0
}

func hasSuffixIn(r []rune, p1 int, s string) bool {
	rs := []rune(s)
	return len(rs) <= len(r)-p1 && endsWith(r, rs)
}

func endsWith(r, s []rune) bool {
	if len(s) > len(r) {
		return false
	}
	for i := range s {
		if r[len(r)-len(s)+i] != s[i] {
			return false
		}
	}
	return true
}

// r1 is the start of R1: after the first non-vowel that follows a vowel,
// but at least 3 letters in.
func r1(r []rune) int {
	for i := 1; i < len(r); i++ {
		if !isVowel(r[i]) && isVowel(r[i-1]) {
			return max(i+1, 3)
		}
	}
	return len(r)
}

func isVowel(c rune) bool { return strings.ContainsRune("aeiouyäåö", c) }

// Fold removes the diacritics Pagefind removes from its index keys:
// å, ä → a, ö → o and the like ("livsläng" → "livslang").
func Fold(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, c := range w {
		if f, ok := folds[c]; ok {
			b.WriteRune(f)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

var folds = map[rune]rune{'å': 'a', 'ä': 'a', 'à': 'a', 'á': 'a', 'â': 'a', 'ö': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ø': 'o',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ü': 'u', 'ú': 'u', 'ù': 'u', 'û': 'u', 'í': 'i', 'ì': 'i', 'ï': 'i', 'î': 'i', 'ç': 'c', 'ñ': 'n'}
