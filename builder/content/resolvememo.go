package content

import (
	"bytes"
	"encoding/binary"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/stable"
)

// resolveMemo keeps how each case of the last load was resolved, for the
// next load of the same cache (the preview's, after an edit): a case
// whose file is unchanged (its Hash) and whose context is the same
// (contextSig: the data files, the glossary, the cases' addresses and
// drafts) resolves to the same municipalities, values, models and related
// cases, so its front matter need not be read again. Only cases resolved
// without an error are kept.
type resolveMemo struct {
	mu  sync.Mutex // guards the fields; a map, once set, is never changed
	ctx uint64
	m   map[string]resolvedCase
	// order is the position of each published case's file in the last
	// sorted order (sortLike).
	order map[string]int32
}

// sortLike puts cs (a load's published cases) in the order of the last
// load, if they are the same files and that order is still sorted by
// title key, then slug (sortDocs), and reports whether it did. Slugs are
// unique, so that order is total: sorted, it is the order sortDocs gives.
// A nil memo does nothing.
func (m *resolveMemo) sortLike(cs []*Case) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	order := m.order
	m.mu.Unlock()
	if len(order) != len(cs) || len(cs) == 0 {
		return false
	}
	out := make([]*Case, len(cs))
	for _, c := range cs {
		i, ok := order[c.File]
		if !ok || out[i] != nil {
			return false
		}
		out[i] = c
	}
	for i := 1; i < len(out); i++ {
		if compareDocs(&out[i-1].Doc, &out[i].Doc) >= 0 {
			return false
		}
	}
	copy(cs, out)
	return true
}

// keepOrder remembers the order of cs, just sorted, for sortLike.
func (m *resolveMemo) keepOrder(cs []*Case) {
	if m == nil {
		return
	}
	order := make(map[string]int32, len(cs))
	for i, c := range cs {
		order[c.File] = int32(i)
	}
	m.mu.Lock()
	m.order = order
	m.mu.Unlock()
}

// compareDocs orders documents as sortDocs does: by title key, then slug.
func compareDocs(a, b *Doc) int {
	if c := bytes.Compare(a.TitleKey(), b.TitleKey()); c != 0 {
		return c
	}
	return strings.Compare(a.Slug, b.Slug)
}

// resolvedCase is one case's resolution, by positions in the site's data
// (which contextSig covers) and by slugs. The positions are in one slice,
// a kind after the other (n: how many of each), so that a case kept in
// the memo is a few objects, not one per kind: the preview keeps one per
// case, and the collector visits each.
type resolvedCase struct {
	ok       bool
	hash     uint64  // the file's (Doc.Hash)
	idx      []int32 // the positions, in the order of the resolved* kinds
	n        [resolvedKinds]uint16
	caseType int32    // -1: none
	related  []string // slugs of the cases named, published or not
}

// The kinds of position in resolvedCase.idx, in their order there.
const (
	resolvedMunicipalities = iota // in Site.Kommuner
	resolvedRegions               // the explicit ones, in Site.Lan
	resolvedTargetGroups          // in the vocabulary's Values
	resolvedFocusAreas
	resolvedModels // the terms named, published or not, in the load's terms (their files are in the context)
	resolvedKinds
)

// of returns the positions of kind.
func (rc *resolvedCase) of(kind int) []int32 {
	start := 0
	for k := range kind {
		start += int(rc.n[k])
	}
	return rc.idx[start : start+int(rc.n[kind]) : start+int(rc.n[kind])]
}

// in returns the resolutions of the last load if it had the context ctx,
// else nil.
func (m *resolveMemo) in(ctx uint64) map[string]resolvedCase {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ctx != ctx {
		return nil
	}
	return m.m
}

// set makes the resolutions of this load the memo: got[i] is that of
// cases[i] (not ok: none).
func (m *resolveMemo) set(ctx uint64, cases []*Case, got []resolvedCase) {
	next := make(map[string]resolvedCase, len(cases))
	for i, c := range cases {
		if got[i].ok {
			next[c.File] = got[i]
		}
	}
	m.mu.Lock()
	m.ctx, m.m = ctx, next
	m.mu.Unlock()
}

// contextSig is a hash of everything a case's resolution reads besides its
// own file: the data files (DataHash: site.yaml, the vocabularies, the
// municipalities, the source register), whether drafts are included, every
// term's file and every case's slug and draft state, and the drafts left
// out. (The year, which dates a status, is applied anew each load.)
func (r *resolution) contextSig() uint64 {
	b := make([]byte, 0, 64*(len(r.cases)+len(r.terms)))
	b = binary.LittleEndian.AppendUint64(b, r.s.DataHash)
	b = append(b, boolByte(r.s.Drafts))
	for _, t := range r.terms {
		b = append(b, t.File...)
		b = binary.LittleEndian.AppendUint64(append(b, 0), t.Hash)
	}
	for _, c := range r.cases {
		b = append(b, c.Slug...)
		b = append(b, 0, boolByte(c.Draft))
	}
	for _, d := range slices.Sorted(maps.Keys(r.s.draftSlugs)) {
		b = append(append(b, d...), 0)
	}
	return stable.Sum64(b)
}

// resolveKey is Case.ResolveKey: a hash of the context, the year and the
// file's hash, never 0.
func resolveKey(ctx, year, hash uint64) uint64 {
	var b [24]byte
	binary.LittleEndian.PutUint64(b[0:], ctx)
	binary.LittleEndian.PutUint64(b[8:], year)
	binary.LittleEndian.PutUint64(b[16:], hash)
	return max(stable.Sum64(b[:]), 1)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// resolveIndex finds the positions of the site's data (resolvedCase).
type resolveIndex struct {
	kommun map[*Kommun]int32
	lan    map[*Lan]int32
	value  map[*Value]int32
	term   map[*Term]int32 // in resolution.terms
}

func (r *resolution) newResolveIndex() *resolveIndex {
	ix := &resolveIndex{kommun: make(map[*Kommun]int32, len(r.s.Kommuner)), lan: make(map[*Lan]int32, len(r.s.Lan)),
		value: map[*Value]int32{}, term: make(map[*Term]int32, len(r.terms))}
	for i, t := range r.terms {
		ix.term[t] = int32(i)
	}
	for i, k := range r.s.Kommuner {
		ix.kommun[k] = int32(i)
	}
	for i, l := range r.s.Lan {
		ix.lan[l] = int32(i)
	}
	for _, v := range r.s.Vocab {
		for i, x := range v.Values {
			ix.value[x] = int32(i)
		}
	}
	return ix
}

// record returns the resolution of c, just resolved; one that is not ok
// when c names more of a kind than resolvedCase counts (65,535): such a
// case is resolved anew each load.
func (ix *resolveIndex) record(c *Case) resolvedCase {
	rc := resolvedCase{ok: true, hash: c.Hash, caseType: -1, related: c.RelatedSlugs}
	counts := [resolvedKinds]int{len(c.Municipalities), len(c.ExplicitRegions), len(c.TargetGroups), len(c.FocusAreas), len(c.InvestmentModels)}
	total := 0
	for k, n := range counts {
		if n > math.MaxUint16 {
			return resolvedCase{}
		}
		rc.n[k] = uint16(n)
		total += n
	}
	if total > 0 {
		rc.idx = make([]int32, 0, total)
	}
	for _, k := range c.Municipalities {
		rc.idx = append(rc.idx, ix.kommun[k])
	}
	for _, l := range c.ExplicitRegions {
		rc.idx = append(rc.idx, ix.lan[l])
	}
	for _, v := range c.TargetGroups {
		rc.idx = append(rc.idx, ix.value[v])
	}
	for _, v := range c.FocusAreas {
		rc.idx = append(rc.idx, ix.value[v])
	}
	for _, t := range c.InvestmentModels {
		rc.idx = append(rc.idx, ix.term[t])
	}
	if c.CaseType != nil {
		rc.caseType = ix.value[c.CaseType]
	}
	return rc
}

// resolvedArrays holds the resolved references of the cases a load takes
// from the memo, each kind in one array (applyResolved takes a window of
// each): five objects for the load instead of up to five for each case.
type resolvedArrays struct {
	kommuner []*Kommun
	lan      []*Lan
	values   []*Value
	terms    []*Term
	sources  []Source
}

// sizes returns how much of each kind the case c, resolved as rc,
// takes in resolvedArrays; nothing when rc is not ok.
func (rc *resolvedCase) sizes(c *Case) (kommuner, lan, values, terms, sources int) {
	if !rc.ok {
		return 0, 0, 0, 0, 0
	}
	m, r := int(rc.n[resolvedMunicipalities]), int(rc.n[resolvedRegions])
	return m, 2*r + m, int(rc.n[resolvedTargetGroups]) + int(rc.n[resolvedFocusAreas]), int(rc.n[resolvedModels]), len(c.Sources)
}

// newResolvedArrays returns arrays for the cases resolved as rcs (those
// not ok take none) and, for each, its windows of them.
func newResolvedArrays(cases []*Case, rcs []resolvedCase) []resolvedArrays {
	var nk, nl, nv, nt, ns int
	for i, c := range cases {
		k, l, v, t, src := rcs[i].sizes(c)
		nk, nl, nv, nt, ns = nk+k, nl+l, nv+v, nt+t, ns+src
	}
	total := resolvedArrays{make([]*Kommun, nk), make([]*Lan, nl), make([]*Value, nv), make([]*Term, nt), make([]Source, ns)}
	out := make([]resolvedArrays, len(rcs))
	for i, c := range cases {
		k, l, v, t, src := rcs[i].sizes(c)
		out[i] = resolvedArrays{total.kommuner[:0:k], total.lan[:0:l], total.values[:0:v], total.terms[:0:t], total.sources[:0:src]}
		total.kommuner, total.lan, total.values = total.kommuner[k:], total.lan[l:], total.values[v:]
		total.terms, total.sources = total.terms[t:], total.sources[src:]
	}
	return out
}

// applyResolved resolves c as the earlier load resolved it (rc), with the
// same outcome as resolveCase: the municipalities and regions, the
// vocabulary values, the models and related cases in the order written.
// Its sources and the dating of its status are worked out again (they are
// cheap, and the year may have changed). It reports false, and leaves c
// as it was, when rc names something this load does not have (which the
// context's hash rules out, short of a collision).
func (r *resolution) applyResolved(c *Case, rc resolvedCase, into resolvedArrays, errs *diag.List) bool {
	s := r.s
	if !r.has(rc) {
		return false
	}
	// Each kind goes into its window of into, which has room for it
	// (newResolvedArrays): the regions are the explicit ones, then the
	// explicit ones again followed by each municipality's län, once.
	munis, explicit := rc.of(resolvedMunicipalities), rc.of(resolvedRegions)
	if len(munis) > 0 {
		for _, i := range munis {
			into.kommuner = append(into.kommuner, s.Kommuner[i])
		}
		c.Municipalities = into.kommuner
	}
	if len(explicit)+len(munis) > 0 {
		for _, i := range explicit {
			into.lan = append(into.lan, s.Lan[i])
		}
		if len(explicit) > 0 {
			c.ExplicitRegions = into.lan[:len(explicit):len(explicit)]
		}
		c.Regions = append(into.lan[len(explicit):], c.ExplicitRegions...)
		for _, k := range c.Municipalities {
			c.Regions = appendUnique(c.Regions, k.Lan)
		}
	}
	c.Sources = r.citations(c.File, c.Sources, into.sources, errs)
	r.dateStatus(c)
	// The target groups and focus areas, likewise.
	groups, areas := rc.of(resolvedTargetGroups), rc.of(resolvedFocusAreas)
	for _, i := range groups {
		into.values = append(into.values, s.Vocab["target_group"].Values[i])
	}
	for _, i := range areas {
		into.values = append(into.values, s.Vocab["focus_area"].Values[i])
	}
	if len(groups) > 0 {
		c.TargetGroups = into.values[:len(groups):len(groups)]
	}
	if len(areas) > 0 {
		c.FocusAreas = into.values[len(groups):]
	}
	if rc.caseType >= 0 {
		c.CaseType = s.Vocab["case_type"].Values[rc.caseType]
	}
	if models := rc.of(resolvedModels); len(models) > 0 {
		for _, i := range models {
			into.terms = append(into.terms, r.terms[i])
		}
		c.InvestmentModels = into.terms
	}
	c.RelatedSlugs = slices.Clone(rc.related)
	for _, slug := range rc.related {
		if o := r.caseBySlug[slug]; s.published(&o.Doc) {
			c.Related = appendUnique(c.Related, o)
		}
	}
	return true
}

// has reports whether everything rc names is in this load.
func (r *resolution) has(rc resolvedCase) bool {
	s := r.s
	in := func(is []int32, n int) bool {
		for _, i := range is {
			if i < 0 || int(i) >= n {
				return false
			}
		}
		return true
	}
	vocab := func(name string) int {
		if v := s.Vocab[name]; v != nil {
			return len(v.Values)
		}
		return 0
	}
	if !in(rc.of(resolvedMunicipalities), len(s.Kommuner)) || !in(rc.of(resolvedRegions), len(s.Lan)) ||
		!in(rc.of(resolvedTargetGroups), vocab("target_group")) || !in(rc.of(resolvedFocusAreas), vocab("focus_area")) ||
		(rc.caseType >= 0 && !in([]int32{rc.caseType}, vocab("case_type"))) || !in(rc.of(resolvedModels), len(r.terms)) {
		return false
	}
	for _, slug := range rc.related {
		if r.caseBySlug[slug] == nil {
			return false
		}
	}
	return true
}
