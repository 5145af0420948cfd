package pagefind

import (
	"bufio"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
const cacheMagic = "exempelbanken-sokindex-2 pagefind-" + Version + "\n"

// Save writes the index's entries to file (through a temporary file and a
// rename, so a reader never sees half of it).
func (x *Index) Save(file string) error {
	x.wait()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".sokindex-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	x.mu.Lock()
	pages := make([]*page, 0, len(x.pages))
	for _, p := range x.pages {
		if p.gen == x.gen {
			pages = append(pages, p)
		}
	}
	chunks := x.chunkGz
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
	for _, p := range pages {
		e.str(p.url)
		e.raw(p.sum[:])
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
		e.bytes(p.frag)
		e.bytes(p.post)
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
	if e.err == nil {
		e.err = w.Flush()
	}
	if err := tmp.Close(); e.err == nil {
		e.err = err
	}
	if e.err != nil {
		return e.err
	}
	return os.Rename(tmp.Name(), file)
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
			x.chunkGz = nil
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
	defer f.Close()
	d := decoder{r: bufio.NewReaderSize(f, 1<<20)}
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
		p.frag, p.post = d.bytes(), d.bytes()
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
	if d.err != nil {
		return d.err
	}
	x.mu.Lock()
	x.pages, x.chunkGz = pages, chunks
	x.mu.Unlock()
	return nil
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
	err error
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
