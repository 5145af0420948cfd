package pagefind

// wordTotals holds, for the pages of an Index, what the word index is cut
// into chunks by: per word the postings, their bytes and their locations,
// and per word and form (with diacritics) the postings. An Index keeps
// them up to date as pages come and go (Add, Write) and with its cache
// (Save, Load), so that a Write after a one-page change need not count the
// postings of every page (2.6 million at 10,000 cases) to find the
// chunks' bounds.
type wordTotals struct {
	words []wordTotal
	forms map[uint64]int32 // word<<32 | form (not 0) → postings
}

// wordTotal is what wordTotals holds of one word: all the pages' postings
// of it, their bytes, and their locations and metadata locations plus one
// per posting (Pagefind's measure for cutting chunks).
type wordTotal struct {
	count, bytes, size uint32
}

func newWordTotals() *wordTotals { return &wordTotals{forms: map[uint64]int32{}} }

// add adds a page's postings to the totals, or takes them away (sign -1).
// Unsigned sums wrap: taking away what was added gives the sums back.
func (wt *wordTotals) add(post []byte, sign int32) {
	for off := 0; off < len(post); {
		h := readHeader(post, off)
		if int(h.key) >= len(wt.words) {
			wt.words = append(wt.words, make([]wordTotal, int(h.key)+1-len(wt.words))...)
		}
		t := &wt.words[h.key]
		t.count += uint32(sign)
		t.bytes += uint32(sign) * uint32(h.next-off)
		t.size += uint32(sign) * (h.nLocs + h.nMeta + 1)
		if h.form != 0 {
			k := uint64(h.key)<<32 | uint64(h.form)
			if n := wt.forms[k] + sign; n != 0 {
				wt.forms[k] = n
			} else {
				delete(wt.forms, k)
			}
		}
		off = h.next
	}
}

// totalsOf counts the postings of pages, read into their post fields.
func totalsOf(pages []*page) *wordTotals {
	wt := newWordTotals()
	for _, p := range pages {
		wt.add(p.post, 1)
	}
	return wt
}

// of returns the total of word w (none past the words counted).
func (wt *wordTotals) of(w int) wordTotal {
	if w < len(wt.words) {
		return wt.words[w]
	}
	return wordTotal{}
}

// formsPerWord returns, for each of n words, how many forms its postings
// have.
func (wt *wordTotals) formsPerWord(n int) []int {
	out := make([]int, n)
	for k := range wt.forms {
		if w := int(k >> 32); w < n {
			out[w]++
		}
	}
	return out
}
