package site

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/par"
	"github.com/exempelbanken/portal/builder/internal/stable"
)

// Related-case ranking. Each case is a set of features (investment models,
// target groups, focus areas, kommuner, län, case type), each weighted by
// its kind (site.yaml related: weights) and by how rare it is (an inverse
// document frequency). Candidates come from inverted indexes, rarest
// feature first; very common features contribute only a bounded,
// deterministic sample of candidates, so the cost per case is bounded and
// the whole computation grows linearly with the number of cases.

const (
	commonCap    = 250 // a posting list longer than this is sampled
	sampleSize   = 40  // candidates taken from a sampled list
	maxCandidate = 250 // stop collecting candidates after this many
)

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// relatedCases returns, per case, up to k related cases: explicit related:
// entries first, then the best-scoring others. Ties are broken by the site
// order (Swedish title order), so the result is deterministic.
func relatedCases(s *content.Site, k int) map[*content.Case][]*content.Case {
	x := newRelatedIndex(s)
	n := len(s.Cases)
	results := make([][]*content.Case, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sc := x.scratch()
			for i := w; i < n; i += workers {
				res := append([]*content.Case(nil), s.Cases[i].Related...)
				if len(res) > k {
					res = res[:k]
				}
				if len(res) < k && len(x.features(i)) > 0 {
					res = append(res, x.top(i, k-len(res), res, sc)...)
				}
				results[i] = res
			}
		}(w)
	}
	wg.Wait()
	out := make(map[*content.Case][]*content.Case, n)
	for i, c := range s.Cases {
		out[c] = results[i]
	}
	return out
}

// relatedMemo keeps the related cases of an incremental Builder's last
// build, by position in the site's order, with a key over everything
// they are ranked from: the cases in order, each one's features and
// explicit related cases, the weights. A front-matter edit that changes
// none of them (a summary, a date) reuses the ranking.
type relatedMemo struct {
	key uint64
	k   int
	idx [][]int32 // by case: its related cases' positions
	// features holds each case's featureHash by file, with the
	// content.Case.ResolveKey it was made for; kept only when not nil
	// (the preview's memo, not a one-off build's).
	features map[string]keyedHash
}

// keyedHash is a hash made from a case alone, with the case's
// content.Case.ResolveKey: valid while the key is the same.
type keyedHash struct{ key, hash uint64 }

// hashCases returns hash(c) for each case of cs: from last, by file, for a
// case whose ResolveKey is the one it was made for, else made (on every
// core). It also returns the hashes by file for the next build, or nil
// when last is nil (a memo that serves one build keeps none).
func hashCases(cs []*content.Case, last map[string]keyedHash, hash func(*content.Case) uint64) ([]uint64, map[string]keyedHash) {
	hs := make([]uint64, len(cs))
	par.For(len(cs), func(i int) {
		c := cs[i]
		if e, ok := last[c.File]; ok && e.key == c.ResolveKey() {
			hs[i] = e.hash
			return
		}
		hs[i] = hash(c)
	})
	if last == nil {
		return hs, nil
	}
	next := make(map[string]keyedHash, len(cs))
	for i, c := range cs {
		next[c.File] = keyedHash{c.ResolveKey(), hs[i]}
	}
	return hs, next
}

// related returns relatedCases(s, k), reused from the last build when
// its key is the same.
func (m *relatedMemo) related(s *content.Site, k int) map[*content.Case][]*content.Case {
	out, _ := m.rank(s, k)
	return out
}

// rank is related, and reports whether it ranked again.
func (m *relatedMemo) rank(s *content.Site, k int) (map[*content.Case][]*content.Case, bool) {
	if m == nil {
		relatedRanked.Add(1)
		return relatedCases(s, k), true
	}
	key := m.relatedKey(s)
	if m.key != key || m.k != k || len(m.idx) != len(s.Cases) {
		relatedRanked.Add(1)
		out := relatedCases(s, k)
		pos := make(map[*content.Case]int32, len(s.Cases))
		for i, c := range s.Cases {
			pos[c] = int32(i)
		}
		// The positions in one array, each case's a window of it: two
		// objects kept, not one per case.
		total := 0
		for _, c := range s.Cases {
			total += len(out[c])
		}
		flat := make([]int32, 0, total)
		m.key, m.k, m.idx = key, k, make([][]int32, len(s.Cases))
		for i, c := range s.Cases {
			start := len(flat)
			for _, r := range out[c] {
				flat = append(flat, pos[r])
			}
			m.idx[i] = flat[start:len(flat):len(flat)]
		}
		return out, true
	}
	// Likewise the lists: windows of one array, each with its own
	// capacity, so that an append to one cannot reach the next.
	total := 0
	for i := range s.Cases {
		total += len(m.idx[i])
	}
	all := make([]*content.Case, total)
	out := make(map[*content.Case][]*content.Case, len(s.Cases))
	for i, c := range s.Cases {
		rs := all[:len(m.idx[i]):len(m.idx[i])]
		all = all[len(m.idx[i]):]
		for j, p := range m.idx[i] {
			rs[j] = s.Cases[p]
		}
		out[c] = rs
	}
	return out, false
}

// relatedRanked counts the times relatedMemo ranked the cases (for the
// tests).
var relatedRanked atomic.Int64

// relatedKey hashes what relatedCases ranks from, the same way in every
// process (relatedStore keeps the ranking between builds): the weights and
// each case's featureHash, taken from m (when not nil) for a case that
// resolves as it did in the last build. The memo then holds this build's.
func (m *relatedMemo) relatedKey(s *content.Site) uint64 {
	w := s.Config.RelatedWeights
	b := make([]byte, 0, 8*len(s.Cases)+128)
	for _, f := range []float64{w.InvestmentModel, w.TargetGroup, w.FocusArea, w.Municipality, w.Region, w.CaseType} {
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
		b = append(b, 0)
	}
	var last map[string]keyedHash
	if m != nil {
		last = m.features
	}
	hs, next := hashCases(s.Cases, last, func(c *content.Case) uint64 { return featureHash(c, w) })
	for _, h := range hs {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	if next != nil {
		m.features = next
	}
	return stable.Sum64(b)
}

// featuresHashed counts the calls of featureHash (for the tests).
var featuresHashed atomic.Int64

// featureHash hashes what c brings to the ranking: its slug, its features
// and its explicit related cases. (The weights, which eachFeature passes,
// are in relatedKey.)
func featureHash(c *content.Case, w content.RelatedWeights) uint64 {
	featuresHashed.Add(1)
	b := make([]byte, 0, 256)
	str := func(ss ...string) {
		for _, x := range ss {
			b = append(b, x...)
			b = append(b, 0)
		}
	}
	str("case", c.Slug)
	eachFeature(c, w, func(_ any, kind, name string, _ float64) { str(kind, name) })
	for _, r := range c.Related {
		str("r", r.Slug)
	}
	return stable.Sum64(b)
}

// eachFeature calls f with each feature of c for the ranking: the value
// itself (its identity in one build), its kind and a name that is the
// same in every build, and its kind's weight.
func eachFeature(c *content.Case, w content.RelatedWeights, f func(id any, kind, name string, weight float64)) {
	for _, t := range c.InvestmentModels {
		f(t, "m", t.Slug, w.InvestmentModel)
	}
	for _, v := range c.TargetGroups {
		f(v, "t", v.Slug, w.TargetGroup)
	}
	for _, v := range c.FocusAreas {
		f(v, "f", v.Slug, w.FocusArea)
	}
	for _, m := range c.Municipalities {
		f(m, "k", m.Code, w.Municipality)
	}
	for _, l := range c.Regions {
		f(l, "l", l.Code, w.Region)
	}
	if c.CaseType != nil {
		f(c.CaseType, "c", c.CaseType.Slug, w.CaseType)
	}
}

// relatedIndex holds every case's features and, per feature, the cases
// that have it (its posting list), with the feature's weight.
type relatedIndex struct {
	cases    []*content.Case
	pos      map[*content.Case]int // index in cases
	feats    []int32               // every case's sorted feature ids, end to end
	off      []int32               // case i's features are feats[off[i]:off[i+1]]
	postings [][]int32             // by feature id: the cases that have it, in site order
	weight   []float64             // by feature id: its kind's weight times its rarity
}

// newRelatedIndex indexes the features of every case: a feature is a
// vocabulary value, model, kommun or län, known by its pointer; ids are
// given in order of first use.
func newRelatedIndex(s *content.Site) *relatedIndex {
	w := s.Config.RelatedWeights
	n := len(s.Cases)
	x := &relatedIndex{cases: s.Cases, pos: make(map[*content.Case]int, n), off: make([]int32, n+1)}
	for i, c := range s.Cases {
		x.pos[c] = i
	}
	ids := map[any]int{}
	var kindW []float64
	feat := func(key any, weight float64) int {
		if id, ok := ids[key]; ok {
			return id
		}
		ids[key] = len(kindW)
		kindW = append(kindW, weight)
		return len(kindW) - 1
	}
	// End to end in one array: ranking compares each case with hundreds
	// of others in random order, and small, contiguous ids keep that
	// within the processor's caches.
	x.feats = make([]int32, 0, n*8)
	var f []int
	for i, c := range s.Cases {
		f = f[:0]
		eachFeature(c, w, func(id any, _, _ string, weight float64) { f = append(f, feat(id, weight)) })
		sort.Ints(f)
		for _, id := range dedupe(f) {
			x.feats = append(x.feats, int32(id))
		}
		x.off[i+1] = int32(len(x.feats))
	}
	x.postings = make([][]int32, len(kindW))
	for i := 0; i < n; i++ {
		for _, id := range x.features(i) {
			x.postings[id] = append(x.postings[id], int32(i))
		}
	}
	x.weight = make([]float64, len(kindW))
	for id := range kindW {
		x.weight[id] = kindW[id] * (1 + math.Log(float64(n)/float64(len(x.postings[id]))))
	}
	return x
}

// features returns case i's sorted feature ids.
func (x *relatedIndex) features(i int) []int32 { return x.feats[x.off[i]:x.off[i+1]] }

// relatedScratch is one worker's buffers, reused from case to case.
type relatedScratch struct {
	score []float64 // by case
	seen  []bool    // by case: already a candidate
	// mine[id] is the weight of feature id when the case being ranked has
	// it, else 0: scoring a candidate is then a sum over its features,
	// with no merge of two lists (and the same sum, in the same order).
	mine            []float64
	cands, explicit []int32
}

func (x *relatedIndex) scratch() *relatedScratch {
	return &relatedScratch{score: make([]float64, len(x.cases)), seen: make([]bool, len(x.cases)), mine: make([]float64, len(x.weight))}
}

// candidates collects the cases that share a feature with case i, rarest
// feature first; a feature with more than commonCap cases contributes a
// deterministic sample of sampleSize of them, and collecting stops at
// maxCandidate. The cases are marked in sc.seen.
func (x *relatedIndex) candidates(i int, sc *relatedScratch) []int32 {
	order := append([]int32(nil), x.features(i)...)
	sort.SliceStable(order, func(a, b int) bool { return len(x.postings[order[a]]) < len(x.postings[order[b]]) })
	cands := sc.cands[:0]
	add := func(j int32) {
		if !sc.seen[j] {
			sc.seen[j] = true
			cands = append(cands, j)
		}
	}
	for _, id := range order {
		p := x.postings[id]
		if len(p) <= commonCap {
			for _, j := range p {
				add(j)
			}
		} else {
			start := int(uint64(i) * 2654435761 % uint64(len(p)))
			for t := 0; t < sampleSize; t++ {
				add(p[(start+t)%len(p)])
			}
		}
		if len(cands) >= maxCandidate {
			break
		}
	}
	sc.cands = cands
	return cands
}

// top returns the want best-scoring candidates for case i, leaving out
// the case itself and those already in explicit: higher score first, then
// the earlier case in site order.
func (x *relatedIndex) top(i, want int, explicit []*content.Case, sc *relatedScratch) []*content.Case {
	cands := x.candidates(i, sc)
	sc.explicit = sc.explicit[:0]
	for _, r := range explicit {
		sc.explicit = append(sc.explicit, int32(x.pos[r]))
	}
	skip := func(j int32) bool {
		if int(j) == i {
			return true
		}
		for _, r := range sc.explicit {
			if r == j {
				return true
			}
		}
		return false
	}
	score := sc.score
	better := func(a, b int32) bool {
		if score[a] != score[b] {
			return score[a] > score[b]
		}
		return a < b
	}
	// Keep the best want candidates in one pass.
	top := make([]int32, 0, want)
	for _, id := range x.features(i) {
		sc.mine[id] = x.weight[id]
	}
	for _, j := range cands {
		sc.seen[j] = false
		score[j] = sharedWeight(x.features(int(j)), sc.mine)
		if score[j] <= 0 || skip(j) {
			continue
		}
		if len(top) == want && !better(j, top[want-1]) {
			continue
		}
		if len(top) < want {
			top = append(top, j)
		} else {
			top[want-1] = j
		}
		for p := len(top) - 1; p > 0 && better(top[p], top[p-1]); p-- {
			top[p], top[p-1] = top[p-1], top[p]
		}
	}
	for _, id := range x.features(i) {
		sc.mine[id] = 0
	}
	out := make([]*content.Case, len(top))
	for n, j := range top {
		out[n] = x.cases[j]
	}
	return out
}

func dedupe(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// sharedWeight sums mine over the features b: the weight of the features
// b shares with the case mine was filled for.
func sharedWeight(b []int32, mine []float64) float64 {
	var sum float64
	for _, id := range b {
		sum += mine[id]
	}
	return sum
}
