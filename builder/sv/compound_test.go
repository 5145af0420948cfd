package sv

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	siteCompoundsOnce sync.Once
	siteCompounds     *Compounds
)

// contentCompounds returns a splitter over the portal's own content, as
// the search index builds it.
func contentCompounds(t *testing.T) *Compounds {
	t.Helper()
	siteCompoundsOnce.Do(func() {
		var texts []string
		for _, dir := range []string{"exempel", "begrepp", "sidor"} {
			files, _ := filepath.Glob(filepath.Join("..", "..", "content", dir, "*.md"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err == nil {
					texts = append(texts, string(b))
				}
			}
		}
		siteCompounds = NewCompounds(Lexicon(texts...))
	})
	if len(siteCompounds.words) < 1000 {
		t.Fatalf("the content lexicon has only %d words", len(siteCompounds.words))
	}
	return siteCompounds
}

// TestSplitContentWords: real compounds of the portal's content split
// into the parts a reader searches for, with linking morphemes handled,
// and words that only look like compounds stay whole.
func TestSplitContentWords(t *testing.T) {
	c := contentCompounds(t)
	for _, tt := range []struct {
		word string
		want []string // nil: not split
	}{
		{"ungdomsinflytande", []string{"ungdom", "inflytande"}},
		{"barnfattigdom", []string{"barn", "fattigdom"}},
		{"investeringsfond", []string{"investering", "fond"}},
		{"investeringsfonder", []string{"investering", "fond"}},
		{"utvecklingsfonden", []string{"utveckling", "fond"}},
		{"investeringsmodell", []string{"investering", "modell"}},
		{"investeringsmedel", []string{"investering", "medel"}},
		{"processledningsteam", []string{"processledning", "team"}},
		{"utvecklingsarbete", []string{"utveckling", "arbete"}},
		{"stadsdelsförvaltningen", []string{"stadsdel", "förvaltningen"}},
		{"familjecentralen", []string{"familj", "central"}},
		{"behovsanalys", []string{"behov", "analys"}},
		{"återbetalningsmodell", []string{"återbetalning", "modell"}},
		{"återföringsmodell", []string{"återföring", "modell"}},
		{"skolresultat", []string{"skola", "resultat"}},
		{"familjerådgivningen", []string{"familj", "rådgivning"}},
		// Not compounds, or not ones the lexicon explains: left whole.
		{"organisationen", nil},
		{"rekommendationer", nil},
		{"förutsättningar", nil},
		{"verksamheten", nil},
		{"kommunen", nil},
		{"information", nil},
		{"dokumentationen", nil},
		{"inflytande", nil},
		{"hälsa", nil},
		{"SIB", nil},
		// A preposition is not the first part of a compound.
		{"förslagen", nil},
		{"förändring", nil},
		{"tillväxt", nil},
		{"medborgare", nil},
		// An inflected form is not a compound of a function word.
		{"modeller", nil},
		{"modellerna", nil},
	} {
		got := c.Split(tt.word)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestCompoundTerms: the terms added to the index for a compound: its
// parts and its tails, so shorter compounds find longer ones.
func TestCompoundTerms(t *testing.T) {
	c := NewCompounds([]string{"social", "investering", "investeringsfonden", "fonden", "ungdom", "inflytande"})
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"Ungdomsinflytande", []string{"ungdom", "inflytande"}},
		{"socialinvesteringsfonden", []string{"social", "investeringsfonden", "investering", "fonden"}},
		{"fonden", nil},
	} {
		if got := c.Terms(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestSplitDeterministic: the same lexicon splits the same way, whatever
// the order it was given in.
func TestSplitDeterministic(t *testing.T) {
	words := []string{"social", "investering", "fond", "socialinvestering", "sfond", "ingsfond"}
	a := NewCompounds(words)
	rev := slices.Clone(words)
	slices.Reverse(rev)
	b := NewCompounds(rev)
	for _, w := range []string{"socialinvesteringsfond", "investeringsfond"} {
		if x, y := a.Split(w), b.Split(w); !slices.Equal(x, y) {
			t.Errorf("%s: %q vs %q", w, x, y)
		}
	}
	// The longest last part wins, also a chance one ("sfond"): the
	// lexicon is the site's own words, where such forms are rare.
	if got := strings.Join(a.Split("socialinvesteringsfond"), "+"); got != "socialinvestering+sfond" {
		t.Errorf("socialinvesteringsfond: %s", got)
	}
}

// TestSplitForms: the last part may be inflected ("åldern" of "ålder"),
// and a left side the lexicon has only in its definite form is that form
// ("mellanstadie-" → "mellanstadiet"), so that both find the compound.
func TestSplitForms(t *testing.T) {
	c := NewCompounds([]string{"mellanstadiet", "förskola", "familj", "familjen", "central"})
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"mellanstadieåldern", []string{"mellanstadiet", "åldern"}},
		{"förskoleåldern", []string{"förskola", "åldern"}},
		{"familjecentraler", []string{"familj", "centraler"}}, // familj-e-, not "familjen"
	} {
		if got := c.Split(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// FuzzSplit: any input splits without panicking, into parts of the
// lexicon, or not at all.
func FuzzSplit(f *testing.F) {
	c := NewCompounds([]string{"social", "investering", "fond", "fonden", "ungdom", "inflytande", "skola", "resultat", "arbete", "löshet"})
	for _, s := range []string{"socialinvesteringsfonden", "ungdomsinflytande", "skolresultat", "arbetslöshet", "ååååååååå", "s", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts := c.Split(s)
		for i, p := range parts {
			if !c.words[p] && !(i == len(parts)-1 && c.inflected(p)) {
				t.Fatalf("Split(%q): part %q is not in the lexicon", s, p)
			}
		}
	})
}

// BenchmarkSplitWorstCase: a word of the longest length that is split,
// made of parts that each can be read several ways, the case that made
// the search exponential before the left sides were remembered.
func BenchmarkSplitWorstCase(b *testing.B) {
	c := NewCompounds([]string{"fond", "fonds", "fonde", "ungdom", "ungdoms", "arbete", "arbet"})
	w := strings.Repeat("fonds", 11) + "fond"
	for b.Loop() {
		c.Split(w)
	}
}
