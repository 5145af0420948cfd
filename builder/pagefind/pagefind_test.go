package pagefind

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/output"
)

// The keys Pagefind 1.6.0 indexes words under, as its CLI wrote them for
// a page of these words (builder/search/testdata/words; the search
// package's TestWordsMatchPagefindCLI checks the whole page against the
// CLI). A "*" marks a part of the word.
func TestIndexable(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"hej", "hej"},
		{"Åtgärder", "atgard"},
		{"t.o.m.", "tom om*"},
		{"a.b.c.", "abc bc*"},
		{"x.y", "xy"},
		{"ab.c.de", "abcd ab* de* cde*"},
		{"ab-ab", "abab ab* ab*"},
		{"ab-c-de", "abcd ab* de*"},
		{"www.exempel.se", "wwwexemp www* exempel* se* exemp*"},
		{"MiniMili", "minimili mini* mili*"},
		{"ABCDef", "abcdef abc* def*"},
		{"a-covid19", "acovid19 covid* 19*"},
		{"covid19", "covid19"},
		{"0–16", "016 0–16*"},
		{"(2014)”.", "2014 2014* ”*"},
		{"”hej”", "hej ”hej”*"},
		{"Å.Ä.Ö.", "aao a* a* o* ao*"},
		{"e-post.", "epost post*"},
		{"ab._cd", "ab_cd ab* cd* _cd*"},
	}
	for _, tt := range tests {
		var got []string
		for _, iw := range indexable(tt.raw, swedishStem, nil) {
			k := iw.key
			if iw.part {
				k += "*"
			}
			got = append(got, k)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%q: %s, want %s", tt.raw, strings.Join(got, " "), tt.want)
		}
	}
}

// What a page gives the index, element by element as Pagefind reads it.
func TestParseHTML(t *testing.T) {
	tests := []struct {
		name, body, digest string
	}{
		{"block elements end in a full stop", `<p>Ett</p><p>Två.</p><div>Tre:</div><li>Fyra</li>`, "Ett. Två. Tre: Fyra."},
		{"inline elements add nothing", `<p>Inline <span>span</span> och <b>fe</b>tt</p>`, "Inline span och fett."},
		{"dt and dd run together", `<dl><dt>Term</dt><dd>Förklaring</dd></dl>`, "TermFörklaring"},
		{"ignored and removed", `<p>Med</p><div data-pagefind-ignore>Utan</div><nav>Meny</nav><form>F</form><script>s</script><p>Också</p>`, "Med. Också."},
		{"weights", `<p data-pagefind-weight="2">Viktig</p><h2>Rubrik</h2>`, "___PAGEFIND_WEIGHT___2 Viktig. ___END_PAGEFIND_WEIGHT___ ___PAGEFIND_AUTO_WEIGHT___6 Rubrik. ___END_PAGEFIND_WEIGHT___"},
		{"line breaks and entities", "<p>Rad<br>bryt&amp;ning\n\n  här&nbsp;</p>", "Rad bryt&ning här"},
		{"an entity at the end is no word character", `<p>Citat &#34;x&#34;</p><p>Slut</p>`, `Citat "x" Slut.`},
	}
	for _, tt := range tests {
		p := parseHTML([]byte(`<html lang="sv"><head><title>T</title></head><body><main data-pagefind-body>` + tt.body + `</main></body></html>`))
		if p.digest != tt.digest {
			t.Errorf("%s: %q, want %q", tt.name, p.digest, tt.digest)
		}
		if !p.hasBody || p.language != "sv" {
			t.Errorf("%s: body %v, language %q", tt.name, p.hasBody, p.language)
		}
	}
	p := parseHTML([]byte(`<html lang="sv"><head><meta data-pagefind-meta="bild[content]" content="/b.png"></head><body>
<main data-pagefind-body><h1 id="a">Rubriken</h1><span data-pagefind-filter="ämne">Ett</span><span data-pagefind-filter="ämne:Två"></span>
<span data-pagefind-sort="datum">2015-03-01</span><div data-pagefind-ignore><span data-pagefind-meta="plats">Ale</span></div></main></body></html>`))
	if p.meta["title"] != "Rubriken" || p.meta["bild"] != "/b.png" || p.meta["plats"] != "Ale" {
		t.Errorf("meta %v", p.meta)
	}
	if len(p.filters) != 2 || p.filters[0] != (filterValue{"ämne", "Ett"}) || p.filters[1] != (filterValue{"ämne", "Två"}) {
		t.Errorf("filters %v", p.filters)
	}
	if p.sort["datum"] != "2015-03-01" {
		t.Errorf("sort %v", p.sort)
	}
	if !strings.Contains(p.digest, "___PAGEFIND_ANCHOR___h1:0:a") {
		t.Errorf("no anchor in %q", p.digest)
	}
}

// FuzzParseHTML: any input parses without a panic, and what Pagefind
// keeps to itself never reaches a page's content, metadata or filters.
func FuzzParseHTML(f *testing.F) {
	f.Add([]byte(`<html lang="sv"><body><main data-pagefind-body><h1 id="x">T</h1><p data-pagefind-weight="2">a.b.c</p></main></body></html>`))
	f.Add([]byte(`<main data-pagefind-body><span data-pagefind-meta="a:___PAGEFIND_ANCHOR___x">`))
	f.Add([]byte(`<html><body><div data-pagefind-body><svg><path/></svg><dl><dt>x</dt></dl>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		p := parseHTML(src)
		for _, v := range p.meta {
			if strings.Contains(v, "___PAGEFIND_") {
				t.Fatalf("marker in meta %q", v)
			}
		}
		x := New()
		x.Begin()
		if _, err := x.Add("a/index.html", src); err != nil && !strings.Contains(err.Error(), "språk") {
			t.Fatal(err)
		}
		if _, err := x.Write(output.NewMemory(), Dir); err != nil && !strings.Contains(err.Error(), "språk") {
			t.Fatal(err)
		}
	})
}

// An index saved and loaded in a new process writes the same files, and
// reads only the pages whose HTML changed.
func TestSaveLoad(t *testing.T) {
	page := func(title, body string) []byte {
		return []byte(`<html lang="sv"><body><main data-pagefind-body><h1>` + title + `</h1><p>` + body + `</p><span data-pagefind-filter="typ">Exempel</span></main></body></html>`)
	}
	pages := map[string][]byte{
		"exempel/a/index.html": page("Fotosyntes", "Ett exempel från Ale om förskolan."),
		"exempel/b/index.html": page("Star for Life", "Skolprogram i Ale kommun."),
		"begrepp/c/index.html": page("Social investeringsfond", "Medel som avsätts för förebyggande arbete."),
	}
	write := func(x *Index) *output.Memory {
		x.Begin()
		for name, b := range pages {
			if _, err := x.Add(name, b); err != nil {
				t.Fatal(err)
			}
		}
		m := output.NewMemory()
		if _, err := x.Write(m, Dir); err != nil {
			t.Fatal(err)
		}
		return m
	}
	file := filepath.Join(t.TempDir(), "cache.bin")
	x := New()
	first := write(x)
	if err := x.Save(file); err != nil {
		t.Fatal(err)
	}
	y := New()
	y.Load(file)
	y.wait()
	if len(y.pages) != 3 {
		t.Fatalf("%d pages loaded", len(y.pages))
	}
	loaded := y.pages["/exempel/a/"]
	pages["exempel/b/index.html"] = page("Star for Life", "Skolprogram i Kungälv.")
	second := write(y)
	if y.pages["/exempel/a/"] != loaded {
		t.Error("an unchanged page was read again")
	}
	if !strings.Contains(entryWords(t, second), "kungalv") || strings.Contains(entryWords(t, second), "ale kommun") {
		t.Error("the changed page is not in the index")
	}
	// Undo the change: the files are those of the first build.
	pages["exempel/b/index.html"] = page("Star for Life", "Skolprogram i Ale kommun.")
	third := write(y)
	if a, b := strings.Join(first.Names(), " "), strings.Join(third.Names(), " "); a != b {
		t.Fatalf("files differ:\n%s\n%s", a, b)
	}
	for _, n := range first.Names() {
		a, _ := first.Get(n)
		b, _ := third.Get(n)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after save, load and rebuild", n)
		}
	}
	// Saved again, the loaded entries are read from the new file.
	if err := y.Save(file); err != nil {
		t.Fatal(err)
	}
	pages["exempel/c/index.html"] = page("Nytt", "En ny sida.")
	fourth := write(y)
	if !strings.Contains(entryWords(t, fourth), "ny") || !strings.Contains(entryWords(t, fourth), "fotosynt") {
		t.Error("the index after a second save lacks pages")
	}
	// A damaged cache is no error: the index starts empty. A byte
	// changed anywhere (here in a page's postings, which Load does not
	// read) fails the checksum.
	good, _ := os.ReadFile(file)
	for _, damaged := range [][]byte{[]byte(cacheMagic + "\xff\xff\xff"), flip(good, len(good)-40), good[:len(good)-1]} {
		os.WriteFile(file, damaged, 0o644)
		z := New()
		z.Load(file)
		z.wait()
		if len(z.pages) != 0 {
			t.Errorf("%d pages from a damaged cache", len(z.pages))
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x10
	return c
}

// entryWords returns the keys of the index in m, space-separated.
func entryWords(t *testing.T, m *output.Memory) string {
	t.Helper()
	fsys := memFS{m}
	s, err := Read(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range s.Words {
		keys = append(keys, k)
	}
	return strings.Join(keys, " ")
}

// A page in another language than Swedish is refused with its name.
func TestOtherLanguage(t *testing.T) {
	x := New()
	x.Begin()
	_, err := x.Add("en/index.html", []byte(`<html lang="en"><body><main data-pagefind-body>Hello</main></body></html>`))
	if err == nil || !strings.Contains(err.Error(), "en/index.html") || !strings.Contains(err.Error(), "-pagefind-cli") {
		t.Fatalf("got %v", err)
	}
}

// FuzzDecodeCBOR: the reader of Pagefind's files takes any bytes without a
// panic, and what the encoder writes it reads back.
func FuzzDecodeCBOR(f *testing.F) {
	b := cborArray(nil, 3)
	b = cborString(b, "sv_1234567")
	b = cborInt(b, -169)
	b = cborArray(cborUint(b, 70000), 0)
	f.Add(b)
	f.Add([]byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		DecodeCBOR(data)
		// A string and a number, encoded and decoded.
		enc := cborString(cborArray(nil, 2), string(data))
		enc = cborInt(enc, int64(len(data))-100)
		v, rest, err := DecodeCBOR(enc)
		if err != nil || len(rest) != 0 {
			t.Fatal(err, len(rest))
		}
		arr := v.([]any)
		if arr[0].(string) != string(data) {
			t.Fatal("string changed")
		}
		if n := int64(len(data)) - 100; n < 0 && arr[1].(int64) != n || n >= 0 && arr[1].(uint64) != uint64(n) {
			t.Fatalf("number %v for %d", arr[1], n)
		}
	})
}

// A page in a regional variant of Swedish gets Swedish stemming and the
// Swedish WebAssembly under its own language's name, as the CLI writes it.
func TestRegionalSwedish(t *testing.T) {
	x := New()
	x.Begin()
	if _, err := x.Add("a/index.html", []byte(`<html lang="sv-SE"><body><main data-pagefind-body>Investeringsfonderna</main></body></html>`)); err != nil {
		t.Fatal(err)
	}
	m := output.NewMemory()
	if _, err := x.Write(m, Dir); err != nil {
		t.Fatal(err)
	}
	entry, _ := m.Get(Dir + "/pagefind-entry.json")
	if !strings.Contains(string(entry), `"sv-se":{"hash":"sv-se_`) || !strings.Contains(string(entry), `"wasm":"sv-se"`) {
		t.Errorf("entry %s", entry)
	}
	wasm, ok := m.Get(Dir + "/wasm.sv-se.pagefind")
	sv, _ := fs.ReadFile(Client(), "wasm.sv.pagefind")
	if !ok || !bytes.Equal(wasm, sv) {
		t.Error("no Swedish WebAssembly under wasm.sv-se.pagefind")
	}
	if !strings.Contains(entryWords(t, m), "investeringsfond") {
		t.Errorf("not stemmed as Swedish: %s", entryWords(t, m))
	}
}

// TestWordRunsMatchOneRun: the word index merged in several runs of
// pages (one per core) is byte for byte the one merged in one, with runs
// of unequal length, words with and without diacritics, and metadata.
func TestWordRunsMatchOneRun(t *testing.T) {
	words := []string{"förskola", "forskola", "Ale", "kommun", "investering", "fond", "åtgärd", "atgard", "barn", "unga", "skola", "hälsa"}
	write := func(runs int) *output.Memory {
		defer func(f func(int) int) { wordRuns = f }(wordRuns)
		wordRuns = func(int) int { return runs }
		x := New()
		x.Begin()
		for i := range 700 {
			var body strings.Builder
			for j := range 5 + i%17 {
				body.WriteString(words[(i*7+j*3)%len(words)] + " ")
			}
			html := fmt.Sprintf(`<html lang="sv"><body><main data-pagefind-body><h1>Sida %d %s</h1><p>%s</p>`+
				`<p data-pagefind-meta="sokord">%s</p><span data-pagefind-filter="typ">Exempel</span></main></body></html>`,
				i, words[i%len(words)], body.String(), words[(i+5)%len(words)])
			if _, err := x.Add(fmt.Sprintf("exempel/s%d/index.html", i), []byte(html)); err != nil {
				t.Fatal(err)
			}
		}
		m := output.NewMemory()
		if _, err := x.Write(m, Dir); err != nil {
			t.Fatal(err)
		}
		return m
	}
	one := write(1)
	for _, runs := range []int{2, 3, 7} {
		got := write(runs)
		if a, b := strings.Join(one.Names(), " "), strings.Join(got.Names(), " "); a != b {
			t.Fatalf("%d runs: files differ:\n%s\n%s", runs, a, b)
		}
		for _, n := range one.Names() {
			a, _ := one.Get(n)
			b, _ := got.Get(n)
			if !bytes.Equal(a, b) {
				t.Errorf("%d runs: %s differs from one run", runs, n)
			}
		}
	}
}

// TestIncrementalWordIndex edits a site of 200 generated pages step by
// step (a sentence added to a page, a new word added and taken away
// again, pages rewritten, a page's metadata, a page added, a page removed,
// nothing) and checks after each step that the
// index an Index kept between the steps writes (also through Save and
// Load) is byte for byte the one a new Index writes, and that after a
// small edit it encoded only some of the chunks.
func TestIncrementalWordIndex(t *testing.T) {
	defer func(n, w int, r func(int) int) { chunkSize, windowSize, wordRuns = n, w, r }(chunkSize, windowSize, wordRuns)
	chunkSize = 2000                                // many chunks from few pages
	windowSize = 10000                              // the cache file read a few pages at a time
	wordRuns = func(n int) int { return min(n, 3) } // the postings read in three runs, as on three cores
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 1500)
	syll := []string{"för", "skol", "barn", "ål", "fond", "in", "vest", "ering", "häl", "sa", "unga", "ö", "ka", "stöd", "väl", "färd"}
	for i := range vocab {
		var b strings.Builder
		for range 2 + i%3 {
			b.WriteString(syll[rng.IntN(len(syll))])
		}
		vocab[i] = fmt.Sprintf("%s%d", b.String(), i%97)
	}
	body := func() string {
		var b strings.Builder
		for range 150 + rng.IntN(100) {
			b.WriteString(vocab[rng.IntN(len(vocab))] + " ")
		}
		return b.String()
	}
	type pg struct{ body, meta string }
	site := map[string]pg{}
	for i := range 200 {
		site[fmt.Sprintf("exempel/s%03d/index.html", i)] = pg{body(), "Ale"}
	}
	typ := map[string]string{} // a page's filter value, if not Exempel
	html := func(name string) []byte {
		p, v := site[name], cmp.Or(typ[name], "Exempel")
		return []byte(`<html lang="sv"><body><main data-pagefind-body><h1>Sida</h1><p>` + p.body +
			`</p><p data-pagefind-meta="plats">` + p.meta + `</p><span data-pagefind-filter="typ">` + v + `</span></main></body></html>`)
	}
	write := func(x *Index) *output.Memory {
		t.Helper()
		x.Begin()
		for _, name := range slices.Sorted(maps.Keys(site)) {
			if _, err := x.Add(name, html(name)); err != nil {
				t.Fatal(err)
			}
		}
		m := output.NewMemory()
		if _, err := x.Write(m, Dir); err != nil {
			t.Fatal(err)
		}
		return m
	}
	names := func() []string { return slices.Sorted(maps.Keys(site)) }
	edit := func(n int) {
		for range n {
			name := names()[rng.IntN(len(site))]
			site[name] = pg{body(), site[name].meta}
		}
	}
	// A sentence added at the end of a page: the words before it keep
	// their postings.
	appendTo := func() {
		name := names()[rng.IntN(len(site))]
		site[name] = pg{site[name].body + "Ett nytt stycke om uppföljning och kostnader.", site[name].meta}
	}
	// A word new to the site added to a page, then taken away again: it
	// goes from the middle of a chunk whose other words keep their
	// postings.
	var appended, before string
	n := 0
	addWord := func() {
		n++
		appended = names()[rng.IntN(len(site))]
		before = site[appended].body
		site[appended] = pg{before + fmt.Sprintf(" gzq%d.", n), site[appended].meta}
	}
	undo := func() { site[appended] = pg{before, site[appended].meta} }
	steps := []struct {
		name   string
		change func()
		some   bool // only some chunks may be encoded again
		filter bool // the filter's file changes (else it is not compressed again)
	}{
		{"nothing", func() {}, true, false},
		{"a sentence added to a page", appendTo, true, false},
		// Its words' postings grow: the chunks can end a word earlier
		// or later from there on, and are then encoded again.
		{"and to another", appendTo, false, false},
		{"one page rewritten", func() { edit(1) }, false, false},
		{"three pages rewritten", func() { edit(3) }, false, false},
		{"a new word", addWord, true, false},
		{"the word taken away again", undo, true, false},
		{"a page's metadata", func() {
			name := names()[7]
			site[name] = pg{site[name].body, "Göteborg"}
		}, true, false},
		{"a page's filter", func() { typ[names()[9]] = "Begrepp" }, true, true},
		{"a page added", func() { site["exempel/s999/index.html"] = pg{body(), "Ale"} }, false, true},
		{"a sentence added to a page", appendTo, false, false},
		{"a page removed", func() { delete(site, names()[3]) }, false, true},
		{"a new word", addWord, true, false},
		{"the word taken away again", undo, true, false},
	}
	file := filepath.Join(t.TempDir(), "sokindex.bin")
	x := New()
	write(x)
	for i, st := range steps {
		if i%2 == 1 { // half the steps start from the saved index
			if err := x.Save(file); err != nil {
				t.Fatal(err)
			}
			x = New()
			x.Load(file)
			x.wait()
			if x.totals == nil {
				t.Fatalf("%s: the totals were not loaded with the pages", st.name)
			}
		}
		st.change()
		before, filters := chunksEncoded.Load(), filtersCompressed.Load()
		got := write(x)
		encoded := chunksEncoded.Load() - before
		checkTotals(t, st.name, x)
		if n := filtersCompressed.Load() - filters; n != 0 && !st.filter || n != 1 && st.filter {
			t.Errorf("%s: %d filter files compressed, want %d", st.name, n, map[bool]int{true: 1}[st.filter])
		}
		want := write(New())
		all := chunksEncoded.Load() - before - encoded
		if a, b := strings.Join(want.Names(), " "), strings.Join(got.Names(), " "); a != b {
			t.Fatalf("%s: files differ:\n%s\n%s", st.name, a, b)
		}
		for _, n := range want.Names() {
			a, _ := want.Get(n)
			b, _ := got.Get(n)
			if !bytes.Equal(a, b) {
				t.Errorf("%s: %s differs from a new index's", st.name, n)
			}
		}
		if all < 10 {
			t.Fatalf("%s: only %d chunks; the test needs more", st.name, all)
		}
		if st.some && encoded >= all/2 {
			t.Errorf("%s: %d of %d chunks encoded again", st.name, encoded, all)
		}
		t.Logf("%s: %d of %d chunks encoded", st.name, encoded, all)
	}
}

// checkTotals fails the test unless the totals x kept as its pages came
// and went are those of its pages' postings, counted anew.
func checkTotals(t *testing.T, step string, x *Index) {
	t.Helper()
	x.mu.Lock()
	kept := x.totals
	var pages []*page
	for _, p := range x.pages {
		pages = append(pages, p)
	}
	x.mu.Unlock()
	if kept == nil {
		t.Fatalf("%s: the index does not know its totals", step)
	}
	var posts []*page
	for _, p := range pages {
		post, err := p.postings()
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, &page{post: post})
	}
	want := totalsOf(posts)
	trim := func(ws []wordTotal) []wordTotal {
		for len(ws) > 0 && ws[len(ws)-1] == (wordTotal{}) {
			ws = ws[:len(ws)-1]
		}
		return ws
	}
	if !slices.Equal(trim(kept.words), trim(want.words)) || !maps.Equal(kept.forms, want.forms) {
		t.Fatalf("%s: the totals kept (%d words, %d forms) are not the pages' (%d words, %d forms)",
			step, len(trim(kept.words)), len(kept.forms), len(trim(want.words)), len(want.forms))
	}
}

// TestWindow reads ranges of a file through a window, in order and out of
// order, larger than the window and past the end.
func TestWindow(t *testing.T) {
	defer func(w int) { windowSize = w }(windowSize)
	windowSize = 16
	data := make([]byte, 100)
	for i := range data {
		data[i] = byte(i)
	}
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var w window
	for _, r := range []struct{ off, n int }{{0, 4}, {4, 8}, {12, 10}, {30, 40}, {5, 3}, {90, 10}, {99, 1}, {50, 0}} {
		got, err := w.read(f, int64(r.off), r.n)
		if err != nil || !bytes.Equal(got, data[r.off:r.off+r.n]) {
			t.Errorf("read(%d, %d) = %v, %v; want %v", r.off, r.n, got, err, data[r.off:r.off+r.n])
		}
	}
	if _, err := w.read(f, 95, 10); err != io.ErrUnexpectedEOF {
		t.Errorf("read past the end: %v, want %v", err, io.ErrUnexpectedEOF)
	}
	if got, err := w.read(f, 94, 6); err != nil || !bytes.Equal(got, data[94:]) {
		t.Errorf("read after a failed read = %v, %v", got, err)
	}
}

// TestPostingHeader: readHeader gives back what appendPosting wrote, with
// values of one to five bytes as varints, and the values after it.
func TestPostingHeader(t *testing.T) {
	type posting struct {
		key, form  uint32
		locs, meta []int64
	}
	long := make([]int64, 200) // 200 locations: a count of two bytes, a size of three
	for i := range long {
		long[i] = int64(i * 1000)
	}
	ps := []posting{
		{0, 0, nil, nil},
		{127, 0, []int64{1}, []int64{-1}},
		{128, 1, []int64{5, 70}, nil},
		{16383, 127, []int64{-3}, []int64{-2, 4}},
		{16384, 128, long, []int64{-1}},
		{1<<21 + 5, 1 << 14, []int64{1 << 40}, nil},
		{1<<32 - 1, 1<<28 + 3, nil, long},
	}
	var b []byte
	for _, p := range ps {
		b = appendPosting(b, p.key, p.form, p.locs, p.meta)
	}
	off := 0
	for i, p := range ps {
		h := readHeader(b, off)
		if h.key != p.key || h.form != p.form || int(h.nLocs) != len(p.locs) || int(h.nMeta) != len(p.meta) {
			t.Fatalf("posting %d: header %+v, want key %d form %d, %d and %d values", i, h, p.key, p.form, len(p.locs), len(p.meta))
		}
		locs, meta, _ := readValues(b, h, nil)
		if !slices.Equal(locs, p.locs) || !slices.Equal(meta, p.meta) {
			t.Fatalf("posting %d: values %v %v, want %v %v", i, locs, meta, p.locs, p.meta)
		}
		off = h.next
	}
	if off != len(b) {
		t.Fatalf("ended at %d of %d bytes", off, len(b))
	}
}

// BenchmarkPostingHeaders reads the headers of 257,000 postings as the
// word index counts and copies them (a posting of 10,000 cases' index
// has a word id of two bytes and one to three locations).
func BenchmarkPostingHeaders(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	var pages [][]byte
	n := 0
	for range 1000 {
		var p []byte
		for range 257 {
			locs := make([]int64, 1+r.IntN(3))
			for i := range locs {
				locs[i] = int64(r.IntN(500))
			}
			p = appendPosting(p, uint32(r.IntN(13728)), 0, locs, []int64{-1})
			n++
		}
		pages = append(pages, p)
	}
	b.ResetTimer()
	keys := 0
	for range b.N {
		for _, p := range pages {
			for off := 0; off < len(p); {
				h := readHeader(p, off)
				keys += int(h.key)
				off = h.next
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/posting")
	if keys == 0 {
		b.Fatal("no keys read")
	}
}
