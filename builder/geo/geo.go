// Package geo turns Sweden's kommun and län boundaries into SVG paths for
// static maps drawn at build time (no tiles, no map library in the browser).
//
// The boundaries come from SCB's regional divisions as GeoJSON in WGS 84
// (content/data/kommuner.geojson and lan.geojson; "Källa: SCB", CC BY 4.0,
// which a map that shows them must credit). Read parses and checks them,
// projects them to SWEREF 99 TM (project.go) and builds a shared topology;
// Draw fits the country to a width, simplifies and writes one path per area.
//
// GeoJSON decoding and the Douglas–Peucker simplifier come from
// github.com/paulmach/orb: a maintained, widely used Go geometry library
// whose geojson package decodes every GeoJSON geometry type into typed
// geometries and whose simplify package is tested, so this package holds no
// hand-written GeoJSON parsing or line simplification of its own. What orb does not do, and this package does:
// the SWEREF 99 TM projection, the topology that makes neighbours share their
// simplified border, and the SVG path output.
//
// Shared borders: every ring (of both files) is cut into arcs at its
// junctions, the points where boundary lines meet or part (points with more
// than two distinct neighbours over all rings), and each
// arc is simplified once and used by every ring that runs along it, in
// either direction. Two neighbouring kommuner therefore draw exactly the same
// border (no slivers or gaps), and a län border is drawn with exactly the
// points of the kommun borders under it when both use the same tolerance.
package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Area is one kommun or län as drawn on a map.
type Area struct {
	Code string // "1440" or "14"
	Name string // from the GeoJSON properties
	// Path is SVG path data in map units, y down, coordinates rounded to 1
	// decimal: each ring is an absolute moveto, relative linetos and "Z"
	// ("M12.3 45.6l1.2-.4.3 2Z…"). Outer rings run clockwise on screen and
	// holes counter-clockwise, so both fill-rule nonzero (the SVG default)
	// and evenodd fill it right. Empty only when the area is smaller than
	// the rounding at this scale.
	Path string
	// Centroid is the area-weighted centroid of the unsimplified geometry in
	// map units, rounded to 1 decimal (for a dot marker or a label). For a
	// concave area it may lie outside the area.
	Centroid [2]float64
	// Box is minX, minY, maxX, maxY of the points Path draws, in map units
	// (of the unsimplified geometry when Path is empty).
	Box [4]float64
	// KM2 is the area in km² of the projected, unsimplified geometry
	// (SWEREF 99 TM). The projection's scale makes it differ from the area
	// on the ellipsoid by −0.08 % on the central meridian up to +0.35 % at
	// Haparanda.
	KM2 float64
}

// Map is Sweden drawn at one scale.
type Map struct {
	Width, Height float64 // the SVG viewBox is "0 0 Width Height"
	Kommuner      []Area  // sorted by Code
	Lan           []Area  // sorted by Code
}

// Options say how to draw a Map.
//
// Width is the map's width in map units; the height follows Sweden's shape
// (about 2.4 times the width). A Width that is not a positive finite number
// draws at 400; one above 1 000 000 at 1 000 000.
//
// KommunTolerance and LanTolerance are the Douglas–Peucker tolerances in map
// units for the kommun and the län paths (0 or less: no simplification; a
// tolerance above Width counts as Width). Islands and lakes (rings that touch
// no other boundary) whose drawn area is below (2·tolerance)² square units
// are left out, except each area's largest ring; a ring that shares a border
// is kept however small, so that the map has no holes. With equal
// tolerances a län outline drawn over the kommun map lies exactly on the
// kommun borders.
type Options struct {
	Width, KommunTolerance, LanTolerance float64
}

// Boundaries are the parsed and checked kommun and län boundaries, projected
// to SWEREF 99 TM and cut into shared arcs. Draw may be called any number of
// times and from several goroutines.
type Boundaries struct {
	pts      [][2]float64 // SWEREF 99 TM easting, northing (m) of every distinct vertex
	arcs     []arc
	kommuner []feature // sorted by code
	lan      []feature // sorted by code
	box      [4]float64
}

// A layer names the properties and the code list of one GeoJSON file.
type layer struct {
	codeKey, nameKey string // GeoJSON property names
	label            string // "kommunkod": how an error names a code
	csv              string // the file the codes come from
}

var (
	kommunLayer = layer{codeKey: "kommun_kod", nameKey: "kommun", label: "kommunkod", csv: "kommuner.csv"}
	lanLayer    = layer{codeKey: "lan_kod", nameKey: "lan", label: "länskod", csv: "lan.csv"}
)

// A rawFeature is a feature as read: rings of lon/lat points, open (the
// closing point removed) and without repeated consecutive points.
type rawFeature struct {
	code, name string
	polys      [][][]orb.Point // polygon, ring (outer first), point
}

// Read parses the two GeoJSON files (their bytes; names for error messages) and checks the codes:
// every kommun_kod must be one of kommunkoder (4-digit codes from kommuner.csv), every code of kommunkoder
// must have a feature, likewise for län (lan_kod against lanskoder from lan.csv). It also checks that
// each feature has a name and a Polygon or MultiPolygon of closed rings within reach of Sweden.
// All problems are returned at once as a *diag.List, sorted by file and message; a mismatch names the
// file and the code ("content/data/kommuner.geojson: kommunkod 9999 finns inte i kommuner.csv").
func Read(kommunFile string, kommunData []byte, lanFile string, lanData []byte, kommunkoder, lanskoder []string) (*Boundaries, error) {
	var errs diag.List
	kf := readLayer(kommunFile, kommunData, kommunLayer, kommunkoder, &errs)
	lf := readLayer(lanFile, lanData, lanLayer, lanskoder, &errs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return build(kf, lf), nil
}

// readLayer decodes one file and checks it against its code list; problems go to errs.
func readLayer(file string, data []byte, l layer, codes []string, errs *diag.List) []rawFeature {
	fc, err := decode(data)
	if err != nil {
		errs.Addf(file, 0, "går inte att läsa som GeoJSON FeatureCollection: %v", err)
		return nil
	}
	want := make(map[string]bool, len(codes))
	for _, c := range codes {
		want[c] = true
	}
	seen := make(map[string]bool, len(fc.Features))
	var out []rawFeature
	for i, f := range fc.Features {
		if f == nil {
			errs.Addf(file, 0, "objekt %d i features är null", i+1)
			continue
		}
		code, ok := f.Properties[l.codeKey].(string)
		if !ok {
			errs.Addf(file, 0, "objekt %d saknar egenskapen %s (en sträng)", i+1, l.codeKey)
			continue
		}
		if seen[code] {
			errs.Addf(file, 0, "%s %s förekommer två gånger", l.label, code)
			continue
		}
		seen[code] = true
		if !want[code] {
			errs.Addf(file, 0, "%s %s finns inte i %s", l.label, code, l.csv)
			continue
		}
		name, _ := f.Properties[l.nameKey].(string)
		if strings.TrimSpace(name) == "" {
			errs.Addf(file, 0, "%s %s saknar egenskapen %s (namnet)", l.label, code, l.nameKey)
			continue
		}
		var g orb.Geometry
		if f.Geometry != nil {
			g = f.Geometry.Geometry()
		}
		polys, msg := rings(g)
		if msg != "" {
			errs.Addf(file, 0, "%s %s: %s", l.label, code, msg)
			continue
		}
		out = append(out, rawFeature{code: code, name: name, polys: polys})
	}
	for _, c := range codes {
		if !seen[c] {
			errs.Addf(file, 0, "%s %s i %s har inget område i filen", l.label, c, l.csv)
		}
	}
	return out
}

// featureCollection is the part of a GeoJSON FeatureCollection that Read
// uses. Decoding into it with encoding/json and leaving each geometry to
// orb's geojson.Geometry reads the file in three passes; orb's own
// FeatureCollection decoder, which keeps every level as raw JSON and decodes
// it again, takes five and about twice the time.
type featureCollection struct {
	Type     string `json:"type"`
	Features []*struct {
		Type       string            `json:"type"`
		Properties map[string]any    `json:"properties"`
		Geometry   *geojson.Geometry `json:"geometry"`
	} `json:"features"`
}

func decode(data []byte) (*featureCollection, error) {
	var fc featureCollection
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, err
	}
	if fc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("type är %q, inte FeatureCollection", fc.Type)
	}
	return &fc, nil
}

// Read accepts points within this box (degrees), generously around Sweden
// (lon 10.9–24.2, lat 55.3–69.1): the projection is meant for Sweden, and a
// point far away is a sign of swapped coordinates or another reference system.
const minLon, maxLon, minLat, maxLat = 5.0, 30.0, 50.0, 75.0

// rings returns the polygons of a Polygon or MultiPolygon as open rings
// without repeated points, or a message saying what is wrong. Rings that
// enclose nothing (fewer than 3 distinct points) are left out.
func rings(g orb.Geometry) ([][][]orb.Point, string) {
	var in orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		in = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		in = g
	case nil:
		return nil, "geometri saknas"
	default:
		return nil, fmt.Sprintf("geometrin är %s men ska vara Polygon eller MultiPolygon", g.GeoJSONType())
	}
	var out [][][]orb.Point
	for pi, p := range in {
		var poly [][]orb.Point
		for ri, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				return nil, fmt.Sprintf("ring %d i polygon %d ska ha minst 4 punkter och sluta i sin första punkt", ri+1, pi+1)
			}
			for _, pt := range r {
				if !(pt[0] >= minLon && pt[0] <= maxLon && pt[1] >= minLat && pt[1] <= maxLat) {
					return nil, fmt.Sprintf("punkten [%g, %g] ligger långt utanför Sverige (väntat: [longitud, latitud] i WGS 84)", pt[0], pt[1])
				}
			}
			open := make([]orb.Point, 0, len(r)-1)
			for _, pt := range r[:len(r)-1] {
				if len(open) == 0 || open[len(open)-1] != pt {
					open = append(open, pt)
				}
			}
			for len(open) > 1 && open[len(open)-1] == open[0] {
				open = open[:len(open)-1]
			}
			if len(open) < 3 {
				if ri == 0 {
					break // no outer ring: the holes have nothing to be holes in
				}
				continue
			}
			poly = append(poly, open)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	if len(out) == 0 {
		return nil, "geometrin är tom"
	}
	return out, ""
}

// A feature is a checked kommun or län: its rings as arcs, and its measures
// in SWEREF 99 TM.
type feature struct {
	code, name string
	polys      [][]ring // polygon, ring (outer first)
	km2        float64
	centroid   [2]float64 // easting, northing
	box        [4]float64 // min E, min N, max E, max N
	largest    [2]int     // polygon and ring index of the largest outer ring, always drawn
}

// A ring is a closed sequence of arcs; the last point of each arc is the
// first of the next.
type ring struct {
	arcs   []arcRef
	hole   bool
	island bool // touches no other boundary: may be left out when small
}

// build projects the features and cuts them into shared arcs.
func build(kf, lf []rawFeature) *Boundaries {
	byCode := func(a, b rawFeature) int { return strings.Compare(a.code, b.code) }
	slices.SortFunc(kf, byCode)
	slices.SortFunc(lf, byCode)

	t := newTopology()
	for _, fs := range [][]rawFeature{kf, lf} {
		for _, f := range fs {
			for _, p := range f.polys {
				for _, r := range p {
					t.addRing(r)
				}
			}
		}
	}
	t.findJunctions()

	b := &Boundaries{pts: t.pts, box: [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}}
	ringNo := 0
	convert := func(fs []rawFeature) []feature {
		out := make([]feature, len(fs))
		for i, f := range fs {
			out[i] = feature{code: f.code, name: f.name}
			first := ringNo
			polys := make([][]ring, len(f.polys))
			for pi, p := range f.polys {
				polys[pi] = make([]ring, len(p))
				for ri := range p {
					arcs, island := t.cut(ringNo)
					polys[pi][ri] = ring{arcs: arcs, hole: ri > 0, island: island}
					ringNo++
				}
			}
			out[i].polys = polys
			b.measure(&out[i], t, first)
		}
		return out
	}
	b.kommuner = convert(kf)
	b.lan = convert(lf)
	b.arcs = t.arcs
	if len(b.pts) == 0 {
		b.box = [4]float64{}
	}
	return b
}

// measure computes a feature's area, centroid and box from its unsimplified
// projected rings (the topology's rings first..), and widens b.box.
func (b *Boundaries) measure(f *feature, t *topology, first int) {
	box := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	origin := b.pts[t.rings[first][0]]
	var area, cx, cy, best float64
	n := first
	for pi, p := range f.polys {
		for ri := range p {
			ids := t.rings[n]
			n++
			// Shoelace sums relative to origin, to keep the products small.
			var a2, sx, sy float64
			for i, id := range ids {
				p0 := b.pts[id]
				p1 := b.pts[ids[(i+1)%len(ids)]]
				x0, y0 := p0[0]-origin[0], p0[1]-origin[1]
				x1, y1 := p1[0]-origin[0], p1[1]-origin[1]
				c := x0*y1 - x1*y0
				a2 += c
				sx += (x0 + x1) * c
				sy += (y0 + y1) * c
				box[0], box[1] = min(box[0], p0[0]), min(box[1], p0[1])
				box[2], box[3] = max(box[2], p0[0]), max(box[3], p0[1])
			}
			if a2 == 0 {
				continue
			}
			ra := math.Abs(a2) / 2
			rcx, rcy := sx/(3*a2), sy/(3*a2) // this ring's centroid, whatever its orientation
			if ri > 0 {
				ra = -ra
			} else if ra > best {
				best = ra
				f.largest = [2]int{pi, ri}
			}
			area += ra
			cx += ra * rcx
			cy += ra * rcy
		}
	}
	f.km2 = area / 1e6
	f.box = box
	if area > 0 {
		f.centroid = [2]float64{origin[0] + cx/area, origin[1] + cy/area}
	} else {
		f.centroid = [2]float64{(box[0] + box[2]) / 2, (box[1] + box[3]) / 2}
	}
	b.box[0], b.box[1] = min(b.box[0], box[0]), min(b.box[1], box[1])
	b.box[2], b.box[3] = max(b.box[2], box[2]), max(b.box[3], box[3])
}
