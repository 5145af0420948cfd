package search

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
	"unsafe"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
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
	b, err := os.ReadFile(file)
	if err != nil || len(b) < len(memoMagic)+4 || !bytes.HasPrefix(b, []byte(memoMagic)) {
		return NewMemo()
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return NewMemo()
	}
	r := &reader{b: body[len(memoMagic):]}
	if r.str() != version {
		return NewMemo()
	}
	m := &Memo{setup: r.uint(), counts: map[string]int32{}, pages: map[string]*memoPage{}, loaded: true}
	for n := r.uint(); n > 0 && r.err == nil; n-- {
		w := r.str()
		m.counts[w] = int32(r.uint())
	}
	for n := r.uint(); n > 0 && r.err == nil; n-- {
		id := r.str()
		e := &memoPage{key: r.uint(), words: r.str()}
		e.terms.Title, e.terms.Rest = r.str(), r.str()
		m.pages[id] = e
	}
	if r.err != nil || len(r.b) > 0 {
		return NewMemo()
	}
	return m
}

// SaveFile writes m to file (through a temporary file and a rename), for
// LoadMemo with the same version, unless its last Terms changed nothing of
// what LoadMemo read.
func (m *Memo) SaveFile(file, version string) error {
	if !m.changed {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	fsutil.RemoveStale(filepath.Dir(file), ".sokord-*", time.Hour)
	f, err := os.CreateTemp(filepath.Dir(file), ".sokord-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	sum := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<20)
	w.WriteString(memoMagic)
	var buf [binary.MaxVarintLen64]byte
	num := func(v uint64) { w.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	str := func(s string) { num(uint64(len(s))); w.WriteString(s) }
	str(version)
	num(m.setup)
	words := slices.Sorted(func(yield func(string) bool) {
		for w := range m.counts {
			if !yield(w) {
				return
			}
		}
	})
	num(uint64(len(words)))
	for _, word := range words {
		str(word)
		num(uint64(m.counts[word]))
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range m.pages {
			if !yield(id) {
				return
			}
		}
	})
	num(uint64(len(ids)))
	for _, id := range ids {
		e := m.pages[id]
		str(id)
		num(e.key)
		str(e.words)
		str(e.terms.Title)
		str(e.terms.Rest)
	}
	err = w.Flush()
	if err == nil {
		_, err = f.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32()))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), file)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errDamaged = errors.New("skadad fil")

// reader reads the varint-framed fields of a memo file; the first error
// sticks. Strings share its bytes.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errDamaged, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err, r.b = errDamaged, nil
		return ""
	}
	s := r.b[:n]
	r.b = r.b[n:]
	if n == 0 {
		return ""
	}
	return unsafe.String(&s[0], len(s))
}
