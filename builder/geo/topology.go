package geo

import (
	"slices"

	"github.com/paulmach/orb"
)

// An arc is a run of boundary points between two junctions (or a whole ring
// that meets no other line, from its smallest point id back to it), stored
// in one canonical direction so that the rings on both sides of a border
// refer to the same arc.
type arc struct {
	ids []int32 // point ids; closed when the first equals the last
}

// An arcRef is an arc as one ring walks it.
type arcRef struct {
	arc int32
	rev bool // walked from its last point to its first
}

// topology collects the distinct points of all rings, finds the junctions
// and cuts the rings into shared arcs. Points are matched exactly on their
// GeoJSON coordinates: SCB's files give a shared border the same vertices on
// both sides (and a län border the vertices of the kommun borders under it).
type topology struct {
	index    map[orb.Point]int32 // lon/lat → point id
	pts      [][2]float64        // SWEREF 99 TM of each point id
	rings    [][]int32           // every ring's point ids, open, in input order
	nb       [][2]int32          // up to two distinct neighbours of each point, -1 for none
	junction []bool              // more than two distinct neighbours
	arcs     []arc
	byKey    map[[3]int32][]int32 // first, second and last id → arcs
}

func newTopology() *topology {
	return &topology{index: map[orb.Point]int32{}, byKey: map[[3]int32][]int32{}}
}

// addRing adds an open ring of lon/lat points, projecting each new point.
func (t *topology) addRing(r []orb.Point) {
	ids := make([]int32, len(r))
	for i, p := range r {
		id, ok := t.index[p]
		if !ok {
			id = int32(len(t.pts))
			t.index[p] = id
			e, n := project(p[0], p[1])
			t.pts = append(t.pts, [2]float64{e, n})
		}
		ids[i] = id
	}
	t.rings = append(t.rings, ids)
}

// findJunctions marks the points where boundary lines meet or part: those
// with more than two distinct neighbours over all rings. Inside a border
// shared by two areas every point has the same two neighbours on both sides.
func (t *topology) findJunctions() {
	t.nb = make([][2]int32, len(t.pts))
	for i := range t.nb {
		t.nb[i] = [2]int32{-1, -1}
	}
	t.junction = make([]bool, len(t.pts))
	see := func(id, q int32) {
		n := &t.nb[id]
		switch {
		case t.junction[id] || n[0] == q || n[1] == q:
		case n[0] < 0:
			n[0] = q
		case n[1] < 0:
			n[1] = q
		default:
			t.junction[id] = true
		}
	}
	for _, ids := range t.rings {
		l := len(ids)
		for i, id := range ids {
			see(id, ids[(i+l-1)%l])
			see(id, ids[(i+1)%l])
		}
	}
}

// cut returns ring n as arcs, adding the arcs not seen before, and whether
// the ring is an island: it touches no other boundary line (except a ring of
// the same points in the other file).
func (t *topology) cut(n int) (refs []arcRef, island bool) {
	ids := t.rings[n]
	l := len(ids)
	start := slices.IndexFunc(ids, func(id int32) bool { return t.junction[id] })
	if start < 0 {
		// No junction: one closed arc from the ring's smallest id, so that
		// every ring with these points starts it at the same place.
		m := 0
		for i, id := range ids {
			if id < ids[m] {
				m = i
			}
		}
		seq := make([]int32, l+1)
		for k := range seq {
			seq[k] = ids[(m+k)%l]
		}
		return []arcRef{t.arc(seq)}, true
	}
	for i := start; ; {
		seq := []int32{ids[i]}
		j := i
		for {
			j = (j + 1) % l
			seq = append(seq, ids[j])
			if t.junction[ids[j]] {
				break
			}
		}
		refs = append(refs, t.arc(seq))
		if i = j; i == start {
			return refs, false
		}
	}
}

// arc returns a reference to the arc seq, in canonical direction: from the
// smaller end id, or for a closed arc towards the smaller neighbour of its
// end. An arc is identified by its first two ids and its last one (two arcs
// that start alike run alike up to the next junction, where both end); the
// full comparison only guards against input that breaks that rule.
func (t *topology) arc(seq []int32) arcRef {
	last := len(seq) - 1
	rev := seq[0] > seq[last] || (seq[0] == seq[last] && seq[1] > seq[last-1])
	if rev {
		seq = slices.Clone(seq)
		slices.Reverse(seq)
	}
	key := [3]int32{seq[0], seq[1], seq[last]}
	for _, a := range t.byKey[key] {
		if slices.Equal(t.arcs[a].ids, seq) {
			return arcRef{arc: a, rev: rev}
		}
	}
	a := int32(len(t.arcs))
	t.arcs = append(t.arcs, arc{ids: seq})
	t.byKey[key] = append(t.byKey[key], a)
	return arcRef{arc: a, rev: rev}
}
