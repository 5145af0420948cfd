package pagefind

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

// The entries of an Index can outlive the process: Save writes the pages
// of the current round (their postings, fragments, filters, metadata and
// sort keys, with the hash of the HTML they came from) and the compressed
// chunks of the last Write; Load reads them into a new Index, so that the
// next build reads again only the pages whose HTML changed and compresses
// only the chunks whose content changed. Output does not depend on the
// cache: a page is reused only when its HTML is byte for byte the same
// (SHA-256), a chunk only when its content is (SHA-1).

// staleGen is the round of a loaded page that no Add has found yet.
const staleGen = ^uint64(0)

// cacheMagic starts a cache file; it changes with the file's layout and
// with the Pagefind version written.
const cacheMagic = "exempelbanken-sokindex-9 pagefind-" + Version + "\n"

// Save writes the index's entries to file (through a temporary file and a
// rename, so a reader never sees half of it); nothing when file holds
// them already (loaded from it, and no page read or dropped since).
func (x *Index) Save(file string) error {
	x.wait()
	x.mu.Lock()
	same := x.loadedFrom == file && !x.changed
	x.mu.Unlock()
	if same {
		return nil // the file holds these entries already
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	// Temporary files that a build killed while saving left behind.
	fsutil.RemoveStale(filepath.Dir(file), ".sokindex-*", time.Hour)
	tmp, err := os.CreateTemp(filepath.Dir(file), ".sokindex-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	sum := crc32.New(castagnoli)
	cw := &countWriter{w: io.MultiWriter(tmp, sum)}
	w := bufio.NewWriterSize(cw, 1<<20)
	x.mu.Lock()
	pages := make([]*page, 0, len(x.pages))
	for _, p := range x.pages {
		if p.gen == x.gen {
			pages = append(pages, p)
		}
	}
	chunks, last := x.chunkGz, x.last
	// The totals are those of every page held, which are the pages saved
	// when none is of an earlier round (Write drops those).
	var totals *wordTotals
	if x.totals != nil && len(pages) == len(x.pages) {
		totals = &wordTotals{words: slices.Clone(x.totals.words), forms: maps.Clone(x.totals.forms)}
	}
	x.mu.Unlock()
	slices.SortFunc(pages, func(a, b *page) int { return cmpString(a.url, b.url) })
	e := encoder{w: w}
	e.raw([]byte(cacheMagic))
	x.words.mu.Lock()
	e.strings(x.words.strs)
	x.words.mu.Unlock()
	x.forms.mu.Lock()
	e.strings(x.forms.strs)
	x.forms.mu.Unlock()
	e.uint(uint64(len(pages)))
	var offs [][2]int64 // where each page's fragment and postings are, and their lengths
	var win window      // the stored pages are in the old file in this order
	for _, p := range pages {
		e.str(p.url)
		e.raw(p.sum[:])
		e.raw(binary.LittleEndian.AppendUint64(nil, p.crc))
		e.uint(uint64(p.size))
		e.str(p.fragHash)
		e.str(p.language)
		e.uint(uint64(p.wordCount))
		e.uint(uint64(len(p.filters)))
		for _, f := range p.filters {
			e.str(f.name)
			e.str(f.value)
		}
		keys := make([]string, 0, len(p.sort))
		for k := range p.sort {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		e.uint(uint64(len(keys)))
		for _, k := range keys {
			e.str(k)
			e.str(p.sort[k])
		}
		e.strings(p.fields)
		frag, err := p.fragmentVia(&win)
		if err != nil {
			return err
		}
		offs = append(offs, [2]int64{e.offset(cw, w) + int64(uvarintLen(len(frag))), int64(len(frag))})
		e.bytes(frag)
		post, err := p.postings()
		if err != nil {
			return err
		}
		offs = append(offs, [2]int64{e.offset(cw, w) + int64(uvarintLen(len(post))), int64(len(post))})
		e.bytes(post)
	}
	sums := make([][sha1.Size]byte, 0, len(chunks))
	for s := range chunks {
		sums = append(sums, s)
	}
	slices.SortFunc(sums, func(a, b [sha1.Size]byte) int { return cmpString(string(a[:]), string(b[:])) })
	e.uint(uint64(len(sums)))
	for _, s := range sums {
		e.raw(s[:])
		e.bytes(chunks[s])
	}
	if last == nil {
		e.uint(0)
	} else {
		e.uint(1)
		e.raw(last.key[:])
		e.uint(uint64(len(last.files)))
		for _, f := range last.files {
			e.str(f.name)
			if f.chunk {
				e.uint(1)
				e.raw(f.sum[:])
			} else {
				e.uint(0)
				e.bytes(f.data)
			}
		}
		e.raw(last.layout[:])
		e.uint(uint64(len(last.chunks)))
		for _, c := range last.chunks {
			e.str(c.first)
			e.str(c.last)
			e.raw(c.sum[:])
		}
	}
	if totals == nil {
		e.uint(0)
	} else {
		e.uint(1)
		e.uint(uint64(len(totals.words)))
		for _, t := range totals.words {
			e.uint(uint64(t.count))
			e.uint(uint64(t.bytes))
			e.uint(uint64(t.size))
		}
		keys := slices.Sorted(maps.Keys(totals.forms))
		e.uint(uint64(len(keys)))
		for _, k := range keys {
			e.uint(k >> 32)
			e.uint(k & (1<<32 - 1))
			e.uint(uint64(totals.forms[k]))
		}
	}
	if e.err == nil {
		e.err = w.Flush()
	}
	// A checksum of all the above ends the file: Load ignores a file
	// damaged on the disk rather than read wrong postings from it.
	if e.err == nil {
		_, e.err = tmp.Write(sum.Sum(nil))
	}
	if err := tmp.Close(); e.err == nil {
		e.err = err
	}
	if e.err != nil {
		return e.err
	}
	// The entries read from the old file are read from the new one from
	// now on (closed first: Windows renames no open file).
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.src != nil {
		x.src.Close()
		x.src = nil
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	src, err := os.Open(file)
	if err != nil {
		return err
	}
	x.src, x.loadedFrom, x.changed = src, file, false
	for i, p := range pages {
		fr, po := offs[2*i], offs[2*i+1]
		p.store = &stored{f: src, fragOff: fr[0], fragLen: int(fr[1]), postOff: po[0], postLen: int(po[1])}
	}
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func uvarintLen(n int) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], uint64(n))
}

// offset is the position in the file of the next byte written.
func (e *encoder) offset(cw *countWriter, w *bufio.Writer) int64 {
	return cw.n + int64(w.Buffered())
}

// stored says where a loaded page's fragment and postings are in the
// cache file: they are read when a Write needs them, not held.
type stored struct {
	f                *os.File
	fragOff, postOff int64
	fragLen, postLen int
}

// postings returns the page's postings, read once from the cache file.
func (p *page) postings() ([]byte, error) {
	if p.post != nil || p.store == nil {
		return p.post, nil
	}
	return p.store.read(p.store.postOff, p.store.postLen)
}

func (s *stored) read(off int64, n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := s.f.ReadAt(b, off)
	return b, err
}

// windowSize is how much of the cache file a window reads at once (a
// variable for the tests).
var windowSize = 1 << 20

// window reads ranges of a file in increasing order with a system call
// per windowSize bytes rather than one per range: the pages' fragments and
// postings lie in the cache file in the pages' order. The zero value is
// ready to use.
type window struct {
	f   *os.File
	buf []byte
	off int64 // of buf[0] in f
}

// read returns n bytes of f from off, valid until the next read.
func (w *window) read(f *os.File, off int64, n int) ([]byte, error) {
	if f == w.f && off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
		return w.buf[off-w.off:][:n], nil
	}
	size := max(n, windowSize)
	if cap(w.buf) < size {
		w.buf = make([]byte, size)
	}
	m, err := f.ReadAt(w.buf[:size], off)
	if m < n {
		w.f, w.buf = nil, w.buf[:0]
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	w.f, w.buf, w.off = f, w.buf[:m], off
	return w.buf[:n], nil
}

// fragmentVia returns the page's compressed fragment, reading a stored
// one through w: the bytes are valid until w's next read.
func (p *page) fragmentVia(w *window) ([]byte, error) {
	if p.frag != nil || p.store == nil {
		return p.frag, nil
	}
	return w.read(p.store.f, p.store.fragOff, p.store.fragLen)
}

// postingsVia is postings, reading stored postings through w into a new
// slice.
func (p *page) postingsVia(w *window) ([]byte, error) {
	if p.post != nil || p.store == nil {
		return p.post, nil
	}
	b, err := w.read(p.store.f, p.store.postOff, p.store.postLen)
	return bytes.Clone(b), err
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Load reads the entries Save wrote into x, which must not have been
// given pages yet. A missing, damaged or outdated file is no error: x
// then starts empty. Load runs in the background; Add and Write wait for
// it.
func (x *Index) Load(file string) {
	done := make(chan struct{})
	x.loaded = done
	go func() {
		defer close(done)
		if err := x.load(file); err != nil {
			x.mu.Lock()
			x.pages = map[string]*page{}
			x.chunkGz, x.last = nil, nil
			x.mu.Unlock()
			x.words.reset()
			x.forms.reset()
			x.forms.id("")
		}
	}()
}

func (x *Index) wait() {
	if x.loaded != nil {
		<-x.loaded
	}
}

func (x *Index) load(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		if !keep {
			f.Close()
		}
	}()
	cr := &countReader{r: f}
	d := decoder{r: bufio.NewReaderSize(cr, 1<<20), cr: cr}
	if string(d.raw(len(cacheMagic))) != cacheMagic {
		return errors.New("annan version")
	}
	words, forms := d.strings(), d.strings()
	if d.err != nil {
		return d.err
	}
	x.words.mu.Lock()
	x.words.load(words)
	x.words.mu.Unlock()
	x.forms.mu.Lock()
	x.forms.load(forms)
	x.forms.mu.Unlock()
	n := d.uint()
	pages := make(map[string]*page, min(n, 1<<20))
	for range n {
		if d.err != nil {
			return d.err
		}
		p := &page{url: d.str()}
		copy(p.sum[:], d.raw(len(p.sum)))
		if b := d.raw(8); len(b) == 8 { // nil once the file is found damaged
			p.crc = binary.LittleEndian.Uint64(b)
		}
		p.size = d.uint()
		p.fragHash, p.language = d.str(), d.str()
		p.wordCount = int(d.uint())
		nf := d.uint()
		for range nf {
			p.filters = append(p.filters, filterValue{d.str(), d.str()})
		}
		ns := d.uint()
		p.sort = make(map[string]string, min(ns, 64))
		for range ns {
			k := d.str()
			p.sort[k] = d.str()
		}
		p.fields = d.strings()
		// The fragment and the postings stay in the file until a Write
		// needs them.
		st := &stored{f: f}
		st.fragLen = d.uint()
		st.fragOff = d.pos()
		d.skip(st.fragLen)
		st.postLen = d.uint()
		st.postOff = d.pos()
		d.skip(st.postLen)
		p.store = st
		p.gen = staleGen // until Add finds the page again
		pages[p.url] = p
	}
	nc := d.uint()
	chunks := make(map[[sha1.Size]byte][]byte, min(nc, 1<<16))
	for range nc {
		var s [sha1.Size]byte
		copy(s[:], d.raw(len(s)))
		chunks[s] = d.bytes()
	}
	var last *lastWrite
	if d.uint() == 1 {
		last = &lastWrite{}
		copy(last.key[:], d.raw(len(last.key)))
		nf := d.uint()
		for range nf {
			f := written{name: d.str()}
			if d.uint() == 1 {
				f.chunk = true
				copy(f.sum[:], d.raw(len(f.sum)))
				var ok bool
				if f.data, ok = chunks[f.sum]; !ok {
					return errors.New("ett block saknas")
				}
			} else {
				f.data = d.bytes()
			}
			last.files = append(last.files, f)
		}
		copy(last.layout[:], d.raw(len(last.layout)))
		for range d.uint() {
			c := lastChunk{first: d.str(), last: d.str()}
			copy(c.sum[:], d.raw(len(c.sum)))
			last.chunks = append(last.chunks, c)
		}
	}
	// The totals of the pages' postings, when the file has them.
	var totals *wordTotals
	if d.uint() == 1 {
		totals = newWordTotals()
		n := d.uint()
		totals.words = make([]wordTotal, min(n, len(words)))
		for i := range n {
			t := wordTotal{uint32(d.uint()), uint32(d.uint()), uint32(d.uint())}
			if i < len(totals.words) {
				totals.words[i] = t
			}
		}
		for range d.uint() {
			w, f := uint64(d.uint()), uint64(d.uint())
			totals.forms[w<<32|f] = int32(d.uint())
		}
		if n > len(words) {
			totals = nil // a word the file does not name
		}
	}
	if d.err != nil {
		return d.err
	}
	if err := verify(f, d.pos()); err != nil {
		return err
	}
	x.mu.Lock()
	x.pages, x.chunkGz, x.last, x.src, x.loadedFrom = pages, chunks, last, f, file
	x.totals = totals
	x.mu.Unlock()
	keep = true
	return nil
}

// castagnoli is the CRC-32 polynomial that processors compute in hardware.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// verify checks that the n bytes at the start of f are followed by their
// CRC-32 and by nothing else.
func verify(f *os.File, n int64) error {
	sum := crc32.New(castagnoli)
	if _, err := io.Copy(sum, io.NewSectionReader(f, 0, n)); err != nil {
		return err
	}
	var trailer [4]byte
	if _, err := f.ReadAt(trailer[:], n); err != nil {
		return err
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != n+4 {
		return errors.New("fel längd")
	}
	if !bytes.Equal(sum.Sum(nil), trailer[:]) {
		return errors.New("fel kontrollsumma")
	}
	return nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

type encoder struct {
	w   *bufio.Writer
	err error
	buf [binary.MaxVarintLen64]byte
}

func (e *encoder) raw(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) uint(n uint64) { e.raw(e.buf[:binary.PutUvarint(e.buf[:], n)]) }

func (e *encoder) bytes(b []byte) {
	e.uint(uint64(len(b)))
	e.raw(b)
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *encoder) strings(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

type decoder struct {
	r   *bufio.Reader
	cr  *countReader
	err error
}

// pos is the position in the file of the next byte read.
func (d *decoder) pos() int64 { return d.cr.n - int64(d.r.Buffered()) }

func (d *decoder) skip(n int) {
	if d.err == nil {
		_, d.err = d.r.Discard(n)
	}
}

// maxField bounds a length read from the cache, so that a damaged file
// cannot make Load allocate without limit.
const maxField = 1 << 30

func (d *decoder) uint() int {
	if d.err != nil {
		return 0
	}
	n, err := binary.ReadUvarint(d.r)
	if err == nil && n > maxField {
		err = fmt.Errorf("längd %d", n)
	}
	d.err = err
	return int(n)
}

func (d *decoder) raw(n int) []byte {
	if d.err != nil {
		return nil
	}
	b := make([]byte, n)
	_, d.err = io.ReadFull(d.r, b)
	return b
}

func (d *decoder) bytes() []byte { return d.raw(d.uint()) }

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) strings() []string {
	n := d.uint()
	out := make([]string, 0, min(n, 1<<16))
	for range n {
		if d.err != nil {
			return nil
		}
		out = append(out, d.str())
	}
	return out
}
