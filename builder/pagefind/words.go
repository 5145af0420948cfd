package pagefind

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/exempelbanken/portal/builder/sv"
)

// includeCharacters are the characters besides letters and digits that
// Pagefind 1.6 keeps in a word (its WORD_SYMBOLS, written to
// pagefind-entry.json): the connector punctuation.
var includeCharacters = []rune{'_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿'}

// indexWord is one key a word of the text is indexed under.
type indexWord struct {
	key      string // lower case, diacritics removed, stemmed
	original string // the lower-case word with its diacritics, when it has any
	part     bool   // a part of a compound ("anna-eva", "MiniMili")
}

// indexable appends to out the keys Pagefind 1.6 indexes the
// whitespace-delimited word raw under: the whole word without punctuation,
// and, for a word with punctuation or capitals inside it, each part of two
// or more bytes. stem is the language's stemmer (nil: none).
func indexable(raw string, stem func(string) string, out []indexWord) []indexWord {
	normalized := normalizeWord(raw)
	if normalized != "" {
		out = append(out, keyOf(normalized, stem, false))
	}
	if !possiblyCompound(raw) {
		return out
	}
	parts := discreteWords(raw)
	var added []string
	if normalized != "" && (strings.ContainsFunc(parts, unicode.IsSpace) || !strings.HasPrefix(normalized, parts)) {
		for _, p := range strings.Fields(parts) {
			// Parts of one byte are left out (Pagefind counts bytes:
			// "ö" is a part, "o" is not).
			if len(p) > 1 {
				out = append(out, keyOf(p, stem, true))
				added = append(added, p)
			}
		}
	}
	// What follows each full stop is a part too ("www.exempel.se" →
	// "exempelse", "se"; "t.o.m." → "om"), unless it is the whole word or
	// already a part.
	for i := 0; i < len(raw); i++ {
		if raw[i] != '.' {
			continue
		}
		s := normalizeWord(raw[i+1:])
		if len(s) > 1 && s != normalized && !slicesContains(added, s) {
			out = append(out, keyOf(s, stem, true))
			added = append(added, s)
		}
	}
	return out
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func keyOf(w string, stem func(string) string, part bool) indexWord {
	folded, changed := foldDiacritics(w)
	iw := indexWord{key: folded, part: part}
	if changed {
		iw.original = w
	}
	if stem != nil {
		iw.key = stem(folded)
	}
	return iw
}

// normalizeWord keeps the letters, digits and include characters of raw,
// in lower case.
func normalizeWord(raw string) string {
	ascii := true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			ascii = false
			break
		}
	}
	if ascii {
		return raw
	}
	var b strings.Builder
	b.Grow(len(raw))
	for _, c := range raw {
		if !alphanumeric(c) && !isInclude(c) {
			continue
		}
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteRune(c)
			continue
		}
		if unicode.IsUpper(c) {
			b.WriteRune(unicode.ToLower(c))
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// alphanumeric is Rust's char::is_alphanumeric: Alphabetic or Numeric.
func alphanumeric(c rune) bool {
	if c < utf8.RuneSelf {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return unicode.IsLetter(c) || unicode.IsNumber(c) || unicode.Is(unicode.Other_Alphabetic, c)
}

func isInclude(c rune) bool {
	for _, x := range includeCharacters {
		if c == x {
			return true
		}
	}
	return false
}

// possiblyCompound: raw has a character that is not a letter or digit, or
// a capital after its first character.
func possiblyCompound(raw string) bool {
	first := true
	for _, c := range raw {
		if !alphanumeric(c) {
			return true
		}
		if !first && unicode.IsUpper(c) {
			return true
		}
		first = false
	}
	return false
}

// foldDiacritics removes combining marks after canonical decomposition
// ("café" → "cafe", "åtgärd" → "atgard"); changed reports whether any were.
func foldDiacritics(w string) (string, bool) {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return w, false
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, c := range norm.NFD.String(w) {
		if !unicode.Is(unicode.M, c) {
			b.WriteRune(c)
		}
	}
	s := b.String()
	return s, s != w
}

// discreteWords is the word's parts in lower case, separated by single
// spaces: ASCII punctuation and soft hyphens become spaces, and a word is
// split where its case changes (convert_case's Lower case: "MiniMili" →
// "mini mili", "WKWebView" → "wk web view").
func discreteWords(raw string) string {
	var words []string
	for _, chunk := range strings.FieldsFunc(raw, func(c rune) bool {
		return c < utf8.RuneSelf && isASCIIPunct(byte(c)) || c == '\u00AD' || unicode.IsSpace(c)
	}) {
		words = appendCaseWords(words, chunk)
	}
	return strings.Join(words, " ")
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// appendCaseWords splits s at a lower-case letter followed by a capital
// ("miniMili") and before the last capital of a run followed by a lower-case
// letter ("WKWeb" → "WK", "Web") and between a letter and a digit
// ("covid19" → "covid", "19"), and appends the parts in lower case.
func appendCaseWords(out []string, s string) []string {
	rs := []rune(s)
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		split := false
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(cur):
			split = true
		case unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			split = true
		case isDigit(prev) && (unicode.IsLower(cur) || unicode.IsUpper(cur)),
			isDigit(cur) && (unicode.IsLower(prev) || unicode.IsUpper(prev)):
			split = true
		}
		if split {
			if i > start {
				out = append(out, strings.ToLower(string(rs[start:i])))
			}
			start = i
		}
	}
	if start < len(rs) {
		out = append(out, strings.ToLower(string(rs[start:])))
	}
	return out
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// swedishStem is the stemmer of an index in Swedish.
func swedishStem(w string) string { return sv.Stem(w) }
