package content

import (
	"maps"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/internal/storefile"
	yaml "go.yaml.in/yaml/v3"
)

// A Cache can outlive the process: OpenCache reads the documents an
// earlier process parsed, Save writes those of the last load back. A
// one-off build then reads and parses only the document files whose stamp
// (size, times, inode) changed, and stats the others. What is kept is
// what parsing a file gives (the document before its references are
// resolved, its front matter, nothing else): the site is resolved and
// validated anew on every load.
//
// The entries are kept in cacheSegments files by their file's name, and
// Save writes again only the files whose entries changed. A file holds
// entries for one program (the caller's key) on one day: parsing checks
// dates against today. Only entries of settled files without errors are
// kept; a file with errors is read and parsed again, and reported again.

// cacheStoreMagic starts a segment file; it changes with the layout.
const cacheStoreMagic = "exempelbanken-innehall-1\n"

// cacheSegments is how many files the entries are kept in.
const cacheSegments = 16

// persisted is where a Cache made by OpenCache keeps its entries.
type persisted struct {
	file string // the segments are named after it (storefile.Segment)
	key  string // the program's key and the day
	// read has, per segment, what the entries read from it were read as.
	read [cacheSegments]map[string]readAs
}

// readAs is what an entry was parsed as: from which version of its file,
// with or without drafts.
type readAs struct {
	stamp  fileStamp
	drafts bool
}

// cacheSegment returns the segment that keeps the entry of file.
func cacheSegment(file string) int { return int(stable.String(file) % cacheSegments) }

// OpenCache returns a Cache with the entries that Save wrote to file (a
// .bin name; the entries are in segment files beside it) under the same
// key, today: key names the program that parsed them. Segments that are
// missing, damaged or of another key or day read as empty.
func OpenCache(file, key string) *Cache {
	c := NewCache()
	p := &persisted{file: file, key: key + "\x00" + today().String()}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range cacheSegments {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := readCacheSegment(storefile.Segment(file, i), p.key)
			mu.Lock()
			defer mu.Unlock()
			p.read[i] = make(map[string]readAs, len(m))
			for f, e := range m {
				c.m[f] = e
				p.read[i][f] = readAs{e.stamp, e.drafts}
			}
		}()
	}
	wg.Wait()
	c.persist = p
	return c
}

// Save writes the entries of the documents of the cache's last load (its
// listing) to the segments whose entries changed since OpenCache read
// them: none when nothing changed. It does nothing for a Cache that
// OpenCache did not make, or whose last listing had errors.
//
// A one-off build calls Release after it: the entries (at 100,000 cases
// about a gigabyte of documents and front matter) are garbage from then on.
func (c *Cache) Save() error {
	if c == nil || c.persist == nil {
		return nil
	}
	p := c.persist
	c.mu.Lock()
	var segs [cacheSegments]map[string]cacheEntry
	if c.listing != nil {
		for f := range c.listing.set {
			e, ok := c.m[f]
			if !ok || !keepable(&e) {
				continue
			}
			i := cacheSegment(f)
			if segs[i] == nil {
				segs[i] = map[string]cacheEntry{}
			}
			segs[i][f] = e
		}
	}
	listed := c.listing != nil
	c.mu.Unlock()
	if !listed {
		return nil
	}
	var first error
	for i, seg := range segs {
		as := make(map[string]readAs, len(seg))
		for f, e := range seg {
			as[f] = readAs{e.stamp, e.drafts}
		}
		if maps.Equal(as, p.read[i]) {
			continue
		}
		if err := writeCacheSegment(storefile.Segment(p.file, i), p.key, seg); err != nil && first == nil {
			first = err
		}
		p.read[i] = as
	}
	return first
}

// Release lets go of the cache's entries and listing: the next load
// parses every file. For a one-off build, once it has saved them.
func (c *Cache) Release() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.listing = map[string]cacheEntry{}, nil
}

// keepable reports whether e is worth keeping between processes: it was
// read from a settled file and parsed without errors.
func keepable(e *cacheEntry) bool {
	return e.stamp != (fileStamp{}) && (e.errs == nil || e.errs.Len() == 0) && (e.doc != nil || e.draft != "")
}

// readCacheSegment reads the entries of a segment file written with key;
// none when it is missing, damaged or of another key. Strings and bodies
// share the file's bytes (storefile.Map).
func readCacheSegment(file, key string) map[string]cacheEntry {
	d, ok := storefile.Map(file, cacheStoreMagic)
	if !ok || d.Str() != key {
		return nil
	}
	n := d.Count()
	m := make(map[string]cacheEntry, n)
	for range n {
		f := d.Str()
		e := cacheEntry{hash: d.Uint(), drafts: d.Uint() == 1, draft: d.Str()}
		e.stamp = fileStamp{size: int64(d.Uint()), mtime: int64(d.Uint()), ctime: int64(d.Uint()), ino: d.Uint()}
		if d.Uint() == 1 {
			var fs *fields
			e.doc, fs = decodeDoc(d, f)
			if fs != nil {
				e.fm = newFrontMatter(f, nil, 0, fs) // the fields alone: written, not read again
			}
		}
		if d.Err() {
			return nil
		}
		m[f] = e
	}
	if !d.Ok() {
		return nil
	}
	return m
}

// writeCacheSegment writes the entries m to file under key, in file order
// (the same entries make the same file). An empty m removes the file.
func writeCacheSegment(file, key string, m map[string]cacheEntry) error {
	if len(m) == 0 {
		if err := os.Remove(file); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	return storefile.Write(file, cacheStoreMagic, func(e *storefile.Encoder) {
		e.Str(key)
		e.Uint(uint64(len(m)))
		for _, f := range slices.Sorted(maps.Keys(m)) {
			ent := m[f]
			e.Str(f)
			e.Uint(ent.hash)
			e.Uint(b2u(ent.drafts))
			e.Str(ent.draft)
			e.Uint(uint64(ent.stamp.size))
			e.Uint(uint64(ent.stamp.mtime))
			e.Uint(uint64(ent.stamp.ctime))
			e.Uint(ent.stamp.ino)
			e.Uint(b2u(ent.doc != nil))
			if ent.doc != nil {
				f := ent.fm.f
				if f == nil { // kept as text (put)
					f = ent.fm.fields(&diag.List{})
				}
				encodeDoc(e, ent.doc, f)
			}
		}
	})
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// The kinds of document an entry holds.
const (
	kindCase = 1 + iota
	kindTerm
	kindPage
)

// encodeDoc writes a parsed document (as parseRaw leaves it: nothing
// resolved) and its front matter. The fields written are those of
// cachedCaseFields and cachedTermFields; TestCacheCoversEveryField fails
// when a field is added to Doc, Case or Term and not here.
func encodeDoc(e *storefile.Encoder, doc any, f *fields) {
	var d *Doc
	switch v := doc.(type) {
	case *Case:
		e.Uint(kindCase)
		d = &v.Doc
	case *Term:
		e.Uint(kindTerm)
		d = &v.Doc
	case *Page:
		e.Uint(kindPage)
		d = &v.Doc
	}
	e.Uint(uint64(d.Section))
	strs(e, d.File, d.Slug, d.Title, d.Summary)
	e.Bytes(d.Body)
	e.Uint(uint64(d.BodyLine))
	e.Uint(b2u(d.Draft))
	encodeTime(e, d.Date)
	encodeTime(e, d.Updated)
	e.Uint(uint64(len(d.Sources)))
	for _, s := range d.Sources {
		strs(e, s.ID, s.Pages)
		e.Uint(uint64(s.Line))
	}
	e.Uint(d.Hash)
	e.Uint(d.MetaHash)
	e.Bytes(d.titleKey)
	switch v := doc.(type) {
	case *Case:
		strs(e, v.Country, v.Place, string(v.Status))
		encodePartialDate(e, v.StatusAsOf)
		e.Uint(uint64(v.Start))
		e.Uint(uint64(v.End))
		e.Uint(uint64(v.Budget))
		e.Uint(b2u(v.HasBudget))
		e.Str(v.Evaluation)
		strList(e, v.Results)
		strList(e, v.Lessons)
		e.Uint(uint64(v.Cost))
		e.Uint(uint64(v.Repaid))
		e.Uint(b2u(v.HasCost))
		e.Uint(b2u(v.HasRepaid))
		e.Uint(b2u(v.Contact != nil))
		if v.Contact != nil {
			strs(e, v.Contact.Organisation, v.Contact.Email, v.Contact.URL)
		}
		e.Uint(uint64(v.contactLine))
		encodeTime(e, v.Reviewed)
		strs(e, v.Owner, v.Initiator)
		strList(e, v.Partners)
	case *Term:
		strList(e, v.Aliases)
		strs(e, string(v.Kind), v.Financier, v.Repayment, v.Risk, v.Horizon, v.TypicalUse, v.SuitedWhen)
	}
	strs(e, f.file)
	e.Uint(uint64(f.line))
	e.Uint(uint64(len(f.ents)))
	for _, ent := range f.ents {
		e.Str(ent.key)
		e.Uint(uint64(ent.line))
		encodeNode(e, ent.val)
	}
}

// decodeDoc reads what encodeDoc wrote; file is the entry's file.
func decodeDoc(d *storefile.Decoder, file string) (any, *fields) {
	kind := d.Uint()
	var doc Doc
	doc.Section = Section(d.Uint())
	doc.File, doc.Slug, doc.Title, doc.Summary = d.Str(), d.Str(), d.Str(), d.Str()
	doc.setURL()
	doc.Body = d.Bytes()
	doc.BodyLine = int(d.Uint())
	doc.Draft = d.Uint() == 1
	doc.Date, doc.Updated = decodeTime(d), decodeTime(d)
	if n := d.Count(); n > 0 {
		doc.Sources = make([]Source, n)
		for i := range doc.Sources {
			doc.Sources[i] = Source{ID: d.Str(), Pages: d.Str(), Line: int(d.Uint())}
		}
	}
	doc.Hash, doc.MetaHash = d.Uint(), d.Uint()
	doc.titleKey = d.Bytes()
	var out any
	switch kind {
	case kindCase:
		c := &Case{Doc: doc}
		c.Country, c.Place, c.Status = d.Str(), d.Str(), Status(d.Str())
		c.StatusAsOf = decodePartialDate(d)
		c.Start, c.End = int(d.Uint()), int(d.Uint())
		c.Budget, c.HasBudget = int64(d.Uint()), d.Uint() == 1
		c.Evaluation = d.Str()
		c.Results, c.Lessons = decodeStrList(d), decodeStrList(d)
		c.Cost, c.Repaid = int64(d.Uint()), int64(d.Uint())
		c.HasCost, c.HasRepaid = d.Uint() == 1, d.Uint() == 1
		if d.Uint() == 1 {
			c.Contact = &Contact{Organisation: d.Str(), Email: d.Str(), URL: d.Str()}
		}
		c.contactLine = int(d.Uint())
		c.Reviewed = decodeTime(d)
		c.Owner, c.Initiator = d.Str(), d.Str()
		c.Partners = decodeStrList(d)
		out = c
	case kindTerm:
		t := &Term{Doc: doc}
		t.Aliases = decodeStrList(d)
		t.Kind = TermKind(d.Str())
		t.Financier, t.Repayment, t.Risk, t.Horizon, t.TypicalUse, t.SuitedWhen = d.Str(), d.Str(), d.Str(), d.Str(), d.Str(), d.Str()
		out = t
	case kindPage:
		out = &Page{Doc: doc}
	default:
		d.Fail() // no such kind is written
		return nil, nil
	}
	f := &fields{file: d.Str(), line: int(d.Uint())}
	if f.file != file {
		d.Fail()
		return nil, nil
	}
	n := d.Count()
	f.ents = make([]fieldEnt, 0, n)
	for range n {
		key, line := d.Str(), int(d.Uint())
		f.add(fieldEnt{key: key, line: line, val: decodeNode(d, 0)})
	}
	return out, f
}

func strs(e *storefile.Encoder, ss ...string) {
	for _, s := range ss {
		e.Str(s)
	}
}

func strList(e *storefile.Encoder, ss []string) {
	e.Uint(uint64(len(ss)))
	strs(e, ss...)
}

func decodeStrList(d *storefile.Decoder) []string {
	n := d.Count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.Str()
	}
	return ss
}

// encodeTime writes t, a date parsed in UTC or zero.
func encodeTime(e *storefile.Encoder, t time.Time) {
	if t.IsZero() {
		e.Uint(0)
		return
	}
	e.Uint(1)
	e.Uint(uint64(t.Unix()))
	e.Uint(uint64(t.Nanosecond()))
}

func decodeTime(d *storefile.Decoder) time.Time {
	if d.Uint() == 0 {
		return time.Time{}
	}
	sec := int64(d.Uint())
	return time.Unix(sec, int64(d.Uint())).UTC()
}

func encodePartialDate(e *storefile.Encoder, p PartialDate) {
	e.Uint(uint64(p.Year))
	e.Uint(uint64(p.Month))
	e.Uint(uint64(p.Day))
}

func decodePartialDate(d *storefile.Decoder) PartialDate {
	return PartialDate{Year: int(d.Uint()), Month: time.Month(d.Uint()), Day: int(d.Uint())}
}

// maxNodeDepth bounds the nesting decodeNode follows: front matter is
// never deeper, and a damaged file cannot make it recurse without end.
const maxNodeDepth = 64

func encodeNode(e *storefile.Encoder, n *node) {
	if n == nil {
		e.Uint(0)
		return
	}
	e.Uint(1)
	e.Uint(uint64(n.Kind))
	e.Uint(uint64(n.Style))
	strs(e, n.Tag, n.Value)
	e.Uint(uint64(n.Line))
	e.Uint(uint64(n.Column))
	e.Uint(b2u(n.Content != nil))
	if n.Content != nil {
		e.Uint(uint64(len(n.Content)))
		for _, c := range n.Content {
			encodeNode(e, c)
		}
	}
}

func decodeNode(d *storefile.Decoder, depth int) *node {
	if d.Uint() == 0 || d.Err() {
		return nil
	}
	if depth > maxNodeDepth {
		d.Fail()
		return nil
	}
	n := &node{Kind: yaml.Kind(d.Uint()), Style: yaml.Style(d.Uint()), Tag: d.Str(), Value: d.Str(), Line: int(d.Uint()), Column: int(d.Uint())}
	if d.Uint() == 1 {
		k := d.Count()
		n.Content = make([]*node, k)
		for i := range n.Content {
			n.Content[i] = decodeNode(d, depth+1)
		}
	}
	return n
}
