package pagefind

import (
	"crypto/sha1"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// chunkMeta names one file of the word index and the range of keys in it.
type chunkMeta struct {
	from, to, hash string
	sum            [sha1.Size]byte // of the content
}

// writeWords merges the pages' postings word by word, in the order of the
// keys, cuts them into chunks as Pagefind does and writes each chunk.
func (x *Index) writeWords(pages []*page, fields []string, fieldIndex map[string]int, lang string, put func(string, []byte) error) ([]chunkMeta, error) {
	x.words.mu.Lock()
	keys := x.words.strs[:len(x.words.strs):len(x.words.strs)]
	x.words.mu.Unlock()

	// Each word's postings are in post from wordAt[w], in the order of the
	// pages; refPage[start[w]:start[w+1]] are the pages' numbers. (Their
	// places and forms are read from post when the word is encoded: two
	// arrays of them cost 12 bytes of new memory per posting, 60 MB at
	// 10,000 cases, which is dear.)
	// Postings kept in the cache file are read now.
	if err := parallel(len(pages), func(i int) error {
		p := pages[i]
		if p.post != nil || p.store == nil {
			return nil
		}
		post, err := p.postings()
		if err != nil {
			return fmt.Errorf("sökindexets cache: %w", err)
		}
		p.post = post
		return nil
	}); err != nil {
		return nil, err
	}
	// The postings are copied, word by word, into one buffer (post): read
	// from the pages' own postings a word at a time, nearly every posting
	// was a cache miss, and that was most of the time of the merge. Each
	// core numbers and copies a run of pages: it counts its run's postings
	// per word first, and the counts say where in post and refPage each
	// run's postings of a word go (after those of the runs before).
	runs := wordRuns(len(pages))
	parts := make([]wordRun, runs)
	pageRun := func(r int) []*page { return pages[r*len(pages)/runs : (r+1)*len(pages)/runs] }
	inParallel(runs, func(r int) {
		parts[r].count(pageRun(r), len(keys))
	})
	counts := make([]uint32, len(keys)+1)
	bytesOf := make([]int, len(keys)) // of the word's postings
	for _, pr := range parts {
		for w := range keys {
			counts[w] += pr.counts[w]
			bytesOf[w] += int(pr.bytes[w])
		}
	}
	start := make([]uint32, len(keys)+1)
	at := make([]int, len(keys)) // where the word's postings go in post
	total := 0
	for w := range keys {
		start[w+1] = start[w] + counts[w]
		at[w] = total
		total += bytesOf[w]
	}
	if total > math.MaxUint32 {
		return nil, fmt.Errorf("sökindex: orden har %d byte positioner, fler än indexet kan numrera", total)
	}
	wordAt := slices.Clone(at)
	// Each run's first place for each word, in place of its counts.
	fill := slices.Clone(start[:len(keys)])
	for r := range parts {
		pr := &parts[r]
		for w := range keys {
			c, b := pr.counts[w], pr.bytes[w]
			pr.counts[w], pr.bytes[w] = fill[w], uint32(at[w])
			fill[w] += c
			at[w] += int(b)
		}
	}
	post := make([]byte, total)
	refPage := make([]uint32, start[len(keys)])
	inParallel(runs, func(r int) {
		parts[r].copy(pageRun(r), r*len(pages)/runs, post, refPage)
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
	wordSize := make([]int, len(keys)) // the word's locations, as Pagefind counts them for chunking
	hasForms := make([]bool, len(keys))
	for _, pr := range parts {
		for w := range keys {
			wordSize[w] += int(pr.size[w])
			hasForms[w] = hasForms[w] || pr.forms[w]
		}
	}
	var order []uint32
	for w := range keys {
		if counts[w] > 0 {
			order = append(order, uint32(w))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(keys[a], keys[b]) })

	// A page's metadata field ids, as ids among all fields.
	remap := make([][]int64, len(pages))
	for i, p := range pages {
		r := make([]int64, len(p.fields))
		for j, f := range p.fields {
			r[j] = int64(fieldIndex[f])
		}
		remap[i] = r
	}

	// Chunks: a chunk ends after the word that brings it to chunkSize.
	sizes := make([]int, len(order))
	var rs []uint64
	var formOf []uint32
	for i, w := range order {
		sizes[i] = wordSize[w]
		if hasForms[w] {
			var forms []uint32
			rs, formOf = refs(w, rs, formOf)
			for _, f := range formOf {
				if f != 0 && !slices.Contains(forms, f) {
					forms = append(forms, f)
				}
			}
			sizes[i] += len(forms)
		}
	}
	type span struct{ from, to int } // in order
	var spans []span
	size, first := 0, 0
	for i := range order {
		size += sizes[i]
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
	}
	for i := 0; i+1 < len(chunks); i++ {
		a, b := prefixes(chunks[i].to, chunks[i+1].from)
		if a >= chunks[i].from {
			chunks[i].to = a
		}
		chunks[i+1].from = b
	}

	x.forms.mu.Lock()
	forms := x.forms.strs[:len(x.forms.strs):len(x.forms.strs)]
	x.forms.mu.Unlock()
	// Each chunk is encoded, hashed and compressed on its own, so that
	// only the compressed chunks are held at once.
	compressed := make([][]byte, len(spans))
	sums := make([][sha1.Size]byte, len(spans))
	if err := parallel(len(spans), func(i int) error {
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
		return nil, err
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
	return chunks, err
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

// wordRun numbers and copies the postings of a run of pages for
// writeWords.
type wordRun struct {
	// counts and bytes are, per word, the run's postings and their bytes;
	// then where the run's first posting of the word goes in refPage and
	// in post, and, as copy goes, the next.
	counts, bytes []uint32
	size          []uint32 // per word, the run's locations and metadata locations, plus one per page
	forms         []bool   // per word, whether a page of the run has it with diacritics
}

// count counts the postings of the run's pages per word (of n words).
func (wr *wordRun) count(pages []*page, n int) {
	wr.counts, wr.bytes = make([]uint32, n), make([]uint32, n)
	for _, p := range pages {
		for off := 0; off < len(p.post); {
			h := readHeader(p.post, off)
			wr.counts[h.key]++
			wr.bytes[h.key] += uint32(h.next - off)
			off = h.next
		}
	}
}

// copy copies the postings of the run's pages, numbered from first, to
// where counts and bytes say, noting each posting's page number in
// refPage.
func (wr *wordRun) copy(pages []*page, first int, post []byte, refPage []uint32) {
	wr.size, wr.forms = make([]uint32, len(wr.counts)), make([]bool, len(wr.counts))
	for i, p := range pages {
		for off := 0; off < len(p.post); {
			h := readHeader(p.post, off)
			k, at := wr.counts[h.key], wr.bytes[h.key]
			refPage[k] = uint32(first + i)
			wr.bytes[h.key] += uint32(copy(post[at:], p.post[off:h.next]))
			wr.counts[h.key]++
			wr.size[h.key] += h.nLocs + h.nMeta + 1
			if h.form != 0 {
				wr.forms[h.key] = true
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
