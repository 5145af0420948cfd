package search

import (
	"maps"
	"slices"

	"github.com/exempelbanken/portal/builder/internal/storefile"
)

// A Memo can outlive the process: SaveFile writes its pages (their keys,
// words and terms) and the lexicon's counts, and LoadMemo reads them into
// a Memo whose next Terms reads the text of only the pages whose key
// changed, as a preview's does. The pages' keys must then be the same in
// every process (site's keys are: stable.Sum64). A missing, damaged or
// foreign file, or one another version of the program wrote (the caller's
// version string, which site takes from the program file), gives an empty
// Memo.

// memoMagic starts a memo file; it changes with the file's layout and
// with what Expander.PageTerms gives.
const memoMagic = "exempelbanken-sokord-1\n"

// LoadMemo reads a Memo that SaveFile wrote with the same version from
// file. Its strings share the file's bytes.
func LoadMemo(file, version string) *Memo {
	d, ok := storefile.Read(file, memoMagic)
	if !ok || d.Str() != version {
		return NewMemo()
	}
	m := &Memo{setup: d.Uint(), counts: map[string]int32{}, pages: map[string]*memoPage{}, loaded: true}
	for range d.Count() {
		w := d.Str()
		m.counts[w] = int32(d.Uint())
	}
	for range d.Count() {
		id := d.Str()
		e := &memoPage{key: d.Uint(), words: d.Str()}
		e.terms.Title, e.terms.Rest = d.Str(), d.Str()
		m.pages[id] = e
	}
	if !d.Ok() {
		return NewMemo()
	}
	return m
}

// SaveFile writes m to file, for LoadMemo with the same version, unless
// its last Terms changed nothing of what LoadMemo read.
func (m *Memo) SaveFile(file, version string) error {
	if !m.changed {
		return nil
	}
	return storefile.Write(file, memoMagic, func(e *storefile.Encoder) {
		e.Str(version)
		e.Uint(m.setup)
		words := slices.Sorted(maps.Keys(m.counts))
		e.Uint(uint64(len(words)))
		for _, w := range words {
			e.Str(w)
			e.Uint(uint64(m.counts[w]))
		}
		ids := slices.Sorted(maps.Keys(m.pages))
		e.Uint(uint64(len(ids)))
		for _, id := range ids {
			p := m.pages[id]
			e.Str(id)
			e.Uint(p.key)
			e.Str(p.words)
			e.Str(p.terms.Title)
			e.Str(p.terms.Rest)
		}
	})
}
