package sv

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Barn 6–12 år", "barn-6-12-ar"},
		{"Åby", "aby"},
		{"ÄLVÄNGEN Ö", "alvangen-o"},
		{"Min Fina Insats", "min-fina-insats"},
		{"EU-finansiering", "eu-finansiering"},
		{"  --Jämlikt   Norra Hisingen – socialt hållbar stadsdel--  ", "jamlikt-norra-hisingen-socialt-hallbar-stadsdel"},
		{"Children's Support Services", "childrens-support-services"},
		{"FoU i Väst/GR", "fou-i-vast-gr"},
		{"Café Über Straße", "cafe-uber-strasse"},
		{"!!!", ""},
		{"2015", "2015"},
		// NFD, as macOS writes file names: the same slug as NFC.
		{"ko\u0308k", "kok"},
		{"A\u030Aby a\u0308lv", "aby-alv"},
		{"Cafe\u0301", "cafe"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Barn 6–12 år", "Åby", "ß", "a--b", "\xff", "x y z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Slugify(s)
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Slugify(%q) = %q has %q", s, got, r)
			}
		}
		if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slugify(%q) = %q has stray hyphens", s, got)
		}
		if Slugify(got) != got {
			t.Fatalf("Slugify not idempotent: %q → %q → %q", s, got, Slugify(got))
		}
		if nfd, nfc := Slugify(norm.NFD.String(s)), Slugify(norm.NFC.String(s)); utf8.ValidString(s) && nfd != nfc {
			t.Fatalf("Slugify(%q): NFD gives %q, NFC %q", s, nfd, nfc)
		}
	})
}

func TestSwedishOrder(t *testing.T) {
	in := []string{"Örebro", "Ale", "Åre", "Älvdalen", "Zinkgruvan", "Borås", "ale"}
	sort.Slice(in, func(i, j int) bool { return Less(in[i], in[j]) })
	want := "ale Ale Borås Zinkgruvan Åre Älvdalen Örebro"
	if got := strings.Join(in, " "); got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
}

func TestFormat(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 2015: "2015", 10000: "10 000", 12500000: "12 500 000", -45000: "−45 000"} {
		if got := FormatInt(n); got != want {
			t.Errorf("FormatInt(%d) = %q, want %q", n, got, want)
		}
	}
	if got := FormatSEK(12500000); got != "12 500 000 kr" {
		t.Errorf("FormatSEK = %q", got)
	}
	if got := FormatDate(time.Date(2015, 7, 3, 0, 0, 0, 0, time.UTC)); got != "3 juli 2015" {
		t.Errorf("FormatDate = %q", got)
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"Ale", "Alingsås", "Göteborg", "Barn 6–12 år", "status", "summary"}
	tests := []struct{ in, want string }{
		{"Alle", "Ale"},
		{"goteborg", "Göteborg"},
		{"Barn 6-12", "Barn 6–12 år"},
		{"staus", "status"},
		{"zzzzzz", ""},
	}
	for _, tt := range tests {
		if got := Suggest(tt.in, cands); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldLabelAndLetters(t *testing.T) {
	if FoldLabel("  Barn 6-12  ÅR ") != FoldLabel("barn 6–12 år") {
		t.Error("FoldLabel is not tolerant of case, dashes and spaces")
	}
	for in, want := range map[string]string{"Återföringsmodell": "Å", "effekt": "E", "Éclair": "E", "2020-talet": "#", "Örebro": "Ö"} {
		if got := FirstLetter(in); got != want {
			t.Errorf("FirstLetter(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSortStable checks that SortStable, with the name as tie-break,
// orders exactly as sort.SliceStable with Less.
func TestSortStable(t *testing.T) {
	names := []string{"Örebro", "Åre", "Ale", "Älmhult", "Orsa", "ale", "Ale", "Malmö", "Malung-Sälen",
		"Mala", "Mörbylånga", "Öckerö", "Eda", "Ekerö", "Upplands Väsby", "Upplands-Bro", "Ängelholm",
		"Aneby", "Åre", "A\u030are", "Vårgårda", "Västerås", "Wåhlin", "Vallentuna", "Östra Göinge", "Ö", "Å", "Ä", ""}
	type item struct {
		name string
		i    int
	}
	var got, want []*item
	for i, n := range names {
		got = append(got, &item{n, i})
		want = append(want, &item{n, i})
	}
	sort.SliceStable(want, func(i, j int) bool { return Less(want[i].name, want[j].name) })
	name := func(x *item) string { return x.name }
	SortStable(got, name, name)
	for i := range want {
		if *got[i] != *want[i] {
			t.Fatalf("position %d: got %q (#%d), want %q (#%d)", i, got[i].name, got[i].i, want[i].name, want[i].i)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0 byte"}, {999, "999 byte"}, {1000, "1 kB"}, {12_499, "12 kB"}, {12_500, "13 kB"}, {999_499, "999 kB"}, {999_500, "1,0 MB"},
		{1_000_000, "1,0 MB"}, {1_349_999, "1,3 MB"}, {1_350_000, "1,4 MB"}, {12_345_678_901, "12 345,7 MB"}} {
		if got := FormatBytes(tt.n); got != tt.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestStem: the Snowball 3.0 Swedish stems of words of the content, after
// Fold as Pagefind does (TestStemMatchesPagefind in builder/search checks
// every word of the real content against Pagefind's own index).
func TestStem(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"ansvaret", "ansvar"}, {"antaget", "antag"}, {"begreppet", "begreppet"}, {"budget", "budget"},
		{"enhet", "enhet"}, {"aktivitet", "aktivitet"}, {"fallet", "fallet"}, {"barnet", "barnet"},
		{"investeringsfonderna", "investeringsfond"}, {"kommunernas", "kommun"}, {"landstingets", "landstinget"},
		{"livslängd", "livslang"}, {"aktör", "akt"}, {"alltså", "allts"}, {"fullt", "fullt"}, {"sis", "sis"},
		{"hus", "hus"}, {"barns", "barn"}, {"utfallskontraktet", "utfallskontraktet"}, {"respektfullt", "respektfull"}, {"ab", "ab"}, {"", ""},
	} {
		if got := Stem(Fold(tt.word)); got != tt.want {
			t.Errorf("Stem(Fold(%q)) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestSortStableKeyedSortedStart: lists whose start is sorted already
// (SortStableKeyed then sorts only the rest and merges) come out as
// slices.SortStableFunc orders them, ties by tie and then by position.
func TestSortStableKeyedSortedStart(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	words := []string{"Ale", "ale", "Åre", "Ängen", "Öst", "Zeta", "Malmö", "Mala", "A\u030are", "Eda", ""}
	type item struct {
		name, tie string
		i         int
	}
	cmp := func(a, b item) int {
		if c := bytes.Compare(Key(a.name), Key(b.name)); c != 0 {
			return c
		}
		return strings.Compare(a.tie, b.tie)
	}
	for round := range 500 {
		n := r.IntN(40)
		items := make([]item, n)
		for i := range items {
			items[i] = item{words[r.IntN(len(words))], string(rune('a' + r.IntN(3))), i}
		}
		// A sorted start of any length, then the rest as it came.
		start := 0
		if n > 0 {
			start = r.IntN(n + 1)
		}
		slices.SortStableFunc(items[:start], cmp)
		want := slices.Clone(items)
		slices.SortStableFunc(want, cmp)
		got := slices.Clone(items)
		SortStableKeyed(got, func(x item) []byte { return Key(x.name) }, func(x item) string { return x.tie })
		if !slices.Equal(got, want) {
			t.Fatalf("round %d (sorted start %d of %d):\n got %v\nwant %v", round, start, n, got, want)
		}
	}
}

// BenchmarkSortStableKeyed sorts 10,000 titles: in random order, and
// sorted but for 300 more at the end (the cases, then the terms and
// pages, as the search page's list of names is made).
func BenchmarkSortStableKeyed(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	titles := make([]string, 10300)
	for i := range titles {
		titles[i] = fmt.Sprintf("Projekt %c%d i %s", 'A'+rune(r.IntN(26)), r.IntN(100000), []string{"Åre", "Ale", "Örebro", "Malmö"}[r.IntN(4)])
	}
	key := func(s string) []byte { return Key(s) }
	id := func(s string) string { return s }
	sortedStart := slices.Clone(titles)
	SortStableKeyed(sortedStart[:10000], key, id)
	for _, c := range []struct {
		name string
		in   []string
	}{{"random", titles}, {"sorted-start", sortedStart}} {
		b.Run(c.name, func(b *testing.B) {
			s := make([]string, len(c.in))
			for range b.N {
				copy(s, c.in)
				SortStableKeyed(s, key, id)
			}
		})
	}
}

// TestNewKey: NewKey gives Key's key without keeping it.
func TestNewKey(t *testing.T) {
	for _, s := range []string{"", "Ale", "Älvkarleby", "Öckerö", "Åre", "aaa", "Zeta nummer 12"} {
		n := keyCount.Load()
		k := NewKey(s)
		if keyCount.Load() != n {
			t.Errorf("%q: NewKey kept its key", s)
		}
		if !bytes.Equal(k, Key(s)) {
			t.Errorf("%q: NewKey %x, Key %x", s, k, Key(s))
		}
		if cap(k) != len(k) {
			t.Errorf("%q: a key with room to grow (%d of %d)", s, len(k), cap(k))
		}
	}
}
