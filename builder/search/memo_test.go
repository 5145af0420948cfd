package search

import (
	"hash/maphash"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
)

// TestMemoMatchesFresh edits a small site step by step and checks after
// each step that Memo.Terms gives what NewExpander over all the texts
// gives, and that it read again only the texts it had to.
func TestMemoMatchesFresh(t *testing.T) {
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
		{"new page", map[string]string{"e": "Ungdom i regionen."}, []string{"e"}},
		{"page removed", map[string]string{"e": ""}, nil},
		{"two edits", map[string]string{"a": "Ungdomsinflytande och fattigdom.", "c": "Regionfullmäktige."}, []string{"a", "c"}},
	}
	m := NewMemo()
	var seed = maphash.MakeSeed()
	for _, st := range steps {
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
	}
}
