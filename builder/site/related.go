package site

import (
	"hash/fnv"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/exempelbanken/portal/builder/content"
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
	w := s.Config.RelatedWeights
	n := len(s.Cases)
	idx := make(map[*content.Case]int, n)
	for i, c := range s.Cases {
		idx[c] = i
	}
	// A feature is a vocabulary value, model, kommun or län, known by its
	// pointer; ids are given in order of first use.
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
	// Every case's sorted feature ids, end to end in one array: ranking
	// compares each case with hundreds of others in random order, and
	// small, contiguous ids keep that within the processor's caches.
	feats := make([]int32, 0, n*8)
	off := make([]int32, n+1)
	var f []int
	for i, c := range s.Cases {
		f = f[:0]
		for _, t := range c.InvestmentModels {
			f = append(f, feat(t, w.InvestmentModel))
		}
		for _, v := range c.TargetGroups {
			f = append(f, feat(v, w.TargetGroup))
		}
		for _, v := range c.FocusAreas {
			f = append(f, feat(v, w.FocusArea))
		}
		for _, m := range c.Municipalities {
			f = append(f, feat(m, w.Municipality))
		}
		for _, l := range c.Regions {
			f = append(f, feat(l, w.Region))
		}
		if c.CaseType != nil {
			f = append(f, feat(c.CaseType, w.CaseType))
		}
		sort.Ints(f)
		for _, id := range dedupe(f) {
			feats = append(feats, int32(id))
		}
		off[i+1] = int32(len(feats))
	}
	raw := func(i int) []int32 { return feats[off[i]:off[i+1]] }
	postings := make([][]int32, len(kindW))
	for i := 0; i < n; i++ {
		for _, id := range raw(i) {
			postings[id] = append(postings[id], int32(i))
		}
	}
	weight := make([]float64, len(kindW))
	for id := range kindW {
		weight[id] = kindW[id] * (1 + math.Log(float64(n)/float64(len(postings[id]))))
	}
	results := make([][]*content.Case, n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			score := make([]float64, n)
			seen := make([]bool, n)
			// mine[id] is the weight of feature id when case i has it, else
			// 0: scoring a candidate is then a sum over its features, with
			// no merge of two lists (and the same sum, in the same order).
			mine := make([]float64, len(kindW))
			var cands, explicit []int32
			for i := w; i < n; i += workers {
				c := s.Cases[i]
				res := append([]*content.Case(nil), c.Related...)
				if len(res) > k {
					res = res[:k]
				}
				if len(res) < k && len(raw(i)) > 0 {
					order := append([]int32(nil), raw(i)...)
					sort.SliceStable(order, func(a, b int) bool { return len(postings[order[a]]) < len(postings[order[b]]) })
					cands = cands[:0]
					for _, id := range order {
						p := postings[id]
						if len(p) <= commonCap {
							for _, j := range p {
								if !seen[j] {
									seen[j] = true
									cands = append(cands, j)
								}
							}
						} else {
							start := int(uint64(i) * 2654435761 % uint64(len(p)))
							for t := 0; t < sampleSize; t++ {
								j := p[(start+t)%len(p)]
								if !seen[j] {
									seen[j] = true
									cands = append(cands, j)
								}
							}
						}
						if len(cands) >= maxCandidate {
							break
						}
					}
					explicit = explicit[:0]
					for _, r := range res {
						explicit = append(explicit, int32(idx[r]))
					}
					skip := func(j int32) bool {
						if int(j) == i {
							return true
						}
						for _, r := range explicit {
							if r == j {
								return true
							}
						}
						return false
					}
					// Keep the best k-len(res) candidates in one pass: higher
					// score first, then the earlier case in site order.
					want := k - len(res)
					top := make([]int32, 0, want)
					better := func(x, y int32) bool {
						if score[x] != score[y] {
							return score[x] > score[y]
						}
						return x < y
					}
					for _, id := range raw(i) {
						mine[id] = weight[id]
					}
					for _, j := range cands {
						seen[j] = false
						score[j] = sharedWeight(raw(int(j)), mine)
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
					for _, id := range raw(i) {
						mine[id] = 0
					}
					for _, j := range top {
						res = append(res, s.Cases[j])
					}
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
