package geo

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/diag"
)

// square is a GeoJSON ring: the square with corners lon0, lat0 and lon0+d, lat0+d.
func square(lon0, lat0, d float64) string {
	return fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]",
		lon0, lat0, lon0+d, lat0, lon0+d, lat0+d, lon0, lat0+d, lon0, lat0)
}

func jsonFeature(key, code, nameKey, name, geometry string) string {
	return fmt.Sprintf(`{"type":"Feature","properties":{%q:%q,%q:%q},"geometry":%s}`, key, code, nameKey, name, geometry)
}

func collection(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

func kommun(code, name, geometry string) string {
	return jsonFeature("kommun_kod", code, "kommun", name, geometry)
}

func polygon(rings ...string) string {
	return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
}

// Two kommuner side by side near Sveg, and their län: the union.
var (
	twoKommuner = collection(
		kommun("0114", "Väster", polygon(square(15, 62, 0.1))),
		kommun("0115", "Öster", polygon(square(15.1, 62, 0.1))),
	)
	oneLan = collection(jsonFeature("lan_kod", "01", "lan", "Ett län", polygon(
		"[[15,62],[15.1,62],[15.2,62],[15.2,62.1],[15.1,62.1],[15,62.1],[15,62]]")))
	kommunkoder = []string{"0114", "0115"}
	lanskoder   = []string{"01"}
)

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		kommun  []byte
		lan     []byte
		koder   []string
		want    []string
		wantErr bool
	}{
		{
			name: "unknown and missing codes in both files",
			kommun: collection(
				kommun("0114", "Väster", polygon(square(15, 62, 0.1))),
				kommun("9999", "Ingenstans", polygon(square(15.1, 62, 0.1))),
				kommun("0001", "Ingenstans", polygon(square(15.2, 62, 0.1))),
			),
			lan: collection(jsonFeature("lan_kod", "99", "lan", "Fel", polygon(square(15, 62, 0.2)))),
			want: []string{
				"content/data/kommuner.geojson: kommunkod 0001 finns inte i kommuner.csv",
				"content/data/kommuner.geojson: kommunkod 0115 i kommuner.csv har inget område i filen",
				"content/data/kommuner.geojson: kommunkod 9999 finns inte i kommuner.csv",
				"content/data/lan.geojson: länskod 01 i lan.csv har inget område i filen",
				"content/data/lan.geojson: länskod 99 finns inte i lan.csv",
			},
		},
		{
			name:   "not JSON",
			kommun: []byte(`{"type":"FeatureCollection","features":[`),
			want:   []string{"content/data/kommuner.geojson: går inte att läsa som GeoJSON FeatureCollection: unexpected end of JSON input"},
		},
		{
			name:   "not a FeatureCollection",
			kommun: []byte(`{"type":"Feature"}`),
			want:   []string{`content/data/kommuner.geojson: går inte att läsa som GeoJSON FeatureCollection: type är "Feature", inte FeatureCollection`},
		},
		{
			name: "duplicate, unnamed, null and code-less features",
			kommun: collection(
				kommun("0114", "Väster", polygon(square(15, 62, 0.1))),
				kommun("0114", "Väster", polygon(square(15, 62, 0.1))),
				kommun("0115", " ", polygon(square(15.1, 62, 0.1))),
				`null`,
				`{"type":"Feature","properties":{"kommun_kod":115},"geometry":null}`,
			),
			want: []string{
				"content/data/kommuner.geojson: kommunkod 0114 förekommer två gånger",
				"content/data/kommuner.geojson: kommunkod 0115 saknar egenskapen kommun (namnet)",
				"content/data/kommuner.geojson: objekt 4 i features är null",
				"content/data/kommuner.geojson: objekt 5 saknar egenskapen kommun_kod (en sträng)",
			},
		},
		{
			name: "bad geometries",
			kommun: collection(
				kommun("0114", "Väster", `{"type":"Point","coordinates":[15,62]}`),
				kommun("0115", "Öster", polygon("[[15,62],[15.1,62],[15.1,62.1],[15,62.1]]")),
				kommun("0116", "Norr", `null`),
				kommun("0117", "Söder", polygon(square(62, 15, 0.1))),
				kommun("0118", "Tom", `{"type":"MultiPolygon","coordinates":[]}`),
				kommun("0119", "Platt", polygon("[[15,62],[15.1,62],[15,62],[15,62]]")),
			),
			koder: []string{"0114", "0115", "0116", "0117", "0118", "0119"},
			want: []string{
				"content/data/kommuner.geojson: kommunkod 0114: geometrin är Point men ska vara Polygon eller MultiPolygon",
				"content/data/kommuner.geojson: kommunkod 0115: ring 1 i polygon 1 ska ha minst 4 punkter och sluta i sin första punkt",
				"content/data/kommuner.geojson: kommunkod 0116: geometri saknas",
				"content/data/kommuner.geojson: kommunkod 0117: punkten [62, 15] ligger långt utanför Sverige (väntat: [longitud, latitud] i WGS 84)",
				"content/data/kommuner.geojson: kommunkod 0118: geometrin är tom",
				"content/data/kommuner.geojson: kommunkod 0119: geometrin är tom",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, l, koder := tt.kommun, tt.lan, tt.koder
			if l == nil {
				l = oneLan
			}
			if koder == nil {
				koder = kommunkoder
			}
			b, err := Read("content/data/kommuner.geojson", k, "content/data/lan.geojson", l, koder, lanskoder)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if b != nil {
				t.Error("Boundaries returned with an error")
			}
			var list *diag.List
			if !errors.As(err, &list) {
				t.Fatalf("error is %T, want *diag.List", err)
			}
			if got := err.Error(); got != strings.Join(tt.want, "\n") {
				t.Errorf("error:\n%s\nwant:\n%s", got, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTopology(t *testing.T) {
	b, err := Read("k", twoKommuner, "l", oneLan, kommunkoder, lanskoder)
	if err != nil {
		t.Fatal(err)
	}
	// The two kommuner meet at two junctions: one arc is their common
	// border, one each the rest of their outline, which the län uses too.
	if len(b.arcs) != 3 {
		t.Errorf("%d arcs, want 3: %v", len(b.arcs), b.arcs)
	}
	if len(b.pts) != 6 {
		t.Errorf("%d points, want 6", len(b.pts))
	}
	m := b.Draw(Options{Width: 100})
	west, east := parsePath(t, m.Kommuner[0].Path), parsePath(t, m.Kommuner[1].Path)
	lan := parsePath(t, m.Lan[0].Path)
	if len(west) != 1 || len(east) != 1 || len(lan) != 1 || len(west[0]) != 4 || len(east[0]) != 4 || len(lan[0]) != 6 {
		t.Fatalf("paths %q %q %q", m.Kommuner[0].Path, m.Kommuner[1].Path, m.Lan[0].Path)
	}
	// The border: the east side of the western square is the west side of
	// the eastern one.
	common := 0
	for _, p := range west[0] {
		for _, q := range east[0] {
			if p == q {
				common++
			}
		}
	}
	if common != 2 {
		t.Errorf("the kommuner share %d corners, want 2:\n%v\n%v", common, west[0], east[0])
	}
	// Both squares have the same area (the meridians converge a little
	// within a degree east, so not exactly), and their sum is the län's.
	kw, ke, kl := m.Kommuner[0].KM2, m.Kommuner[1].KM2, m.Lan[0].KM2
	if math.Abs(kw+ke-kl) > 1e-9*kl || math.Abs(kw/ke-1) > 0.001 {
		t.Errorf("areas %v + %v, län %v", kw, ke, kl)
	}
	// 0.1° × 0.1° at 62°N: 11.13 km × 5.23 km ≈ 58.2 km².
	if math.Abs(kw-58.2) > 0.5 {
		t.Errorf("area of a 0.1° square at 62°N: %.2f km², want about 58.2", kw)
	}
	if m.Width != 100 || m.Kommuner[0].Box[0] != 1 || m.Kommuner[1].Box[2] != 99 {
		t.Errorf("map %v wide, boxes %v %v: want a margin of 1", m.Width, m.Kommuner[0].Box, m.Kommuner[1].Box)
	}
}

func TestHole(t *testing.T) {
	// A kommun with a lake (a hole) and an island kommun in it, written
	// counter-clockwise and clockwise to show that input orientation does
	// not matter.
	outer := "[[15,62],[15,62.3],[15.3,62.3],[15.3,62],[15,62]]" // clockwise in lon/lat
	hole := square(15.1, 62.1, 0.1)                              // counter-clockwise
	k := collection(
		kommun("0114", "Runt", polygon(outer, hole)),
		kommun("0115", "Ö", polygon(square(15.12, 62.12, 0.02))),
	)
	l := collection(jsonFeature("lan_kod", "01", "lan", "Län", `{"type":"MultiPolygon","coordinates":[[`+outer+`,`+hole+`],[`+square(15.12, 62.12, 0.02)+`]]}`))
	b, err := Read("k", k, "l", l, kommunkoder, lanskoder)
	if err != nil {
		t.Fatal(err)
	}
	m := b.Draw(Options{Width: 300})
	runt := m.Kommuner[0]
	rings := parsePath(t, runt.Path)
	if len(rings) != 2 || area2(rings[0]) <= 0 || area2(rings[1]) >= 0 {
		t.Fatalf("want a clockwise outer ring and a counter-clockwise hole: %s", runt.Path)
	}
	// The drawn area is the outer ring less the hole, as is KM2.
	mpu := metresPerUnit(b, m.Width)
	drawn := pathArea(t, runt.Path) * mpu * mpu / 1e6
	if r := drawn/runt.KM2 - 1; math.Abs(r) > 0.01 {
		t.Errorf("drawn %.2f km², KM2 %.2f", drawn, runt.KM2)
	}
	if runt.KM2 < 8*58 || runt.KM2 > 8*59 {
		t.Errorf("KM2 %.1f, want 8 squares of 0.1° (about 466)", runt.KM2)
	}
	// A tolerance of 80 leaves out rings under (2·80)² = 25 600 square
	// units: the island (about 20 × 43 units) and the lake (100 × 213),
	// except in the island kommun, which keeps its largest ring.
	m = b.Draw(Options{Width: 300, KommunTolerance: 80, LanTolerance: 80})
	if n := len(parsePath(t, m.Kommuner[0].Path)); n != 1 {
		t.Errorf("%d rings, want the outer ring alone: %s", n, m.Kommuner[0].Path)
	}
	if n := len(parsePath(t, m.Kommuner[1].Path)); n != 1 {
		t.Errorf("the island kommun has %d rings, want 1", n)
	}
	if n := len(parsePath(t, m.Lan[0].Path)); n != 1 {
		t.Errorf("the län has %d rings, want 1", n)
	}
}
