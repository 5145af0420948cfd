package geo

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
)

const (
	defaultWidth = 400.0
	// maxWidth keeps coordinates in tenths, and the areas computed from
	// them, far inside int64.
	maxWidth = 1e6
	// marginShare is the blank margin on every side, as a share of Width.
	marginShare = 0.01
)

// xy is a point in tenths of a map unit: the rounded coordinates of a path.
type xy [2]int64

// Draw projects to SWEREF 99 TM (EPSG:3006: GRS80, central meridian 15°E, scale 0.9996, false easting
// 500 000 m; the projection itself is computed once by Read), fits the whole country to Width with a
// margin of 1 % of Width on every side, simplifies each arc with Douglas–Peucker, rounds to 0.1 and
// writes one path per area. The same Boundaries and Options always give the same Map.
func (b *Boundaries) Draw(o Options) *Map {
	w := o.Width
	if !(w > 0) || math.IsInf(w, 1) {
		w = defaultWidth
	}
	w = min(w, maxWidth)
	margin := w * marginShare
	spanE := max(b.box[2]-b.box[0], 1)
	scale := (w - 2*margin) / spanE // map units per metre
	d := &drawer{b: b, scale: scale, margin: margin}
	m := &Map{
		Width:  w,
		Height: math.Ceil(((b.box[3]-b.box[1])*scale+2*margin)*10) / 10,
	}
	kt, lt := tolerance(o.KommunTolerance, w), tolerance(o.LanTolerance, w)
	kArcs := make([][]xy, len(b.arcs))
	lArcs := kArcs
	if lt != kt {
		lArcs = make([][]xy, len(b.arcs))
	}
	m.Kommuner = d.areas(b.kommuner, kt, kArcs)
	m.Lan = d.areas(b.lan, lt, lArcs)
	return m
}

// tolerance returns t, or 0 for no simplification when t is not positive,
// and at most the width (a larger tolerance changes nothing more).
func tolerance(t, width float64) float64 {
	if !(t > 0) {
		return 0
	}
	return min(t, width)
}

// drawer holds one Draw's scale and the path being written.
type drawer struct {
	b             *Boundaries
	scale, margin float64
	buf           []byte
}

// toMap converts SWEREF 99 TM metres to map units (y down).
func (d *drawer) toMap(p [2]float64) orb.Point {
	return orb.Point{
		(p[0]-d.b.box[0])*d.scale + d.margin,
		(d.b.box[3]-p[1])*d.scale + d.margin,
	}
}

func tenths(v float64) int64 { return int64(math.Round(v * 10)) }

func round1(v float64) float64 { return float64(tenths(v)) / 10 }

// areas draws features with tolerance tol; memo caches each arc's simplified points.
func (d *drawer) areas(fs []feature, tol float64, memo [][]xy) []Area {
	// An island is left out below this drawn area, in the units of area2
	// (twice the area, in hundredths of a square unit): (2·tol)².
	minArea2 := int64(math.Round(2 * (2 * tol) * (2 * tol) * 100))
	out := make([]Area, len(fs))
	var pts []xy
	for i := range fs {
		f := &fs[i]
		d.buf = d.buf[:0]
		box := [4]int64{math.MaxInt64, math.MaxInt64, math.MinInt64, math.MinInt64}
		for pi, p := range f.polys {
			for ri, r := range p {
				pts = d.ring(pts[:0], r, tol, memo)
				a2 := area2(pts)
				keep := len(pts) >= 3 && a2 != 0 && (!r.island || abs(a2) >= minArea2 || f.largest == [2]int{pi, ri})
				if !keep {
					if ri == 0 {
						break // the outer ring goes, and its holes with it
					}
					continue
				}
				if (a2 > 0) == r.hole {
					reverse(pts)
				}
				d.writeRing(pts)
				for _, q := range pts {
					box[0], box[1] = min(box[0], q[0]), min(box[1], q[1])
					box[2], box[3] = max(box[2], q[0]), max(box[3], q[1])
				}
			}
		}
		c := d.toMap(f.centroid)
		a := Area{
			Code:     f.code,
			Name:     f.name,
			Path:     string(d.buf),
			Centroid: [2]float64{round1(c[0]), round1(c[1])},
			KM2:      f.km2,
		}
		if len(d.buf) > 0 {
			a.Box = [4]float64{float64(box[0]) / 10, float64(box[1]) / 10, float64(box[2]) / 10, float64(box[3]) / 10}
		} else {
			lo, hi := d.toMap([2]float64{f.box[0], f.box[3]}), d.toMap([2]float64{f.box[2], f.box[1]})
			a.Box = [4]float64{round1(lo[0]), round1(lo[1]), round1(hi[0]), round1(hi[1])}
		}
		out[i] = a
	}
	return out
}

// ring appends the simplified, rounded points of r to pts, without the
// closing point, without repeated points and without spikes (a point
// followed by the one before it: what a strip narrower than the rounding
// becomes, enclosing nothing).
func (d *drawer) ring(pts []xy, r ring, tol float64, memo [][]xy) []xy {
	for _, ref := range r.arcs {
		a := memo[ref.arc]
		if a == nil {
			a = d.simplify(d.b.arcs[ref.arc], tol)
			memo[ref.arc] = a
		}
		// Each arc's last point is the next arc's first: skip it.
		for k := range len(a) - 1 {
			q := a[k]
			if ref.rev {
				q = a[len(a)-1-k]
			}
			pts = append(pts, q)
			for n := len(pts); n >= 2 && pts[n-2] == pts[n-1]; n = len(pts) {
				pts = pts[:n-1] // a repeated point
			}
			for n := len(pts); n >= 3 && pts[n-3] == pts[n-1]; n = len(pts) {
				pts = pts[:n-2] // a spike: A B A becomes A
			}
		}
	}
	// The same across the closing point.
	for {
		n := len(pts)
		switch {
		case n >= 2 && pts[n-1] == pts[0]:
			pts = pts[:n-1]
		case n >= 3 && pts[n-2] == pts[0]:
			pts = pts[:n-2]
		case n >= 3 && pts[n-1] == pts[1]:
			pts = pts[1 : n-1]
		default:
			return pts
		}
	}
}

// simplify returns arc a in map units, simplified with Douglas–Peucker at
// tolerance tol and rounded to tenths. The ends always stay. So that a ring
// keeps at least three corners, an arc with interior points keeps at least
// one of them, and a closed arc (a ring of its own) at least two: the ones
// Douglas–Peucker would take first.
func (d *drawer) simplify(a arc, tol float64) []xy {
	ls := make(orb.LineString, len(a.ids))
	for i, id := range a.ids {
		ls[i] = d.toMap(d.b.pts[id])
	}
	interior := len(ls) - 2
	need := 1
	if a.ids[0] == a.ids[len(a.ids)-1] {
		need = 2
	}
	need = min(need, interior)
	out := ls
	if tol > 0 && interior > 0 {
		out = simplify.DouglasPeucker(tol).LineString(ls.Clone())
		if len(out)-2 < need {
			out = farthest(ls, need)
		}
	}
	r := make([]xy, len(out))
	for i, p := range out {
		r[i] = xy{tenths(p[0]), tenths(p[1])}
	}
	return r
}

// farthest returns the ends of ls and the need (1 or 2) interior points
// that Douglas–Peucker takes first: the one farthest from the segment between
// the ends, then (only asked for a closed arc, whose two halves share one
// segment) the one farthest from the segment between the start and the first.
func farthest(ls orb.LineString, need int) orb.LineString {
	last := len(ls) - 1
	pick := func(a, b orb.Point, skip int) int {
		best, bestD := -1, -1.0
		for i := 1; i < last; i++ {
			if dd := planar.DistanceFromSegmentSquared(a, b, ls[i]); i != skip && dd > bestD {
				best, bestD = i, dd
			}
		}
		return best
	}
	f1 := pick(ls[0], ls[last], -1)
	if need == 1 {
		return orb.LineString{ls[0], ls[f1], ls[last]}
	}
	f2 := pick(ls[0], ls[f1], f1)
	return orb.LineString{ls[0], ls[min(f1, f2)], ls[max(f1, f2)], ls[last]}
}

// area2 is twice the signed area of a ring in hundredths of a square unit,
// exact: positive when the ring runs clockwise on screen (y down).
func area2(pts []xy) int64 {
	var s int64
	for i, p := range pts {
		q := pts[(i+1)%len(pts)]
		s += p[0]*q[1] - q[0]*p[1]
	}
	return s
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func reverse(pts []xy) {
	for i, j := 0, len(pts)-1; i < j; i, j = i+1, j-1 {
		pts[i], pts[j] = pts[j], pts[i]
	}
}

// writeRing appends "M x y" and relative "l dx dy …", then "Z". Numbers
// are written without trailing zeros or a leading zero ("12.3", "7", ".5",
// "-.5") and separated only where needed: no space before a minus sign, nor
// before ".5" when the previous number already has a decimal point.
func (d *drawer) writeRing(pts []xy) {
	d.buf = append(d.buf, 'M')
	dot := false
	d.buf, dot = appendNum(d.buf, pts[0][0], false, dot)
	d.buf, dot = appendNum(d.buf, pts[0][1], true, dot)
	d.buf = append(d.buf, 'l')
	first := true
	for i := 1; i < len(pts); i++ {
		d.buf, dot = appendNum(d.buf, pts[i][0]-pts[i-1][0], !first, dot)
		d.buf, dot = appendNum(d.buf, pts[i][1]-pts[i-1][1], true, dot)
		first = false
	}
	d.buf = append(d.buf, 'Z')
}

// appendNum writes v tenths. sep says a number precedes it (prevDot: one
// with a decimal point); it returns whether v was written with one.
func appendNum(buf []byte, v int64, sep, prevDot bool) ([]byte, bool) {
	neg := v < 0
	if neg {
		v = -v
	}
	whole, frac := v/10, v%10
	startsWithDot := whole == 0 && frac != 0
	if sep && !neg && !(startsWithDot && prevDot) {
		buf = append(buf, ' ')
	}
	if neg {
		buf = append(buf, '-')
	}
	if !startsWithDot {
		buf = strconv.AppendInt(buf, whole, 10)
	}
	if frac != 0 {
		buf = append(buf, '.', byte('0'+frac))
	}
	return buf, frac != 0
}
