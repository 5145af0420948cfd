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
// keys, cuts them into chunks as Pagefind does and writes each chunk.
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

	// Each core counts the postings of a run of pages per word: how many,
	// their bytes, their locations and their forms.
	runs := wordRuns(len(pages))
	parts := make([]wordRun, runs)
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
	inParallel(runs, func(r int) {
		parts[r].count(pageRun(r), len(keys))
	})
	counts := make([]uint32, len(keys))
	bytesOf := make([]int, len(keys))  // of the word's postings
	wordSize := make([]int, len(keys)) // the word's locations, as Pagefind counts them for chunking
	for r, pr := range parts {
		for w := range keys {
			counts[w] += pr.counts[w]
			bytesOf[w] += int(pr.bytes[w])
			wordSize[w] += int(pr.size[w])
			// Pagefind counts each form of a word once more.
			for _, f := range pr.forms[w] {
				if !slices.ContainsFunc(parts[:r], func(q wordRun) bool { return slices.Contains(q.forms[w], f) }) {
					wordSize[w]++
				}
			}
		}
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
	// Each run's first place for each word, in place of its counts.
	fill := slices.Clone(start[:len(keys)])
	for r := range parts {
		pr := &parts[r]
		for w := range keys {
			c, b := pr.counts[w], pr.bytes[w]
			pr.counts[w], pr.bytes[w] = fill[w], uint32(at[w])
			if needed[w] {
				fill[w] += c
				at[w] += int(b)
			}
		}
	}
	post := make([]byte, total)
	refPage := make([]uint32, start[len(keys)])
	inParallel(runs, func(r int) {
		parts[r].copy(pageRun(r), r*len(pages)/runs, post, refPage, needed)
	})
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
	err := parallel(len(spans), func(i int) error {
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

// wordRuns is how many runs the postings of n pages are numbered and
// copied in: one per core, of at least 256 pages each. A variable, for
// the tests.
var wordRuns = func(n int) int { return min(runtime.GOMAXPROCS(0), max(1, n/256)) }

// wordRun counts, numbers and copies the postings of a run of pages for
// writeWords.
type wordRun struct {
	// counts and bytes are, per word, the run's postings and their bytes;
	// then where the run's first posting of the word goes in refPage and
	// in post, and, as copy goes, the next.
	counts, bytes []uint32
	size          []uint32   // per word, the run's locations and metadata locations, plus one per page
	forms         [][]uint32 // per word, the forms (with diacritics) the run's pages have
}

// count counts the postings of the run's pages per word (of n words).
func (wr *wordRun) count(pages []*page, n int) {
	wr.counts, wr.bytes, wr.size, wr.forms = make([]uint32, n), make([]uint32, n), make([]uint32, n), make([][]uint32, n)
	for _, p := range pages {
		for off := 0; off < len(p.post); {
			h := readHeader(p.post, off)
			wr.counts[h.key]++
			wr.bytes[h.key] += uint32(h.next - off)
			wr.size[h.key] += h.nLocs + h.nMeta + 1
			if h.form != 0 && !slices.Contains(wr.forms[h.key], h.form) {
				wr.forms[h.key] = append(wr.forms[h.key], h.form)
			}
			off = h.next
		}
	}
}

// copy copies the postings of the needed words of the run's pages,
// numbered from first, to where counts and bytes say, noting each
// posting's page number in refPage.
func (wr *wordRun) copy(pages []*page, first int, post []byte, refPage []uint32, needed []bool) {
	for i, p := range pages {
		for off := 0; off < len(p.post); {
			h := readHeader(p.post, off)
			if needed[h.key] {
				k, at := wr.counts[h.key], wr.bytes[h.key]
				refPage[k] = uint32(first + i)
				wr.bytes[h.key] += uint32(copy(post[at:], p.post[off:h.next]))
				wr.counts[h.key]++
			}
			off = h.next
		}
	}
}

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
