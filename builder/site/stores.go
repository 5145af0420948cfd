package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/markdown"
	"github.com/exempelbanken/portal/builder/opendata"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/pagefind"
	"github.com/exempelbanken/portal/builder/search"
)

// mdStore keeps rendered markdown between processes (Options.CacheDir): a
// `portal build` renders only the documents whose markdown input, or
// whatever their rendering depends on besides it, changed since the last
// build of the same site with the same program. Entries are found by a
// SHA-256 of all of it (mdStoreKey), so the output never depends on the
// store: a stale, damaged or foreign file only costs the renders it would
// have saved. Documents whose rendering reported errors are not kept.
type mdStore struct {
	file  string
	ready chan struct{} // closed once old is read
	old   map[mdStoreID]*markdown.Rendered

	mu    sync.Mutex
	next  map[mdStoreID]*markdown.Rendered // this build's, to be saved
	hits  int
	saved chan struct{} // closed once the store is saved (or not)
}

type mdStoreID [16]byte

// mdStoreMagic starts a store file; it changes with the file's layout.
const mdStoreMagic = "exempelbanken-markdown-2\n"

// openMDStore starts reading the store of the site at root from dir in
// the background; nil when dir is "".
func openMDStore(dir, root string) *mdStore {
	if dir == "" {
		return nil
	}
	file := storeFile(dir, "markdown", root)
	if file == "" {
		return nil
	}
	st := &mdStore{file: file, ready: make(chan struct{}), next: map[mdStoreID]*markdown.Rendered{}}
	go func() {
		st.old = readMDStore(st.file)
		close(st.ready)
	}()
	return st
}

// storeFile is the file in dir/sub that keeps what builds of the site at
// root reuse; "" when root has no absolute path.
func storeFile(dir, sub, root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, sub, strconv.FormatUint(binary.LittleEndian.Uint64(sum[:]), 36)+".bin")
}

// termStore keeps the pages' search terms between processes
// (Options.CacheDir): a search.Memo read from its file in the background
// and saved back in the background once the pages have their terms.
type termStore struct {
	file  string
	ready chan struct{} // closed once m is read
	m     *search.Memo
	saved chan struct{}
}

// openTermStore starts reading the search terms of the site at root
// from dir; nil when dir is "".
func openTermStore(dir, root string) *termStore {
	file := storeFile(dir, "sokord", root)
	if dir == "" || file == "" {
		return nil
	}
	ts := &termStore{file: file, ready: make(chan struct{})}
	go func() {
		ts.m = search.LoadMemo(file, programID())
		close(ts.ready)
	}()
	return ts
}

// memo returns the Memo read.
func (ts *termStore) memo() *search.Memo {
	<-ts.ready
	return ts.m
}

// save writes the Memo back in the background, when its Terms changed it.
func (ts *termStore) save() {
	ts.saved = make(chan struct{})
	go func() {
		defer close(ts.saved)
		ts.m.SaveFile(ts.file, programID())
	}()
}

// wait waits for a save to finish.
func (ts *termStore) wait() {
	if ts != nil && ts.saved != nil {
		<-ts.saved
	}
}

// programID identifies the running program, whose renderer the store's
// entries come from: its path, size and modification time.
var programID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
})

// mdStoreSignature hashes what every document's rendering depends on
// besides its own input: the program, the link targets and glossary terms
// (siteSignatureText), the drafts left out (links to them are not errors),
// and the media files.
func mdStoreSignature(s *content.Site, media []*assets.Media) [sha256.Size]byte {
	h := sha256.New()
	io.WriteString(h, mdStoreMagic)
	io.WriteString(h, programID())
	h.Write([]byte{0})
	io.WriteString(h, siteSignatureText(s))
	h.Write([]byte{0})
	io.WriteString(h, strings.Join(s.DraftKeys(), "\x00"))
	h.Write([]byte{0})
	io.WriteString(h, mediaSignatureText(media))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// key identifies the rendering of in under the site signature sig.
func (st *mdStore) key(sig *[sha256.Size]byte, in markdown.Input) mdStoreID {
	h := sha256.New()
	h.Write(sig[:])
	for _, s := range []string{in.File, in.Dir, in.SelfURL, in.BundleURL, strconv.Itoa(in.Line), strconv.FormatBool(in.Glossary)} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	h.Write(in.Source)
	var sum [sha256.Size]byte
	var id mdStoreID
	copy(id[:], h.Sum(sum[:0]))
	return id
}

// get returns the rendering kept under id, or nil.
func (st *mdStore) get(id mdStoreID) *markdown.Rendered {
	<-st.ready
	r := st.old[id]
	if r == nil {
		return nil
	}
	st.mu.Lock()
	st.next[id] = r
	st.hits++
	st.mu.Unlock()
	return r
}

// put keeps r, a new rendering, under id unless it reported errors.
func (st *mdStore) put(id mdStoreID, r *markdown.Rendered) {
	if r.Errs != nil && r.Errs.Len() > 0 {
		return
	}
	st.mu.Lock()
	st.next[id] = r
	st.mu.Unlock()
}

// save writes this build's entries in the background, unless the file
// holds exactly them already; wait for it with wait.
func (st *mdStore) save() {
	st.saved = make(chan struct{})
	<-st.ready
	st.mu.Lock()
	same := st.hits == len(st.next) && len(st.old) == len(st.next)
	st.old = nil // the hits are in next
	st.mu.Unlock()
	if same {
		close(st.saved)
		return
	}
	go func() {
		defer close(st.saved)
		writeMDStore(st.file, st.next)
	}()
}

// wait waits for a save to finish.
func (st *mdStore) wait() {
	if st != nil && st.saved != nil {
		<-st.saved
	}
}

// readMDStore reads a store file: nil when it is missing, damaged or of
// another layout. The strings share the file's bytes (copying 45 MB of
// HTML into 10,000 strings cost a third of a second of CPU): the bytes
// live while any of them does, and are never written to.
func readMDStore(file string) map[mdStoreID]*markdown.Rendered {
	b, err := os.ReadFile(file)
	if err != nil || len(b) < len(mdStoreMagic)+4 || !bytes.HasPrefix(b, []byte(mdStoreMagic)) {
		return nil
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil
	}
	r := &byteReader{b: body[len(mdStoreMagic):]}
	n := r.uint()
	m := make(map[mdStoreID]*markdown.Rendered, min(n, 1<<20))
	for i := uint64(0); i < n && r.err == nil; i++ {
		var id mdStoreID
		copy(id[:], r.str())
		rd := &markdown.Rendered{HTML: r.str()}
		rd.Links = r.strs()
		rd.Terms = r.strs()
		m[id] = rd
	}
	if r.err != nil {
		return nil
	}
	return m
}

// writeMDStore writes the entries m to file, through a temporary file and
// a rename, in key order (the same entries make the same file).
func writeMDStore(file string, m map[mdStoreID]*markdown.Rendered) error {
	ids := slices.SortedFunc(maps.Keys(m), func(a, b mdStoreID) int { return bytes.Compare(a[:], b[:]) })
	return writeStoreFile(file, mdStoreMagic, func(put func(uint64), str func(string)) {
		put(uint64(len(ids)))
		for _, id := range ids {
			r := m[id]
			str(unsafe.String(&id[0], len(id)))
			str(r.HTML)
			put(uint64(len(r.Links)))
			for _, l := range r.Links {
				str(l)
			}
			put(uint64(len(r.Terms)))
			for _, t := range r.Terms {
				str(t)
			}
		}
	})
}

// writeStoreFile writes a store file: magic, what fill writes (unsigned
// varints and length-prefixed strings), and a CRC-32C of it all, through
// a temporary file and a rename, so a reader never sees half a file.
func writeStoreFile(file, magic string, fill func(put func(uint64), str func(string))) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	fsutil.RemoveStale(filepath.Dir(file), ".lager-*", time.Hour)
	f, err := os.CreateTemp(filepath.Dir(file), ".lager-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	sum := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<20)
	w.WriteString(magic)
	var buf [binary.MaxVarintLen64]byte
	put := func(v uint64) { w.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	fill(put, func(s string) { put(uint64(len(s))); w.WriteString(s) })
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

// byteReader reads the varint-framed fields of a store file; the first
// error sticks.
type byteReader struct {
	b   []byte
	err error
}

var errDamaged = errors.New("skadad fil")

func (r *byteReader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errDamaged, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *byteReader) bytes(n uint64) []byte {
	if r.err != nil || n > uint64(len(r.b)) {
		r.err, r.b = errDamaged, nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *byteReader) str() string {
	b := r.bytes(r.uint())
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (r *byteReader) strs() []string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.err = errDamaged
		return nil
	}
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = r.str()
	}
	return ss
}

// pageStore keeps, between processes (Options.CacheDir), each page's key
// (memo.pageKey, the same in every process) with the length, checksum and
// kind of the file it rendered to. A page whose key is the last build's
// is then not rendered again when the writer still has the file
// (output.Keeper: the output folder's inventory vouches for it, and the
// search index for its entry). Saved at the end of every build that
// rendered a page; a missing, damaged or foreign file costs the renders
// it would have saved.
type pageStore struct {
	file  string
	ready chan struct{} // closed once old is read
	old   map[string]pageRecord

	mu      sync.Mutex
	next    map[string]pageRecord
	changed bool
	saved   chan struct{}
}

// pageRecord is what a page's file was when it had the key.
type pageRecord struct {
	key     uint64
	size    int
	sum     uint64 // output.Checksum
	indexed bool   // pagefind.Indexed
}

// pageStoreMagic starts a page store file; it changes with the layout.
const pageStoreMagic = "exempelbanken-sidor-1\n"

// openPageStore starts reading the page store of the site at root from
// dir in the background; nil when dir is "".
func openPageStore(dir, root string) *pageStore {
	file := storeFile(dir, "sidor", root)
	if dir == "" || file == "" {
		return nil
	}
	ps := &pageStore{file: file, ready: make(chan struct{}), next: map[string]pageRecord{}}
	go func() {
		ps.old = readPageStore(file)
		close(ps.ready)
	}()
	return ps
}

// keep reports whether w kept the page at path as the last build made it
// with the key key; the record goes to the next store when it did.
func (ps *pageStore) keep(path string, key uint64, w output.Keeper) bool {
	<-ps.ready
	r, ok := ps.old[path]
	if !ok || r.key != key || key == 0 || !w.Keep(path, r.size, r.sum, r.indexed) {
		return false
	}
	ps.mu.Lock()
	ps.next[path] = r
	ps.mu.Unlock()
	return true
}

// put records the page at path, rendered to data with the key key.
func (ps *pageStore) put(path string, key uint64, data []byte) {
	if key == 0 {
		return
	}
	r := pageRecord{key: key, size: len(data), sum: output.Checksum(data), indexed: pagefind.Indexed(data)}
	ps.mu.Lock()
	ps.next[path] = r
	ps.changed = true
	ps.mu.Unlock()
}

// save writes the records of this build in the background, when it
// rendered a page or left one out.
func (ps *pageStore) save() {
	<-ps.ready
	ps.saved = make(chan struct{})
	if !ps.changed && len(ps.next) == len(ps.old) {
		close(ps.saved)
		return
	}
	go func() {
		defer close(ps.saved)
		writePageStore(ps.file, ps.next)
	}()
}

// wait waits for a save to finish.
func (ps *pageStore) wait() {
	if ps != nil && ps.saved != nil {
		<-ps.saved
	}
}

// readPageStore reads a page store file that this program wrote; nil
// when it is missing, damaged or of another layout or program.
func readPageStore(file string) map[string]pageRecord {
	b, err := os.ReadFile(file)
	if err != nil || len(b) < len(pageStoreMagic)+4 || !bytes.HasPrefix(b, []byte(pageStoreMagic)) {
		return nil
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil
	}
	r := &byteReader{b: body[len(pageStoreMagic):]}
	if r.str() != programID() {
		return nil
	}
	n := r.uint()
	m := make(map[string]pageRecord, min(n, 1<<20))
	for i := uint64(0); i < n && r.err == nil; i++ {
		path := strings.Clone(r.str())
		m[path] = pageRecord{key: r.uint(), size: int(r.uint()), sum: r.uint(), indexed: r.uint() == 1}
	}
	if r.err != nil || len(r.b) > 0 {
		return nil
	}
	return m
}

// writePageStore writes the records m to file, through a temporary file
// and a rename, in path order.
func writePageStore(file string, m map[string]pageRecord) error {
	return writeStoreFile(file, pageStoreMagic, func(put func(uint64), str func(string)) {
		str(programID())
		paths := slices.Sorted(maps.Keys(m))
		put(uint64(len(paths)))
		for _, p := range paths {
			r := m[p]
			str(p)
			put(r.key)
			put(uint64(r.size))
			put(r.sum)
			if r.indexed {
				put(1)
			} else {
				put(0)
			}
		}
	})
}

// dataStore keeps the open data's files between processes
// (Options.CacheDir) under dataKey, so that a build after an edit of a
// body, which the open data does not show, makes none of them.
type dataStore struct {
	file  string
	ready chan struct{} // closed once key and files are read
	key   uint64
	files []*opendata.File
	saved chan struct{}
}

// dataStoreMagic starts a data store file; it changes with the layout.
const dataStoreMagic = "exempelbanken-data-1\n"

// openDataStore starts reading the open data of the site at root from
// dir in the background; nil when dir is "".
func openDataStore(dir, root string) *dataStore {
	file := storeFile(dir, "data-filer", root)
	if dir == "" || file == "" {
		return nil
	}
	ds := &dataStore{file: file, ready: make(chan struct{})}
	go func() {
		ds.key, ds.files = readDataStore(file)
		close(ds.ready)
	}()
	return ds
}

// dataKey covers everything the open data is made from: every
// document's file and front matter (Doc.MetaHash; a term's whole file),
// site.yaml, the vocabularies, the source register and the data files
// (Site.DataHash), the drafts setting, the options and the program.
func dataKey(s *content.Site, o opendata.Options) uint64 {
	var h stable.Digest
	str := func(ss ...string) {
		for _, x := range ss {
			h.WriteString(x)
			h.Write([]byte{0})
		}
	}
	num := func(v uint64) { h.Write(binary.LittleEndian.AppendUint64(nil, v)) }
	str(dataStoreMagic, programID(), o.BaseURL, strconv.FormatBool(s.Drafts))
	num(s.DataHash)
	for _, c := range s.Cases {
		str(c.File)
		num(c.MetaHash)
	}
	for _, t := range s.Terms {
		str(t.File)
		num(t.Hash)
	}
	for _, p := range s.Pages {
		str(p.File)
		num(p.MetaHash)
	}
	return h.Sum64()
}

// get returns the files kept under key, or nil.
func (ds *dataStore) get(key uint64) []*opendata.File {
	<-ds.ready
	if ds.key != key || ds.files == nil {
		return nil
	}
	return ds.files
}

// put saves files, made for key, in the background.
func (ds *dataStore) put(key uint64, files []*opendata.File) {
	ds.saved = make(chan struct{})
	go func() {
		defer close(ds.saved)
		writeStoreFile(ds.file, dataStoreMagic, func(put func(uint64), str func(string)) {
			put(key)
			put(uint64(len(files)))
			for _, f := range files {
				str(f.Name)
				str(f.Title)
				str(f.MediaType)
				str(f.Format)
				str(f.Description)
				str(unsafe.String(unsafe.SliceData(f.Data), len(f.Data)))
			}
		})
	}()
}

// wait waits for a save to finish.
func (ds *dataStore) wait() {
	if ds != nil && ds.saved != nil {
		<-ds.saved
	}
}

// readDataStore reads a data store file: its key and files, or 0 and nil
// when it is missing or damaged.
func readDataStore(file string) (uint64, []*opendata.File) {
	b, err := os.ReadFile(file)
	if err != nil || len(b) < len(dataStoreMagic)+4 || !bytes.HasPrefix(b, []byte(dataStoreMagic)) {
		return 0, nil
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return 0, nil
	}
	r := &byteReader{b: body[len(dataStoreMagic):]}
	key, n := r.uint(), r.uint()
	var files []*opendata.File
	for i := uint64(0); i < n && r.err == nil; i++ {
		f := &opendata.File{Name: r.str(), Title: r.str(), MediaType: r.str(), Format: r.str(), Description: r.str()}
		f.Data = r.bytes(r.uint())
		files = append(files, f)
	}
	if r.err != nil || len(r.b) > 0 {
		return 0, nil
	}
	return key, files
}
