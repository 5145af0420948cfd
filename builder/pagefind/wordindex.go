package pagefind

import (
	"crypto/sha1"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// chunkMeta names one file of the word index and the range of keys in it.
type chunkMeta struct {
	from, to, hash string
	first, last    string          // the first and last word, whole
	sum            [sha1.Size]byte // of the content
}

// writeWords merges the pages' postings word by word, in the order of the
// keys, cuts them into chunks as Pagefind does and writes each chunk. The
// chunks' bounds come from the totals the Index keeps (wordTotals), so
// after a small change the postings are read once, to copy those of the
// chunks made again (copyFew).
//
// A chunk whose words are those of a chunk of the last Write, none of them
// dirty (Index.dirty), is that chunk again when the pages are numbered as
// then and have the same metadata fields (wordLayout): its postings come
// from the same pages, unchanged. It is not merged or encoded again. At
// 10,000 cases an edit of one page makes a few of 700 chunks dirty.
func (x *Index) writeWords(pages []*page, fields []string, fieldIndex map[string]int, lang string, put func(string, []byte) error) ([]chunkMeta, int, error) {
	x.words.mu.Lock()
	keys := x.words.strs[:len(x.words.strs):len(x.words.strs)]
	x.words.mu.Unlock()

	// The pages are read in runs, one on each core.
	runs := wordRuns(len(pages))
	pageRun := func(r int) []*page { return pages[r*len(pages)/runs : (r+1)*len(pages)/runs] }
	// Postings kept in the cache file are read now, a run on each core,
	// in the order they are in the file.
	readErrs := make([]error, runs)
	inParallel(runs, func(r int) {
		var win window
		for _, p := range pageRun(r) {
			post, err := p.postingsVia(&win)
			if err != nil {
				readErrs[r] = fmt.Errorf("sökindexets cache: %w", err)
				return
			}
			p.post = post
		}
	})
	if err := errors.Join(readErrs...); err != nil {
		return nil, 0, err
	}
	// Each word's postings, their bytes and their locations, kept as the
	// pages came and went (Index.totals), or counted now.
	x.mu.Lock()
	tot := x.totals
	x.mu.Unlock()
	if tot == nil {
		tot = totalsOf(pages)
		x.mu.Lock()
		x.totals = tot
		x.mu.Unlock()
	}
	counts := make([]uint32, len(keys))
	bytesOf := make([]int, len(keys))  // of the word's postings
	wordSize := make([]int, len(keys)) // the word's locations, as Pagefind counts them for chunking
	// Pagefind counts each form of a word once more.
	formsOf := tot.formsPerWord(len(keys))
	for w := range keys {
		t := tot.of(w)
		counts[w], bytesOf[w], wordSize[w] = t.count, int(t.bytes), int(t.size)+formsOf[w]
	}
	var order []uint32
	for w := range keys {
		if counts[w] > 0 {
			order = append(order, uint32(w))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(keys[a], keys[b]) })

	// Chunks: a chunk ends after the word that brings it to chunkSize.
	type span struct{ from, to int } // in order
	var spans []span
	size, first := 0, 0
	for i, w := range order {
		size += wordSize[w]
		if size >= chunkSize {
			spans = append(spans, span{first, i + 1})
			first, size = i+1, 0
		}
	}
	if first < len(order) {
		spans = append(spans, span{first, len(order)})
	}
	chunks := make([]chunkMeta, len(spans))
	for i, s := range spans {
		chunks[i] = chunkMeta{from: keys[order[s.from]], to: keys[order[s.to-1]]}
		chunks[i].first, chunks[i].last = chunks[i].from, chunks[i].to
	}
	for i := 0; i+1 < len(chunks); i++ {
		a, b := prefixes(chunks[i].to, chunks[i+1].from)
		if a >= chunks[i].from {
			chunks[i].to = a
		}
		chunks[i+1].from = b
	}

	// The chunks of the last Write that are still good, and the words
	// whose postings the others need.
	x.mu.Lock()
	last, dirty := x.last, x.dirty
	x.mu.Unlock()
	reuse := make([]bool, len(spans))
	// A dirty word that no page has any more is in no chunk's words, but
	// was in the chunk whose range holds it.
	var gone []string
	for w := range dirty {
		if int(w) < len(keys) && counts[w] == 0 {
			gone = append(gone, keys[w])
		}
	}
	slices.Sort(gone)
	if last != nil && last.layout == wordLayout(pages, fields) {
		before := make(map[[2]string][sha1.Size]byte, len(last.chunks))
		for _, c := range last.chunks {
			before[[2]string{c.first, c.last}] = c.sum
		}
		for i, s := range spans {
			sum, ok := before[[2]string{chunks[i].first, chunks[i].last}]
			if _, have := x.chunkGz[sum]; !ok || !have {
				continue
			}
			i0, _ := slices.BinarySearch(gone, chunks[i].first)
			clean := i0 == len(gone) || gone[i0] > chunks[i].last
			for _, w := range order[s.from:s.to] {
				if !clean {
					break
				}
				if dirty[w] {
					clean = false
					break
				}
			}
			if clean {
				reuse[i], chunks[i].sum = true, sum
			}
		}
	}
	needed := make([]bool, len(keys))
	for i, s := range spans {
		if !reuse[i] {
			for _, w := range order[s.from:s.to] {
				needed[w] = true
			}
		}
	}

	// The needed postings are copied, word by word, into one buffer
	// (post): read from the pages' own postings a word at a time, nearly
	// every posting was a cache miss, and that was most of the time of the
	// merge. Each run's postings of a word go after those of the runs
	// before. Each word's postings are in post from wordAt[w], in the
	// order of the pages; refPage[start[w]:start[w+1]] are the pages'
	// numbers. (Their places and forms are read from post when the word
	// is encoded: two arrays of them cost 12 bytes of new memory per
	// posting, 60 MB at 10,000 cases, which is dear.)
	start := make([]uint32, len(keys)+1)
	at := make([]int, len(keys)) // where the word's postings go in post
	total := 0
	for w := range keys {
		start[w+1], at[w] = start[w], total
		if needed[w] {
			start[w+1] += counts[w]
			total += bytesOf[w]
		}
	}
	if total > math.MaxUint32 {
		return nil, 0, fmt.Errorf("sökindex: orden har %d byte positioner, fler än indexet kan numrera", total)
	}
	wordAt := slices.Clone(at)
	post := make([]byte, total)
	refPage := make([]uint32, start[len(keys)])
	slot := slices.Clone(start[:len(keys)]) // each word's next place in refPage
	all := 0
	for w := range keys {
		all += bytesOf[w]
	}
	// The totals must be the pages': the postings found fill their places
	// exactly, or the chunks would not be those of a new Index.
	filled := func() error {
		for w := range keys {
			if needed[w] && (slot[w] != start[w+1] || at[w] != wordAt[w]+bytesOf[w]) {
				x.mu.Lock()
				x.totals = nil
				x.mu.Unlock()
				return fmt.Errorf("sökindex: ordet %q har %d poster, inte %d som räknats (bygg om med en tom cachemapp)", keys[w], slot[w]-start[w], start[w+1]-start[w])
			}
		}
		return nil
	}
	var err error
	if total*8 < all {
		copyFew(pages, runs, needed, post, refPage, slot, at)
		err = filled()
	} else {
		err = copyMany(pages, runs, len(keys), needed, post, refPage, slot, at, filled)
	}
	if err != nil {
		return nil, 0, err
	}
	// refs returns a word's postings: each the page's number and where
	// the posting is in post, and the posting's form, in scratch.
	refs := func(w uint32, rs []uint64, formOf []uint32) ([]uint64, []uint32) {
		rs, formOf = rs[:0], formOf[:0]
		off := wordAt[w]
		for k := start[w]; k < start[w+1]; k++ {
			h := readHeader(post, off)
			rs = append(rs, uint64(refPage[k])<<32|uint64(off))
			formOf = append(formOf, h.form)
			off = h.next
		}
		return rs, formOf
	}

	// A page's metadata field ids, as ids among all fields.
	remap := make([][]int64, len(pages))
	for i, p := range pages {
		r := make([]int64, len(p.fields))
		for j, f := range p.fields {
			r[j] = int64(fieldIndex[f])
		}
		remap[i] = r
	}

	x.forms.mu.Lock()
	forms := x.forms.strs[:len(x.forms.strs):len(x.forms.strs)]
	x.forms.mu.Unlock()
	// Each chunk is encoded, hashed and compressed on its own, so that
	// only the compressed chunks are held at once.
	compressed := make([][]byte, len(spans))
	sums := make([][sha1.Size]byte, len(spans))
	if err := parallel(len(spans), func(i int) error {
		if reuse[i] {
			sums[i] = chunks[i].sum
			compressed[i] = x.chunkGz[sums[i]]
			return nil
		}
		chunksEncoded.Add(1)
		s := spans[i]
		b := cborArray(nil, 1)
		b = cborArray(b, s.to-s.from)
		var sc []int64
		var rs []uint64
		var formOf []uint32
		for _, w := range order[s.from:s.to] {
			b = cborArray(b, 3)
			b = cborString(b, keys[w])
			rs, formOf = refs(w, rs, formOf)
			// The pages without diacritics, then each form's, in the
			// order the forms first appear.
			n := 0
			var formOrder []uint32
			for _, f := range formOf {
				if f == 0 {
					n++
				} else if !slices.Contains(formOrder, f) {
					formOrder = append(formOrder, f)
				}
			}
			b = cborArray(b, n)
			b, sc = appendPages(b, rs, formOf, post, remap, 0, n, sc)
			b = cborArray(b, len(formOrder))
			for _, f := range formOrder {
				b = cborArray(b, 2)
				b = cborString(b, forms[f])
				m := 0
				for _, g := range formOf {
					if g == f {
						m++
					}
				}
				b = cborArray(b, m)
				b, sc = appendPages(b, rs, formOf, post, remap, f, m, sc)
			}
		}
		sums[i] = sha1.Sum(b)
		if gz, ok := x.chunkGz[sums[i]]; ok {
			compressed[i] = gz
			return nil
		}
		gz, err := x.compressChunk(b)
		compressed[i] = gz
		return err
	}); err != nil {
		return nil, 0, err
	}
	next := make(map[[sha1.Size]byte][]byte, len(spans))
	for i := range spans {
		next[sums[i]] = compressed[i]
	}
	x.mu.Lock()
	x.chunkGz = next
	x.mu.Unlock()
	taken := map[string]bool{}
	for i := range spans {
		chunks[i].hash = shortName(lang, sums[i], taken)
		chunks[i].sum = sums[i]
	}
	err = parallel(len(spans), func(i int) error {
		return put("index/"+chunks[i].hash+".pf_index", compressed[i])
	})
	encoded := 0
	for _, r := range reuse {
		if !r {
			encoded++
		}
	}
	return chunks, encoded, err
}

// chunksEncoded counts the chunks writeWords encoded (for the tests).
var chunksEncoded atomic.Int64

// wordLayout identifies what a chunk's content depends on besides its
// words' postings: the pages' numbers (their URLs in order) and the
// metadata fields, by which the postings' fields are numbered.
func wordLayout(pages []*page, fields []string) [sha256.Size]byte {
	h := sha256.New()
	for _, p := range pages {
		h.Write([]byte(p.url))
		h.Write([]byte{0})
	}
	h.Write([]byte{1})
	for _, f := range fields {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// appendPages writes the n pages of one form of a word: the page number
// as a difference from the one before, the locations and the metadata
// locations with the fields numbered among all fields. Each of rs is a
// page's number and where its posting is in post.
func appendPages(b []byte, rs []uint64, formOf []uint32, post []byte, remap [][]int64, form uint32, n int, sc []int64) ([]byte, []int64) {
	last := uint64(0)
	for i, r := range rs {
		if formOf[i] != form {
			continue
		}
		pi := r >> 32
		h := readHeader(post, int(uint32(r)))
		var locs, meta []int64
		locs, meta, sc = readValues(post, h, sc)
		b = cborArray(b, 3)
		b = cborUint(b, pi-last)
		last = pi
		b = cborArray(b, len(locs))
		for _, v := range locs {
			b = cborInt(b, v)
		}
		b = cborArray(b, len(meta))
		for _, v := range meta {
			if v < 0 {
				v = -remap[pi][-v-1] - 1
			}
			b = cborInt(b, v)
		}
		if n--; n == 0 {
			break
		}
	}
	return b, sc
}

// prefixes returns a and b cut after the first character they differ in.
func prefixes(a, b string) (string, string) {
	ar, br := []rune(a), []rune(b)
	common := 0
	for common < len(ar) && common < len(br) && ar[common] == br[common] {
		common++
	}
	return string(ar[:min(common+1, len(ar))]), string(br[:min(common+1, len(br))])
}

// copyFew copies the postings of the needed words of pages, a run of
// pages on each core, to post and notes their pages' numbers in refPage:
// each word's next ones at at[w] and slot[w], which it moves on. For a few
// words (a Write after a small change): each run copies the postings it
// finds into its own buffer as it reads the pages, once, and they then go
// to their words' places, run after run.
func copyFew(pages []*page, runs int, needed []bool, post []byte, refPage []uint32, slot []uint32, at []int) {
	// (A page with more postings of a word than the totals give leaves
	// them out here, and its word short of its next one's place.)
	bufs := make([][]byte, runs)
	ends := make([][]int, runs) // where each page's postings end in the run's buf
	inParallel(runs, func(r int) {
		for _, p := range pages[r*len(pages)/runs : (r+1)*len(pages)/runs] {
			for off := 0; off < len(p.post); {
				h := readHeader(p.post, off)
				if needed[h.key] {
					bufs[r] = append(bufs[r], p.post[off:h.next]...)
				}
				off = h.next
			}
			ends[r] = append(ends[r], len(bufs[r]))
		}
	})
	for r := range runs {
		first, from := r*len(pages)/runs, 0
		for i, end := range ends[r] {
			for off := from; off < end; {
				h := readHeader(bufs[r], off)
				if int(slot[h.key]) < len(refPage) && at[h.key]+h.next-off <= len(post) {
					refPage[slot[h.key]] = uint32(first + i)
					slot[h.key]++
					at[h.key] += copy(post[at[h.key]:], bufs[r][off:h.next])
				}
				off = h.next
			}
			from = end
		}
	}
}

// copyMany is copyFew for many words (every word, when the pages are new):
// each run counts its postings of each needed word first, and then copies
// them straight to their places, without a buffer of its own. filled
// reports whether the runs' postings fill the words' places as the totals
// give them; it is called before any is copied.
func copyMany(pages []*page, runs, words int, needed []bool, post []byte, refPage []uint32, slot []uint32, at []int, filled func() error) error {
	run := func(r int) []*page { return pages[r*len(pages)/runs : (r+1)*len(pages)/runs] }
	counts, sizes := make([][]uint32, runs), make([][]int, runs)
	inParallel(runs, func(r int) {
		counts[r], sizes[r] = make([]uint32, words), make([]int, words)
		for _, p := range run(r) {
			for off := 0; off < len(p.post); {
				h := readHeader(p.post, off)
				if needed[h.key] {
					counts[r][h.key]++
					sizes[r][h.key] += h.next - off
				}
				off = h.next
			}
		}
	})
	// Each run's first places, in place of its counts; the words' next
	// places once every run has copied.
	for r := range runs {
		for w := range words {
			c, n := counts[r][w], sizes[r][w]
			counts[r][w], sizes[r][w] = slot[w], at[w]
			slot[w] += c
			at[w] += n
		}
	}
	if err := filled(); err != nil {
		return err
	}
	inParallel(runs, func(r int) {
		slots, ats, first := counts[r], sizes[r], r*len(pages)/runs
		for i, p := range run(r) {
			for off := 0; off < len(p.post); {
				h := readHeader(p.post, off)
				if needed[h.key] {
					refPage[slots[h.key]] = uint32(first + i)
					slots[h.key]++
					ats[h.key] += copy(post[ats[h.key]:], p.post[off:h.next])
				}
				off = h.next
			}
		}
	})
	return nil
}

// wordRuns is how many runs the postings of n pages are read and
// copied in: one per core, of at least 256 pages each. A variable, for
// the tests.
var wordRuns = func(n int) int { return min(runtime.GOMAXPROCS(0), max(1, n/256)) }

// inParallel runs f(0), …, f(n-1) at once and waits for them.
func inParallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}
