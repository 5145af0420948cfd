package search

import (
	"maps"
	"slices"

	"github.com/exempelbanken/portal/builder/internal/stable"
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

// memoMagic starts a memo's files; it changes with their layout and with
// what Expander.PageTerms gives.
const memoMagic = "exempelbanken-sokord-2\n"

// memoSegments is how many files a Memo's pages are kept in, by their ID;
// SaveFile writes again only those whose pages changed.
const memoSegments = 16

// memoSegment returns the segment of the page id.
func memoSegment(id string) int { return int(stable.String(id) % memoSegments) }

// LoadMemo reads a Memo that SaveFile wrote with the same version from
// file and its segments. Its strings share the files' bytes. The file
// names the generation of each segment it was saved with: a segment of
// another generation (a save that was killed between the two) gives an
// empty Memo, as a damaged file does.
func LoadMemo(file, version string) *Memo {
	d, ok := storefile.Map(file, memoMagic)
	if !ok || d.Str() != version {
		return NewMemo()
	}
	m := &Memo{setup: d.Uint(), counts: map[string]int32{}, pages: map[string]*memoPage{}, loaded: true}
	for i := range m.gens {
		m.gens[i] = d.Uint()
	}
	for range d.Count() {
		w := d.Str()
		m.counts[w] = int32(d.Uint())
	}
	if !d.Ok() {
		return NewMemo()
	}
	for i := range memoSegments {
		d, ok := storefile.Map(storefile.Segment(file, i), memoMagic)
		if !ok || d.Str() != version || d.Uint() != m.gens[i] {
			return NewMemo()
		}
		es := make([]memoPage, d.Count()) // one object per segment
		for k := range es {
			id := d.Str()
			e := &es[k]
			*e = memoPage{key: d.Uint(), words: d.Str()}
			e.terms.Title, e.terms.Rest = d.Str(), d.Str()
			m.pages[id] = e
		}
		if !d.Ok() {
			return NewMemo()
		}
	}
	return m
}

// SaveFile writes m to file, for LoadMemo with the same version, unless
// its last Terms changed nothing of what LoadMemo read: the segments whose
// pages changed (all, when m was not read from file), each with a new
// generation, then the file with the counts and the generations.
func (m *Memo) SaveFile(file, version string) error {
	if !m.changed {
		return nil
	}
	var next uint64
	for _, g := range m.gens {
		next = max(next, g)
	}
	next++
	ids := slices.Sorted(maps.Keys(m.pages))
	for i := range memoSegments {
		if !m.dirty[i] && m.gens[i] != 0 {
			continue
		}
		err := storefile.Write(storefile.Segment(file, i), memoMagic, func(e *storefile.Encoder) {
			e.Str(version)
			e.Uint(next)
			var seg []string
			for _, id := range ids {
				if memoSegment(id) == i {
					seg = append(seg, id)
				}
			}
			e.Uint(uint64(len(seg)))
			for _, id := range seg {
				p := m.pages[id]
				e.Str(id)
				e.Uint(p.key)
				e.Str(p.words)
				e.Str(p.terms.Title)
				e.Str(p.terms.Rest)
			}
		})
		if err != nil {
			return err
		}
		m.gens[i], m.dirty[i] = next, false
	}
	return storefile.Write(file, memoMagic, func(e *storefile.Encoder) {
		e.Str(version)
		e.Uint(m.setup)
		for _, g := range m.gens {
			e.Uint(g)
		}
		words := slices.Sorted(maps.Keys(m.counts))
		e.Uint(uint64(len(words)))
		for _, w := range words {
			e.Str(w)
			e.Uint(uint64(m.counts[w]))
		}
	})
}
