package pagefind

import (
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// wordPos is one occurrence of a word in the text: its position (the
// index of the whitespace-delimited word) and its weight (24 per unit of
// data-pagefind-weight).
type wordPos struct {
	pos    uint32
	weight uint8
}

// metaPos is one occurrence of a word in a metadata field: the field's
// index among the page's sorted field names, and the word's position in it.
type metaPos struct {
	field uint16
	pos   uint32
}

// wordEntry gathers a page's occurrences of one key and form.
type wordEntry struct {
	locs []wordPos
	meta []metaPos
}

type formKey struct{ key, form string } // form "" for a word without diacritics

// anchor is an element with an id in the indexed text.
type anchor struct {
	Element  string  `json:"element"`
	ID       string  `json:"id"`
	Text     string  `json:"text"`
	Title    *string `json:"title,omitempty"`
	Location uint32  `json:"location"`
}

// digest is Pagefind's parse_digest: the page's words with their positions
// and weights, its content as shown in excerpts, its anchors and word count.
func digest(p *parsed, wc *wordCache, words *pageWords) (content string, anchors []anchor, wordCount int) {
	var b strings.Builder
	b.Grow(len(p.digest))
	total, maxIndex := 0, 0
	weights := []uint8{24}
	for _, word := range strings.Fields(p.digest) {
		if word[0] == '_' {
			switch {
			case strings.HasPrefix(word, "___PAGEFIND_ANCHOR___"):
				if el, id, ok := strings.Cut(strings.ReplaceAll(word, "___PAGEFIND_ANCHOR___", ""), ":"); ok {
					text := normalize(normalize(p.anchorContent[id]))
					var title *string
					if t, ok := p.anchorTitles[id]; ok {
						title = &t
					}
					if _, elementID, ok := strings.Cut(id, ":"); ok {
						anchors = append(anchors, anchor{Element: el, ID: elementID, Text: text, Location: uint32(total), Title: title})
					}
				}
				continue
			case strings.HasPrefix(word, "___PAGEFIND_WEIGHT___"):
				w, err := strconv.ParseFloat(strings.ReplaceAll(word, "___PAGEFIND_WEIGHT___", ""), 32)
				if err != nil {
					w = 1
				}
				if w <= 0 {
					weights = append(weights, 0)
				} else {
					weights = append(weights, max(scaleWeight(w), 1))
				}
				continue
			case strings.HasPrefix(word, "___PAGEFIND_AUTO_WEIGHT___"):
				if len(weights) == 1 {
					w, err := strconv.ParseFloat(strings.ReplaceAll(word, "___PAGEFIND_AUTO_WEIGHT___", ""), 32)
					if err != nil {
						w = 1
					}
					weights = append(weights, scaleWeight(w))
				} else {
					weights = append(weights, weights[len(weights)-1])
				}
				continue
			case strings.HasPrefix(word, "___END_PAGEFIND_WEIGHT___"):
				if len(weights) > 0 {
					weights = weights[:len(weights)-1]
				}
				continue
			}
		}
		base := word
		if strings.Contains(base, "\u200B") {
			base = strings.ReplaceAll(base, "\u200B", "")
			if base == "" {
				continue
			}
		}
		b.WriteString(base)
		b.WriteByte(' ')
		weight := uint8(1)
		if len(weights) > 0 {
			weight = weights[len(weights)-1]
		}
		iws := wc.get(base)
		parts := 0
		for _, iw := range iws {
			if iw.part {
				parts++
			}
		}
		partial := uint8(0)
		if parts > 0 && weight > 0 {
			partial = max(weight/uint8(min(parts, 255)), 1)
		}
		for _, iw := range iws {
			w := weight
			if iw.part {
				w = partial
			}
			e := words.entry(formKey{iw.key, iw.original})
			e.locs = append(e.locs, wordPos{uint32(total), w})
		}
		maxIndex = total
		total++
	}
	content = strings.TrimSuffix(b.String(), " ")
	return content, anchors, maxIndex + 1
}

// scaleWeight is a data-pagefind-weight as Pagefind stores it: clamped to
// 0–10, times 24, truncated to a byte.
func scaleWeight(w float64) uint8 {
	w = min(max(float32Of(w), 0), 10) * 24
	return uint8(w)
}

func float32Of(w float64) float64 { return float64(float32(w)) }

// pageWords gathers the words of one page; it is reused page after page.
type pageWords struct {
	m    map[formKey]int
	list []wordEntry
	keys []formKey
}

func (pw *pageWords) reset() {
	if pw.m == nil {
		pw.m = map[formKey]int{}
	}
	clear(pw.m)
	for i := range pw.list {
		pw.list[i].locs = pw.list[i].locs[:0]
		pw.list[i].meta = pw.list[i].meta[:0]
	}
	pw.list = pw.list[:0]
	pw.keys = pw.keys[:0]
}

func (pw *pageWords) entry(k formKey) *wordEntry {
	i, ok := pw.m[k]
	if !ok {
		i = len(pw.list)
		pw.m[k] = i
		if len(pw.list) < cap(pw.list) {
			pw.list = pw.list[:i+1]
		} else {
			pw.list = append(pw.list, wordEntry{})
		}
		pw.keys = append(pw.keys, k)
	}
	return &pw.list[i]
}

// wordCache keeps the keys of the words seen (words repeat from page to
// page), up to a limit.
type wordCache struct {
	stem   func(string) string
	shards [64]struct {
		mu sync.RWMutex
		m  map[string][]indexWord
	}
}

const wordCacheMax = 1 << 14 // words per shard

func (wc *wordCache) get(raw string) []indexWord {
	h := uint32(2166136261)
	for i := 0; i < len(raw); i++ {
		h = (h ^ uint32(raw[i])) * 16777619
	}
	sh := &wc.shards[h%uint32(len(wc.shards))]
	sh.mu.RLock()
	iws, ok := sh.m[raw]
	sh.mu.RUnlock()
	if ok {
		return iws
	}
	iws = indexable(raw, wc.stem, nil)
	sh.mu.Lock()
	if sh.m == nil {
		sh.m = map[string][]indexWord{}
	}
	if len(sh.m) < wordCacheMax {
		sh.m[strings.Clone(raw)] = iws
	}
	sh.mu.Unlock()
	return iws
}

// metaWords adds the words of the page's metadata fields (in the order of
// the sorted field names) to words.
func metaWords(fields []string, meta map[string]string, wc *wordCache, words *pageWords) {
	for id, name := range fields {
		for i, w := range strings.Fields(meta[name]) {
			for _, iw := range wc.get(w) {
				e := words.entry(formKey{iw.key, iw.original})
				e.meta = append(e.meta, metaPos{uint16(id), uint32(i)})
			}
		}
	}
}

// packLocs is Pagefind's positions_to_packed_page: positions grouped by
// weight (the default weight first), each group opened by the marker
// -(weight+1) and its positions written as differences.
func packLocs(locs []wordPos, out []int64) []int64 {
	slices.SortStableFunc(locs, func(a, b wordPos) int {
		wa, wb := int(a.weight), int(b.weight)
		if wa == 25 {
			wa = 0
		}
		if wb == 25 {
			wb = 0
		}
		if wa != wb {
			return wa - wb
		}
		return int(a.pos) - int(b.pos)
	})
	current, last := uint8(25), uint32(0)
	for _, l := range locs {
		if l.weight != current {
			out = append(out, -int64(l.weight)-1, int64(l.pos))
			current = l.weight
		} else {
			out = append(out, int64(l.pos-last))
		}
		last = l.pos
	}
	return out
}

// packMeta is Pagefind's meta_positions_to_packed: the marker -(field+1)
// before each field's positions, written as differences from 0.
func packMeta(meta []metaPos, out []int64) []int64 {
	slices.SortStableFunc(meta, func(a, b metaPos) int {
		if a.field != b.field {
			return int(a.field) - int(b.field)
		}
		return int(a.pos) - int(b.pos)
	})
	current, last := -1, uint32(0)
	for _, m := range meta {
		if int(m.field) != current {
			out = append(out, -int64(m.field)-1)
			current, last = int(m.field), 0
		}
		out = append(out, int64(m.pos-last))
		last = m.pos
	}
	return out
}

// Postings of a page are kept varint-coded: for each key and form, a
// header (the key's and the form's ids, the number of locations and of
// metadata locations, the length of what follows) and the packed
// locations and metadata locations as zigzag varints.

func appendPosting(b []byte, key, form uint32, locs, meta []int64) []byte {
	b = binary.AppendUvarint(b, uint64(key))
	b = binary.AppendUvarint(b, uint64(form))
	b = binary.AppendUvarint(b, uint64(len(locs)))
	b = binary.AppendUvarint(b, uint64(len(meta)))
	n := 0
	for _, v := range locs {
		n += varintLen(v)
	}
	for _, v := range meta {
		n += varintLen(v)
	}
	b = binary.AppendUvarint(b, uint64(n))
	for _, v := range locs {
		b = binary.AppendVarint(b, v)
	}
	for _, v := range meta {
		b = binary.AppendVarint(b, v)
	}
	return b
}

func varintLen(v int64) int {
	var tmp [binary.MaxVarintLen64]byte
	return binary.PutVarint(tmp[:], v)
}

// header is a posting's header: body is where its values start, next
// where the next posting does.
type header struct {
	key, form, nLocs, nMeta uint32
	body, next              int
}

func readHeader(b []byte, off int) header {
	// The five varints decoded in one loop: a call to a decoder
	// for each took 23 ns a posting, this 13 ns (BenchmarkPostingHeaders).
	// At 10,000 cases the word index reads 2.6 million postings' headers
	// twice after a one-page change, to count them and to copy those it
	// needs.
	var v [5]uint32
	for i := range v {
		c := b[off]
		off++
		x := uint32(c & 0x7f)
		for shift := 7; c >= 0x80; shift += 7 {
			c = b[off]
			off++
			x |= uint32(c&0x7f) << shift
		}
		v[i] = x
	}
	return header{key: v[0], form: v[1], nLocs: v[2], nMeta: v[3], body: off, next: off + int(v[4])}
}

// readValues decodes a posting's locations and metadata locations into
// scratch.
func readValues(b []byte, h header, scratch []int64) (locs, meta, out []int64) {
	scratch = scratch[:0]
	off := h.body
	for range h.nLocs + h.nMeta {
		v, k := binary.Varint(b[off:])
		off += k
		scratch = append(scratch, v)
	}
	return scratch[:h.nLocs], scratch[h.nLocs:], scratch
}
