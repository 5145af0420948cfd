package search

import (
	"fmt"
	"hash/maphash"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/storefile"
)

// TestMemoMatchesFresh edits a small site step by step and checks after
// each step that Memo.Terms gives what NewExpander over all the texts
// gives, and that it read again only the texts it had to: with one Memo
// kept in memory, and with the Memo saved after every step and read
// again before the next (SaveFile, LoadMemo), as portal build does.
func TestMemoMatchesFresh(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testMemo(t, "") })
	t.Run("file", func(t *testing.T) { testMemo(t, filepath.Join(t.TempDir(), "sokord.bin")) })
}

func testMemo(t *testing.T, file string) {
	groups := []content.SynonymGroup{
		{Terms: []string{"SIB", "social impact bond", "socialt utfallskontrakt"}},
		{Terms: []string{"landsting", "region"}},
	}
	const extra = "Barn och unga\nStöd till barn och unga, inflytande"
	site := map[string]string{
		"a": "Ungdomsinflytande i Göteborg.",
		"b": "Barnfattigdom minskar när familjer får stöd.",
		"c": "Landstingsfullmäktige beslutade om ett socialt utfallskontrakt.",
		"d": "Inget särskilt.",
	}
	steps := []struct {
		name string
		edit map[string]string // "" removes the page
		// read: the pages whose text Terms must read (their key changed);
		// others may be read only to redo their terms.
		read []string
	}{
		{"first build", nil, []string{"a", "b", "c", "d"}},
		{"nothing changed", nil, nil},
		{"a word the lexicon has", map[string]string{"d": "Inget särskilt för barn."}, []string{"d"}},
		// "ungdom" and "fattigdom" on their own make the compounds of a
		// and b split: their terms change though their text does not.
		{"new heads", map[string]string{"d": "Om ungdom och fattigdom."}, []string{"d"}},
		{"heads go again", map[string]string{"d": "Inget."}, []string{"d"}},
		// "familjer" is b's too: removing e must not take it from the
		// lexicon (nor count e's words out twice).
		{"new page", map[string]string{"e": "Ungdom i regionen och familjer."}, []string{"e"}},
		{"page removed", map[string]string{"e": ""}, nil},
		{"two edits", map[string]string{"a": "Ungdomsinflytande och fattigdom.", "c": "Regionfullmäktige."}, []string{"a", "c"}},
	}
	m := NewMemo()
	var seed = maphash.MakeSeed()
	for _, st := range steps {
		if file != "" {
			m = LoadMemo(file, "v1")
			if st.name != "first build" && len(m.pages) == 0 {
				t.Fatalf("%s: nothing read from %s", st.name, file)
			}
		}
		for id, text := range st.edit {
			if text == "" {
				delete(site, id)
			} else {
				site[id] = text
			}
		}
		ids := slices.Sorted(maps.Keys(site))
		var read []string
		var mu sync.Mutex // Terms asks for texts on every core
		pages := make([]PageText, len(ids))
		texts := make([]string, len(ids))
		for i, id := range ids {
			text := site[id]
			texts[i] = text
			pages[i] = PageText{ID: id, Key: maphash.String(seed, text), Title: id,
				Text: func() string { mu.Lock(); read = append(read, id); mu.Unlock(); return text }}
		}
		e, got := m.Terms(pages, extra, groups)
		fresh := NewExpander(append(slices.Clone(texts), extra), groups)
		if !slices.Equal(e.vocab, fresh.vocab) {
			t.Errorf("%s: lexicon %q, want %q", st.name, e.vocab, fresh.vocab)
		}
		for i, id := range ids {
			if want := fresh.PageTerms(id, texts[i]); got[i] != want {
				t.Errorf("%s: page %s: terms %+v, want %+v", st.name, id, got[i], want)
			}
		}
		for _, id := range st.read {
			if !slices.Contains(read, id) {
				t.Errorf("%s: did not read %s", st.name, id)
			}
		}
		if st.name == "nothing changed" && len(read) > 0 {
			t.Errorf("%s: read %q", st.name, read)
		}
		if file != "" {
			if err := m.SaveFile(file, "v1"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestLoadMemoDamaged: a damaged or foreign memo file, or one of another
// version, gives an empty Memo, which is no error.
func TestLoadMemoDamaged(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sokord.bin")
	m := NewMemo()
	m.Terms([]PageText{{ID: "a", Key: 1, Title: "a", Text: func() string { return "Barnfattigdom i Ale." }}}, "", nil)
	if err := m.SaveFile(file, "v1"); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(file)
	if got := LoadMemo(file, "v1"); len(got.pages) != 1 || !got.loaded {
		t.Fatalf("the saved memo read back with %d pages", len(got.pages))
	}
	if got := LoadMemo(file, "v2"); len(got.pages) != 0 || got.loaded {
		t.Errorf("another version's memo read back with %d pages", len(got.pages))
	}
	for i, bad := range [][]byte{good[:len(good)-1], append([]byte("x"), good[1:]...), nil} {
		b := slices.Clone(bad)
		if i == 2 {
			b = slices.Clone(good)
			b[len(b)/2] ^= 1
		}
		os.WriteFile(file, b, 0o644)
		if got := LoadMemo(file, "v1"); len(got.pages) != 0 || got.loaded {
			t.Errorf("damaged file %d: %d pages read", i, len(got.pages))
		}
	}
	os.WriteFile(file, good, 0o644)
	// A damaged segment, and a segment of another generation (a save
	// killed between the segments and the file that names them).
	seg := storefile.Segment(file, memoSegment("a"))
	segGood, _ := os.ReadFile(seg)
	b := slices.Clone(segGood)
	b[len(b)/2] ^= 1
	os.WriteFile(seg, b, 0o644)
	if got := LoadMemo(file, "v1"); len(got.pages) != 0 || got.loaded {
		t.Errorf("damaged segment: %d pages read", len(got.pages))
	}
	os.WriteFile(seg, segGood, 0o644)
	m = LoadMemo(file, "v1")
	m.Terms([]PageText{{ID: "a", Key: 2, Title: "a", Text: func() string { return "Barnfattigdom i Ale och Kungälv." }}}, "", nil)
	if err := m.SaveFile(file, "v1"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, good, 0o644) // the file of the first save, naming the old generation
	if got := LoadMemo(file, "v1"); len(got.pages) != 0 || got.loaded {
		t.Errorf("segment of another generation: %d pages read", len(got.pages))
	}
}

// TestSaveFileWritesChangedSegments: after one page's text changes,
// SaveFile writes its segment and the file with the counts, not the
// others.
func TestSaveFileWritesChangedSegments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sokord.bin")
	text := map[string]string{}
	var pages []PageText
	for i := range 60 {
		id := fmt.Sprintf("sida-%02d", i)
		text[id] = fmt.Sprintf("Stöd till barn och unga i kommun %d.", i%7)
		pages = append(pages, PageText{ID: id, Key: uint64(i), Title: id, Text: func() string { return text[id] }})
	}
	m := NewMemo()
	m.Terms(pages, "", nil)
	if err := m.SaveFile(file, "v1"); err != nil {
		t.Fatal(err)
	}
	read := func() map[string]string {
		out := map[string]string{}
		files, _ := filepath.Glob(strings.TrimSuffix(file, ".bin") + "*.bin")
		for _, f := range files {
			b, _ := os.ReadFile(f)
			out[f] = string(b)
		}
		return out
	}
	before := read()
	if len(before) != memoSegments+1 {
		t.Fatalf("%d files saved, want %d", len(before), memoSegments+1)
	}
	m = LoadMemo(file, "v1")
	text["sida-07"] = "Stöd till unga i kommun 3."
	pages[7].Key = 1000
	m.Terms(pages, "", nil)
	if err := m.SaveFile(file, "v1"); err != nil {
		t.Fatal(err)
	}
	var written []string
	for f, b := range read() {
		if before[f] != b {
			written = append(written, filepath.Base(f))
		}
	}
	slices.Sort(written)
	want := []string{"sokord-" + strconv.Itoa(memoSegment("sida-07")) + ".bin", "sokord.bin"}
	slices.Sort(want)
	if !slices.Equal(written, want) {
		t.Errorf("files written: %v, want %v", written, want)
	}
	if got := LoadMemo(file, "v1"); len(got.pages) != 60 {
		t.Errorf("read back %d pages, want 60", len(got.pages))
	}
}
