package content

import (
	"bytes"
	"encoding/binary"
	"maps"
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
// (which contextSig covers) and by slugs.
type resolvedCase struct {
	ok              bool
	hash            uint64  // the file's (Doc.Hash)
	municipalities  []int32 // in Site.Kommuner
	regions         []int32 // the explicit ones, in Site.Lan
	targetGroups    []int32 // in the vocabulary's Values
	focusAreas      []int32
	caseType        int32    // -1: none
	models, related []string // slugs of the terms and cases named, published or not
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
}

func (r *resolution) newResolveIndex() *resolveIndex {
	ix := &resolveIndex{kommun: make(map[*Kommun]int32, len(r.s.Kommuner)), lan: make(map[*Lan]int32, len(r.s.Lan)),
		value: map[*Value]int32{}}
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

// record returns the resolution of c, just resolved.
func (ix *resolveIndex) record(c *Case) resolvedCase {
	rc := resolvedCase{ok: true, hash: c.Hash, caseType: -1, related: c.RelatedSlugs}
	for _, k := range c.Municipalities {
		rc.municipalities = append(rc.municipalities, ix.kommun[k])
	}
	for _, l := range c.ExplicitRegions {
		rc.regions = append(rc.regions, ix.lan[l])
	}
	for _, v := range c.TargetGroups {
		rc.targetGroups = append(rc.targetGroups, ix.value[v])
	}
	for _, v := range c.FocusAreas {
		rc.focusAreas = append(rc.focusAreas, ix.value[v])
	}
	if c.CaseType != nil {
		rc.caseType = ix.value[c.CaseType]
	}
	for _, t := range c.InvestmentModels {
		rc.models = append(rc.models, t.Slug)
	}
	return rc
}

// applyResolved resolves c as the earlier load resolved it (rc), with the
// same outcome as resolveCase: the municipalities and regions, the
// vocabulary values, the models and related cases in the order written.
// Its sources and the dating of its status are worked out again (they are
// cheap, and the year may have changed). It reports false, and leaves c
// as it was, when rc names something this load does not have (which the
// context's hash rules out, short of a collision).
func (r *resolution) applyResolved(c *Case, rc resolvedCase, errs *diag.List) bool {
	s := r.s
	if !r.has(rc) {
		return false
	}
	for _, i := range rc.municipalities {
		c.Municipalities = append(c.Municipalities, s.Kommuner[i])
	}
	for _, i := range rc.regions {
		c.ExplicitRegions = append(c.ExplicitRegions, s.Lan[i])
	}
	c.Regions = append([]*Lan(nil), c.ExplicitRegions...)
	for _, k := range c.Municipalities {
		c.Regions = appendUnique(c.Regions, k.Lan)
	}
	c.Sources = r.citations(c.File, c.Sources, errs)
	r.dateStatus(c)
	values := func(vocab string, is []int32) []*Value {
		var out []*Value
		for _, i := range is {
			out = append(out, s.Vocab[vocab].Values[i])
		}
		return out
	}
	c.TargetGroups = values("target_group", rc.targetGroups)
	c.FocusAreas = values("focus_area", rc.focusAreas)
	if rc.caseType >= 0 {
		c.CaseType = s.Vocab["case_type"].Values[rc.caseType]
	}
	for _, slug := range rc.models {
		c.InvestmentModels = append(c.InvestmentModels, r.termBySlug[slug])
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
	if !in(rc.municipalities, len(s.Kommuner)) || !in(rc.regions, len(s.Lan)) ||
		!in(rc.targetGroups, vocab("target_group")) || !in(rc.focusAreas, vocab("focus_area")) ||
		(rc.caseType >= 0 && !in([]int32{rc.caseType}, vocab("case_type"))) {
		return false
	}
	for _, slug := range rc.models {
		if r.termBySlug[slug] == nil {
			return false
		}
	}
	for _, slug := range rc.related {
		if r.caseBySlug[slug] == nil {
			return false
		}
	}
	return true
}
