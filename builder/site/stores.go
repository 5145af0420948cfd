package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"html/template"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/internal/storefile"
	"github.com/exempelbanken/portal/builder/markdown"
	"github.com/exempelbanken/portal/builder/opendata"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/pagefind"
	"github.com/exempelbanken/portal/builder/search"
)

// A one-off build with Options.CacheDir keeps in stores, one file each
// per site in the cache folder (storefile.Path), what the next build can
// reuse: rendered markdown (mdStore), the pages' search terms
// (termStore), the pages' keys (pageStore), and the open data and the
// feeds (fileSet).
// Each store is read in the background from the start of the build and
// saved in the background once this build's entries are known; Build
// waits for the saves before it returns. The output never depends on a
// store: everything in one is found by a key of all it was made from,
// and a missing, damaged or foreign file (storefile) costs only the work
// it would have saved.

// background reads a store and saves it off the build's path.
type background struct {
	ready chan struct{} // closed once the store is read
	saved chan struct{} // closed once the save is done; nil before save
}

// load runs read in the background.
func (bg *background) load(read func()) {
	bg.ready = make(chan struct{})
	go func() {
		defer close(bg.ready)
		read()
	}()
}

// loaded waits until the store is read.
func (bg *background) loaded() { <-bg.ready }

// save runs write in the background (nil: nothing to save).
func (bg *background) save(write func()) {
	bg.saved = make(chan struct{})
	if write == nil {
		close(bg.saved)
		return
	}
	go func() {
		defer close(bg.saved)
		write()
	}()
}

// wait waits for the save, if one was started.
func (bg *background) wait() {
	if bg.saved != nil {
		<-bg.saved
	}
}

// programID identifies the running program, whose code made the stores'
// entries: its path, size and modification time.
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

// contentStore keeps the parsed documents between processes
// (content.OpenCache): a build reads and parses only the document files
// whose stamps changed since the last build of the same site with the
// same program, on the same day.
type contentStore struct {
	background
	c *content.Cache
}

// openContentStore reads the parsed documents of the site at root from
// dir (at once: the load needs them first); nil when there is no store
// (storefile.Path).
func openContentStore(dir, root string) *contentStore {
	file := storefile.Path(dir, "innehall", root)
	if file == "" {
		return nil
	}
	return &contentStore{c: content.OpenCache(file, programID())}
}

// saveEntries saves the documents of the load in the background, and
// then lets go of them (the build holds its own copies).
func (cs *contentStore) saveEntries() {
	cs.save(func() {
		cs.c.Save()
		cs.c.Release()
	})
}

// mdStore keeps rendered markdown between processes: a build renders only
// the documents whose markdown input, or whatever their rendering depends
// on besides it, changed since the last build of the same site with the
// same program. Entries are found by a SHA-256 of all of it
// (mdStoreSignature, key). Documents whose rendering reported errors are
// not kept.
//
// The entries are kept in mdSegments files by the first byte of their
// key, and a build writes again only the files whose entries changed: after
// an edit of one document, two of 45 MB at 10,000 cases.
type mdStore struct {
	background
	file string // the segments are named after it (storefile.Segment)
	old  map[mdStoreID]*markdown.Rendered
	// oldIn counts the entries read from each segment.
	oldIn [mdSegments]int

	mu   sync.Mutex
	next map[mdStoreID]*markdown.Rendered // this build's, to be saved
	// hitsIn and newIn count, by segment, the entries of next that were
	// read from it and those rendered anew.
	hitsIn, newIn [mdSegments]int
}

// mdSegments is how many files the markdown store is kept in.
const mdSegments = 16

// segment returns the segment of the store that keeps id.
func (id mdStoreID) segment() int { return int(id[0]) * mdSegments / 256 }

type mdStoreID [16]byte

// mdStoreMagic starts a store file; it changes with the file's layout.
const mdStoreMagic = "exempelbanken-markdown-2\n"

// openMDStore starts reading the markdown store of the site at root from
// dir; nil when there is none to read (storefile.Path).
func openMDStore(dir, root string) *mdStore {
	file := storefile.Path(dir, "markdown", root)
	if file == "" {
		return nil
	}
	st := &mdStore{file: file, next: map[mdStoreID]*markdown.Rendered{}}
	st.load(func() {
		st.old = map[mdStoreID]*markdown.Rendered{}
		for i := range mdSegments {
			st.oldIn[i] = readMDStore(storefile.Segment(file, i), st.old)
		}
	})
	return st
}

// mdStoreSignature hashes what every document's rendering depends on
// besides its own input: the program, the link targets and glossary terms
// (siteSignatureText), the drafts left out (links to them are not errors),
// and the media files.
func mdStoreSignature(s *content.Site, media []*assets.Media) [sha256.Size]byte {
	h := sha256.New()
	io.WriteString(h, mdStoreMagic)
	io.WriteString(h, programID())
	h.Write([]byte{0})
	h.Write(siteSignatureText(s))
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
	st.loaded()
	r := st.old[id]
	if r == nil {
		return nil
	}
	st.mu.Lock()
	if _, ok := st.next[id]; !ok {
		st.hitsIn[id.segment()]++
	}
	st.next[id] = r
	st.mu.Unlock()
	return r
}

// put keeps r, a new rendering, under id unless it reported errors.
func (st *mdStore) put(id mdStoreID, r *markdown.Rendered) {
	if r.Errs != nil && r.Errs.Len() > 0 {
		return
	}
	st.mu.Lock()
	if _, ok := st.next[id]; !ok {
		st.newIn[id.segment()]++
	}
	st.next[id] = r
	st.mu.Unlock()
}

// saveEntries saves this build's entries: each segment whose file does not
// hold exactly them already.
func (st *mdStore) saveEntries() {
	st.loaded()
	st.mu.Lock()
	var changed []int
	for i := range mdSegments {
		if st.newIn[i] > 0 || st.hitsIn[i] != st.oldIn[i] {
			changed = append(changed, i)
		}
	}
	st.old = nil // the hits are in next
	next := st.next
	st.mu.Unlock()
	if len(changed) == 0 {
		st.save(nil)
		return
	}
	st.save(func() {
		for _, i := range changed {
			seg := map[mdStoreID]*markdown.Rendered{}
			for id, r := range next {
				if id.segment() == i {
					seg[id] = r
				}
			}
			writeMDStore(storefile.Segment(st.file, i), seg)
		}
		os.Remove(st.file) // the store of earlier versions, in one file
	})
}

// readMDStore reads the entries of a markdown store file into m and
// returns how many it read: none when the file is missing or damaged. The
// strings share the file's bytes (copying 45 MB of HTML into 10,000
// strings cost a third of a second of CPU).
func readMDStore(file string, m map[mdStoreID]*markdown.Rendered) int {
	d, ok := storefile.Map(file, mdStoreMagic)
	if !ok {
		return 0
	}
	n := d.Count()
	read := make(map[mdStoreID]*markdown.Rendered, n)
	strs := func() []string {
		ss := make([]string, d.Count())
		for i := range ss {
			ss[i] = d.Str()
		}
		if len(ss) == 0 {
			return nil
		}
		return ss
	}
	for range n {
		var id mdStoreID
		copy(id[:], d.Bytes())
		rd := &markdown.Rendered{HTML: d.Str()}
		rd.Links = strs()
		rd.Terms = strs()
		read[id] = rd
	}
	if !d.Ok() {
		return 0
	}
	maps.Copy(m, read)
	return len(read)
}

// writeMDStore writes the entries m to file, in key order (the same
// entries make the same file).
func writeMDStore(file string, m map[mdStoreID]*markdown.Rendered) error {
	ids := slices.SortedFunc(maps.Keys(m), func(a, b mdStoreID) int { return bytes.Compare(a[:], b[:]) })
	return storefile.Write(file, mdStoreMagic, func(e *storefile.Encoder) {
		e.Uint(uint64(len(ids)))
		for _, id := range ids {
			r := m[id]
			e.Bytes(id[:])
			e.Str(r.HTML)
			for _, ss := range [][]string{r.Links, r.Terms} {
				e.Uint(uint64(len(ss)))
				for _, s := range ss {
					e.Str(s)
				}
			}
		}
	})
}

// termStore keeps the pages' search terms between processes: a
// search.Memo, saved back once the pages have their terms.
type termStore struct {
	background
	file string
	m    *search.Memo
}

// openTermStore starts reading the search terms of the site at root
// from dir; nil when there is none to read (storefile.Path).
func openTermStore(dir, root string) *termStore {
	file := storefile.Path(dir, "sokord", root)
	if file == "" {
		return nil
	}
	ts := &termStore{file: file}
	ts.load(func() { ts.m = search.LoadMemo(file, programID()) })
	return ts
}

// memo returns the Memo read.
func (ts *termStore) memo() *search.Memo {
	ts.loaded()
	return ts.m
}

// saveMemo saves the Memo, when its Terms changed it.
func (ts *termStore) saveMemo() {
	ts.save(func() { ts.m.SaveFile(ts.file, programID()) })
}

// pageStore keeps, between processes, each page's key (memo.pageKey, the
// same in every process) with the length, checksum and kind of the file
// it rendered to. A page whose key is the last build's is then not
// rendered again when the writer still has the file (output.Keeper: the
// output folder's inventory vouches for it, and the search index for its
// entry).
type pageStore struct {
	background
	file string
	old  map[string]pageRecord

	mu      sync.Mutex
	next    map[string]pageRecord
	changed bool
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
// dir; nil when there is none to read (storefile.Path).
func openPageStore(dir, root string) *pageStore {
	file := storefile.Path(dir, "sidor", root)
	if file == "" {
		return nil
	}
	ps := &pageStore{file: file, next: map[string]pageRecord{}}
	ps.load(func() { ps.old = readPageStore(file) })
	return ps
}

// keep reports whether w kept the page at path as the last build made it
// with the key key; the record goes to the next store when it did.
func (ps *pageStore) keep(path string, key uint64, w output.Keeper) bool {
	ps.loaded()
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

// saveRecords saves the records of this build, when it rendered a page
// or left one out.
func (ps *pageStore) saveRecords() {
	ps.loaded()
	if !ps.changed && len(ps.next) == len(ps.old) {
		ps.save(nil)
		return
	}
	ps.save(func() { writePageStore(ps.file, ps.next) })
}

// readPageStore reads a page store file that this program wrote; nil
// when there is none.
func readPageStore(file string) map[string]pageRecord {
	d, ok := storefile.Map(file, pageStoreMagic)
	if !ok || d.Str() != programID() {
		return nil
	}
	n := d.Count()
	m := make(map[string]pageRecord, n)
	for range n {
		path := strings.Clone(d.Str()) // not the whole file's bytes
		m[path] = pageRecord{key: d.Uint(), size: int(d.Uint()), sum: d.Uint(), indexed: d.Uint() == 1}
	}
	if !d.Ok() {
		return nil
	}
	return m
}

// writePageStore writes the records m to file, in path order.
func writePageStore(file string, m map[string]pageRecord) error {
	return storefile.Write(file, pageStoreMagic, func(e *storefile.Encoder) {
		e.Str(programID())
		paths := slices.Sorted(maps.Keys(m))
		e.Uint(uint64(len(paths)))
		for _, p := range paths {
			r := m[p]
			e.Str(p)
			e.Uint(r.key)
			e.Uint(uint64(r.size))
			e.Uint(r.sum)
			if r.indexed {
				e.Uint(1)
			} else {
				e.Uint(0)
			}
		}
	})
}

// dataKey covers everything the open data is made from: every
// document's file and front matter (Doc.MetaHash; a term's whole file),
// site.yaml, the vocabularies, the source register and the data files
// (Site.DataHash), the drafts setting, the options and the program.
func dataKey(s *content.Site, o opendata.Options) uint64 {
	return frontMatterKey(dataStoreMagic, s, o.BaseURL)
}

// frontMatterKey is dataKey for the store whose files start with magic.
func frontMatterKey(magic string, s *content.Site, baseURL string) uint64 {
	var h stable.Digest
	str := func(ss ...string) {
		for _, x := range ss {
			h.WriteString(x)
			h.Write([]byte{0})
		}
	}
	num := func(v uint64) { h.Write(binary.LittleEndian.AppendUint64(nil, v)) }
	str(magic, programID(), baseURL, strconv.FormatBool(s.Drafts))
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

// dataStoreMagic and feedStoreMagic start the index files of the open
// data's and the feeds' fileSets; they change with the layout.
const (
	dataStoreMagic = "exempelbanken-data-2\n"
	feedStoreMagic = "exempelbanken-atom-2\n"
)

// fileSet keeps output files of one kind (the open data, the feeds)
// between processes, under a key of all they are made from: an index
// (storefile) of each file's path, metadata, length and checksum, and
// their contents one after another in a second file beside it. The
// contents are read only for a file the writer cannot keep as an earlier
// build wrote it (output.Keeper): a build after a body edit reads neither
// the open data (27 MB at 10,000 cases) nor the feeds (20 MB). A file
// whose contents no longer match their checksum is made again.
type fileSet struct {
	background
	index, data string
	magic       string
	key         uint64
	files       []setFile
}

// setFile is a file of a fileSet's index.
type setFile struct {
	path string
	meta []string
	size int
	sum  uint64 // output.Checksum
	off  int64  // in the data file, after setDataMagic
}

// setEntry is a file to be saved in a fileSet.
type setEntry struct {
	path string
	meta []string
	data []byte
}

// setDataMagic starts a fileSet's data file.
const setDataMagic = "exempelbanken-innehåll-1\n"

// openFileSet starts reading the index of the fileSet sub of the site at
// root from dir; nil when there is none to read (storefile.Path).
func openFileSet(dir, sub, root, magic string) *fileSet {
	index := storefile.Path(dir, sub, root)
	if index == "" {
		return nil
	}
	fs := &fileSet{index: index, data: strings.TrimSuffix(index, ".bin") + ".data", magic: magic}
	fs.load(func() {
		d, ok := storefile.Read(index, magic)
		if !ok {
			return
		}
		key, n := d.Uint(), d.Count()
		files := make([]setFile, 0, n)
		for range n {
			f := setFile{path: d.Str(), size: int(d.Uint()), sum: d.Uint(), off: int64(d.Uint())}
			for range d.Count() {
				f.meta = append(f.meta, d.Str())
			}
			files = append(files, f)
		}
		if d.Ok() {
			fs.key, fs.files = key, files
		}
	})
	return fs
}

// get returns the files kept under key, or nil.
func (fs *fileSet) get(key uint64) []setFile {
	fs.loaded()
	if fs.key != key {
		return nil
	}
	return fs.files
}

// read returns the contents of f from the data file, or an error when it
// no longer holds them.
func (fs *fileSet) read(f setFile) ([]byte, error) {
	file, err := os.Open(fs.data)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	b := make([]byte, f.size)
	if _, err := file.ReadAt(b, int64(len(setDataMagic))+f.off); err != nil {
		return nil, err
	}
	if output.Checksum(b) != f.sum {
		return nil, fmt.Errorf("%s: %s har ändrats", fs.data, f.path)
	}
	return b, nil
}

// put saves the files, made for key: their contents first, then the index
// that points into them.
func (fs *fileSet) put(key uint64, files []setEntry) {
	fs.save(func() {
		err := storefile.Write(fs.data, setDataMagic, func(e *storefile.Encoder) {
			for _, f := range files {
				e.Raw(f.data)
			}
		})
		if err != nil {
			return
		}
		storefile.Write(fs.index, fs.magic, func(e *storefile.Encoder) {
			e.Uint(key)
			e.Uint(uint64(len(files)))
			var off int64
			for _, f := range files {
				e.Str(f.path)
				e.Uint(uint64(len(f.data)))
				e.Uint(output.Checksum(f.data))
				e.Uint(uint64(off))
				e.Uint(uint64(len(f.meta)))
				for _, m := range f.meta {
					e.Str(m)
				}
				off += int64(len(f.data))
			}
		})
	})
}

// keptJob returns the job of a file kept in fs: written from the data file
// only when the writer cannot keep it, or, when the data file no longer
// holds it, from what remake makes (the whole set, made once).
func (fs *fileSet) keptJob(f setFile, remake func() (map[string][]byte, error)) *job {
	return &job{path: f.path, stored: &storedJob{size: f.size, sum: f.sum, read: func() ([]byte, error) {
		if b, err := fs.read(f); err == nil {
			return b, nil
		}
		m, err := remake()
		if err != nil {
			return nil, err
		}
		b, ok := m[f.path]
		if !ok {
			return nil, fmt.Errorf("%s görs inte längre", f.path)
		}
		return b, nil
	}}}
}

// relatedStore keeps the related cases' ranking (relatedMemo) between
// processes: it depends on the front matter alone, so a build after a
// body edit does not rank again.
type relatedStore struct {
	background
	file string
	memo relatedMemo
}

// relatedStoreMagic starts a related store file; it changes with the
// layout.
const relatedStoreMagic = "exempelbanken-liknande-1\n"

// openRelatedStore starts reading the ranking of the site at root from
// dir; nil when there is none to read (storefile.Path).
func openRelatedStore(dir, root string) *relatedStore {
	file := storefile.Path(dir, "liknande", root)
	if file == "" {
		return nil
	}
	rs := &relatedStore{file: file}
	rs.load(func() {
		d, ok := storefile.Read(file, relatedStoreMagic)
		if !ok || d.Str() != programID() {
			return
		}
		key, k, n := d.Uint(), int(d.Uint()), d.Count()
		idx := make([][]int32, 0, n)
		for range n {
			m := d.Count()
			rel := make([]int32, 0, m)
			for range m {
				rel = append(rel, int32(d.Uint()))
			}
			idx = append(idx, rel)
		}
		if d.Ok() {
			rs.memo = relatedMemo{key: key, k: k, idx: idx}
		}
	})
	return rs
}

// related is relatedMemo.related with the ranking of the last build,
// which it saves when it had to rank again.
func (rs *relatedStore) related(s *content.Site, k int) map[*content.Case][]*content.Case {
	rs.loaded()
	for _, rel := range rs.memo.idx {
		for _, p := range rel {
			if p < 0 || int(p) >= len(s.Cases) {
				rs.memo = relatedMemo{} // damaged: rank again
			}
		}
	}
	out, ranked := rs.memo.rank(s, k)
	if !ranked {
		rs.save(nil)
		return out
	}
	m := rs.memo
	rs.save(func() {
		storefile.Write(rs.file, relatedStoreMagic, func(e *storefile.Encoder) {
			e.Str(programID())
			e.Uint(m.key)
			e.Uint(uint64(m.k))
			e.Uint(uint64(len(m.idx)))
			for _, rel := range m.idx {
				e.Uint(uint64(len(rel)))
				for _, p := range rel {
					e.Uint(uint64(p))
				}
			}
		})
	})
	return out
}

// cardStore keeps each case's card between processes: a card shows the
// front matter alone (resolved), so a build after a body edit renders none,
// and one after a front-matter edit the edited case's. A card is kept
// under cardStoreKey. At 10,000 cases rendering every card took about
// 65 ms of processor time per build.
type cardStore struct {
	background
	file string
	old  map[uint64]template.HTML // read; strings share the file's bytes

	mu   sync.Mutex
	next map[uint64]template.HTML // this build's cards, to be saved
	hits int                      // of next, read from old
}

// cardStoreMagic starts a card store file; it changes with the layout.
const cardStoreMagic = "exempelbanken-kort-1\n"

// openCardStore starts reading the cards of the site at root from dir;
// nil when there is none to read (storefile.Path).
func openCardStore(dir, root string) *cardStore {
	file := storefile.Path(dir, "kort", root)
	if file == "" {
		return nil
	}
	cs := &cardStore{file: file, next: map[uint64]template.HTML{}}
	cs.load(func() {
		d, ok := storefile.Map(file, cardStoreMagic)
		if !ok || d.Str() != programID() {
			return
		}
		n := d.Count()
		old := make(map[uint64]template.HTML, n)
		for range n {
			k := d.Uint()
			old[k] = template.HTML(d.Str())
		}
		if d.Ok() {
			cs.old = old
		}
	})
	return cs
}

// cardStoreKey is the key of c's card: its file, its front matter
// (MetaHash) and everything that is resolved against (FrontContext), and
// the layouts. The program is the store file's.
func cardStoreKey(c *content.Case, s *content.Site, tpl *templates) uint64 {
	var h stable.Digest
	h.WriteString(c.File)
	var b [25]byte // a 0 after the file's name, then the three keys
	binary.LittleEndian.PutUint64(b[1:], c.MetaHash)
	binary.LittleEndian.PutUint64(b[9:], s.FrontContext())
	binary.LittleEndian.PutUint64(b[17:], tpl.hash)
	h.Write(b[:])
	return h.Sum64()
}

// get returns the card kept under key.
func (cs *cardStore) get(key uint64) (template.HTML, bool) {
	cs.loaded()
	h, ok := cs.old[key]
	if ok {
		cs.mu.Lock()
		if _, seen := cs.next[key]; !seen {
			cs.hits++
		}
		cs.next[key] = h
		cs.mu.Unlock()
	}
	return h, ok
}

// put keeps a card just rendered under key.
func (cs *cardStore) put(key uint64, h template.HTML) {
	cs.mu.Lock()
	cs.next[key] = h
	cs.mu.Unlock()
}

// saveCards saves this build's cards unless the file holds exactly them.
func (cs *cardStore) saveCards() {
	cs.loaded()
	cs.mu.Lock()
	next, same := cs.next, cs.hits == len(cs.next) && len(cs.next) == len(cs.old)
	cs.old = nil
	cs.mu.Unlock()
	if same {
		cs.save(nil)
		return
	}
	cs.save(func() {
		keys := slices.Sorted(maps.Keys(next))
		storefile.Write(cs.file, cardStoreMagic, func(e *storefile.Encoder) {
			e.Str(programID())
			e.Uint(uint64(len(keys)))
			for _, k := range keys {
				e.Uint(k)
				e.Str(string(next[k]))
			}
		})
	})
}
