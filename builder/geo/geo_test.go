package geo

import (
	"encoding/csv"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const (
	kommunFile = "content/data/kommuner.geojson"
	lanFile    = "content/data/lan.geojson"
)

// recommended is what the package's tests draw the real map with.
var recommended = Options{Width: 400, KommunTolerance: 0.4, LanTolerance: 0.8}

// realData holds the repository's boundary files and code lists.
type realData struct {
	kommuner, lan []byte
	kommunkoder   []string
	lanskoder     []string
	seats         map[string][2]float64 // kommunkod → lat, lon from kommuner.csv
	lanOf         map[string]string     // kommunkod → lanskod
}

var loadReal = sync.OnceValues(func() (*realData, error) {
	root := filepath.Join("..", "..")
	d := &realData{seats: map[string][2]float64{}, lanOf: map[string]string{}}
	var err error
	if d.kommuner, err = os.ReadFile(filepath.Join(root, kommunFile)); err != nil {
		return nil, err
	}
	if d.lan, err = os.ReadFile(filepath.Join(root, lanFile)); err != nil {
		return nil, err
	}
	k, err := readCSVFile(filepath.Join(root, "content/data/kommuner.csv"))
	if err != nil {
		return nil, err
	}
	for _, r := range k { // kommunkod,kommun,lan,lanskod,lat,lon
		d.kommunkoder = append(d.kommunkoder, r[0])
		d.lanOf[r[0]] = r[3]
		lat, err1 := strconv.ParseFloat(r[4], 64)
		lon, err2 := strconv.ParseFloat(r[5], 64)
		if err1 != nil || err2 != nil {
			return nil, err1
		}
		d.seats[r[0]] = [2]float64{lat, lon}
	}
	l, err := readCSVFile(filepath.Join(root, "content/data/lan.csv"))
	if err != nil {
		return nil, err
	}
	for _, r := range l {
		d.lanskoder = append(d.lanskoder, r[0])
	}
	return d, nil
})

func readCSVFile(name string) ([][]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	return recs[1:], nil
}

func readReal(t testing.TB) (*realData, *Boundaries) {
	t.Helper()
	d, err := loadReal()
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(kommunFile, d.kommuner, lanFile, d.lan, d.kommunkoder, d.lanskoder)
	if err != nil {
		t.Fatal(err)
	}
	return d, b
}

func areaByCode(as []Area, code string) *Area {
	for i := range as {
		if as[i].Code == code {
			return &as[i]
		}
	}
	return nil
}

// metresPerUnit is the scale of b drawn at width w.
func metresPerUnit(b *Boundaries, w float64) float64 {
	return (b.box[2] - b.box[0]) / (w * (1 - 2*marginShare))
}

func TestRealRead(t *testing.T) {
	d, b := readReal(t)
	m := b.Draw(recommended)
	if len(m.Kommuner) != len(d.kommunkoder) || len(m.Lan) != len(d.lanskoder) {
		t.Fatalf("%d kommuner and %d län, want %d and %d", len(m.Kommuner), len(m.Lan), len(d.kommunkoder), len(d.lanskoder))
	}
	for _, as := range [][]Area{m.Kommuner, m.Lan} {
		for i, a := range as {
			if i > 0 && as[i-1].Code >= a.Code {
				t.Errorf("not sorted by code: %s before %s", as[i-1].Code, a.Code)
			}
			if a.Name == "" || a.Path == "" || a.KM2 <= 0 {
				t.Errorf("%s: name %q, %d bytes of path, %v km²", a.Code, a.Name, len(a.Path), a.KM2)
			}
		}
	}
	if m.Width != 400 || m.Height < 900 || m.Height > 1000 {
		t.Errorf("map is %v × %v, want 400 wide and about 950 high", m.Width, m.Height)
	}
}

// Published areas (km²) of four kommuner of different size and latitude.
// SCB publishes a total area (land, inland water and sea within the kommun)
// and a land area. SCB's boundaries in content/data do not match either
// exactly: they follow the coast (no sea), keep most inland water (Kiruna's
// Torneträsk, Hjälmaren) and cut out the largest lakes (Vänern, Vättern,
// Siljan, Storsjön). So the projected area should lie between the land area
// and the total area, give or take the generalisation of the outlines: the
// files have about 9 700 vertices for all of Sweden, 4 decimals (about 10 m).
// Large kommuner are within 3 % of that range; for small ones the
// generalisation dominates: Stockholm's outline has 101 vertices and comes
// out 5.8 % below the land area, Sundbyberg's has 8 and comes out 18 %
// below, so their tolerances are wider. The test still catches a wrong
// scale, unit or ellipsoid, swapped axes or ring orientation, which are off
// by far more.
var published = []struct {
	code, name  string
	land, total float64 // km², SCB
	tol         float64 // relative, outside [land, total]
	drawnTol    float64 // relative, drawn area against KM2 at the recommended Options
	seatKM      float64 // largest distance from the centroid to the seat in kommuner.csv
}{
	// Kiruna, 68°N, the largest: SCB, Kommunarealer 1 januari 2014, as quoted
	// in https://encycloreader.org/r/wikipedia.php?q=Kiruna_Municipality
	// (total 20 551.42, land 19 140.33; SCB's 2020 figure for land is 19 163:
	// https://www.scb.se/hitta-statistik/statistik-efter-amne/miljo/markanvandning/land-och-vattenarealer/pong/tabell-och-diagram/kommuner-med-storst-och-minst-landareal-2020/).
	// The town lies east of the middle of a 220 × 180 km kommun.
	{"2584", "Kiruna", 19140.33, 20551.42, 0.03, 0.05, 60},
	// Ale, 58°N, inland: SCB, area as of 1 January 2014, as quoted in
	// https://sco.wikipedia.org/wiki/Ale_Municipality (total 332.1359, land
	// 317.0959; also https://sv.m.wikipedia.org/wiki/Ale_kommun: 332,12 and 317).
	{"1440", "Ale", 317.0959, 332.1359, 0.03, 0.05, 15},
	// Stockholm, 59°N, coast: https://nn.m.wikipedia.org/wiki/Stockholms_kommun
	// (total 207.84, land 187.17); SCB's land area 187 in
	// http://statistik.stockholm.se/images/stories/excel/b200-filer/sheet001.htm.
	{"0180", "Stockholm", 187.17, 207.84, 0.08, 0.05, 6},
	// Sundbyberg, the smallest: SCB, area as of 1 January 2014, as quoted in
	// https://wikimili.com/en/Sundbyberg_Municipality (total 8.77, land 8.67;
	// SCB 2020: land 9, the page for Kiruna above). At width 400 Sundbyberg
	// is 2 × 2.5 units with a perimeter of 8: rounding to 0.1 alone moves
	// the border by up to 0.05, ±0.4 square units or ±16 % of its 2.5, so
	// the drawn area gets 20 %.
	{"0183", "Sundbyberg", 8.67, 8.77, 0.20, 0.20, 2.5},
}

func TestPublishedAreas(t *testing.T) {
	d, b := readReal(t)
	m := b.Draw(recommended)
	mpu := metresPerUnit(b, m.Width)
	for _, p := range published {
		t.Run(p.name, func(t *testing.T) {
			a := areaByCode(m.Kommuner, p.code)
			if a == nil || a.Name != p.name {
				t.Fatalf("no kommun %s %s", p.code, p.name)
			}
			lo, hi := p.land*(1-p.tol), p.total*(1+p.tol)
			if a.KM2 < lo || a.KM2 > hi {
				t.Errorf("KM2 = %.2f, want %.2f–%.2f (land %.2f, total %.2f, ±%g %%)", a.KM2, lo, hi, p.land, p.total, p.tol*100)
			}
			t.Logf("%s: %.2f km², %+.1f %% of land, %+.1f %% of total", p.name, a.KM2, (a.KM2/p.land-1)*100, (a.KM2/p.total-1)*100)

			// The drawn (simplified, rounded) geometry keeps the area.
			drawn := pathArea(t, a.Path) * mpu * mpu / 1e6
			if r := drawn/a.KM2 - 1; math.Abs(r) > p.drawnTol {
				t.Errorf("drawn area %.2f km² is %+.1f %% off the unsimplified %.2f km² (want ±%g %%)", drawn, r*100, a.KM2, p.drawnTol*100)
			}

			c := a.Centroid
			if c[0] < a.Box[0] || c[0] > a.Box[2] || c[1] < a.Box[1] || c[1] > a.Box[3] {
				t.Errorf("centroid %v outside box %v", c, a.Box)
			}
			seat := d.seats[p.code]
			se, sn := project(seat[1], seat[0])
			s := (&drawer{b: b, scale: 1 / mpu, margin: m.Width * marginShare}).toMap([2]float64{se, sn})
			if dist := math.Hypot(s[0]-c[0], s[1]-c[1]) * mpu / 1000; dist > p.seatKM {
				t.Errorf("centroid is %.1f km from the seat, want at most %g km", dist, p.seatKM)
			}
		})
	}
}

func TestDrawnAreaKept(t *testing.T) {
	// At the recommended scale, for kommuner larger than 500 km² (at least
	// 60 square units), the drawn area is within 5 % of the unsimplified.
	_, b := readReal(t)
	m := b.Draw(recommended)
	mpu := metresPerUnit(b, m.Width)
	for _, a := range m.Kommuner {
		if a.KM2 < 500 {
			continue
		}
		drawn := pathArea(t, a.Path) * mpu * mpu / 1e6
		if r := drawn/a.KM2 - 1; math.Abs(r) > 0.05 {
			t.Errorf("%s %s: drawn %.1f km², unsimplified %.1f km² (%+.1f %%)", a.Code, a.Name, drawn, a.KM2, r*100)
		}
	}
}

func TestCountryArea(t *testing.T) {
	d, b := readReal(t)
	m := b.Draw(recommended)
	var kommuner, lan float64
	perLan := map[string]float64{}
	for _, a := range m.Kommuner {
		kommuner += a.KM2
		perLan[d.lanOf[a.Code]] += a.KM2
	}
	for _, a := range m.Lan {
		lan += a.KM2
		// A län is the union of its kommuner, with the same vertices, but
		// not exactly: in län 03, 14 and 18 the kommuner leave or overlap
		// slivers (14 edges of kommun outlines are on no län outline),
		// worth up to 0.45 km². So 0.01 %.
		if r := a.KM2/perLan[a.Code] - 1; math.Abs(r) > 1e-4 {
			t.Errorf("län %s: %.3f km², its kommuner %.3f km²", a.Code, a.KM2, perLan[a.Code])
		}
	}
	// SCB, 1 January 2012: land 407 340 km² and inland water 31 236 km²
	// (besides the four largest lakes, 8 844, and sea, 81 027):
	// http://www.mynewsdesk.com/se/pressreleases/land-och-vattenarealer-sveriges-yta-mindre-enligt-ny-beraekningsmodell-739992
	// The outlines hold land and inland water, without sea and without
	// Vänern, Vättern and a few more large lakes, with Mälaren and Hjälmaren
	// partly: 2 % either way.
	const landAndInlandWater = 407340 + 31236
	if r := kommuner/landAndInlandWater - 1; math.Abs(r) > 0.02 {
		t.Errorf("all kommuner: %.0f km², %+.1f %% off SCB's land and inland water %d km²", kommuner, r*100, landAndInlandWater)
	}
	t.Logf("all kommuner %.0f km², all län %.0f km², SCB land and inland water %d km²", kommuner, lan, landAndInlandWater)
}

// goldenCodes are the kommuner whose paths are kept in testdata.
var goldenCodes = []struct{ code, name string }{
	{"0183", "sundbyberg"},
	{"1440", "ale"},
}

func TestGoldenPaths(t *testing.T) {
	_, b := readReal(t)
	m := b.Draw(recommended)
	for _, g := range goldenCodes {
		t.Run(g.name, func(t *testing.T) {
			a := areaByCode(m.Kommuner, g.code)
			if a == nil {
				t.Fatalf("no kommun %s", g.code)
			}
			name := filepath.Join("testdata", g.code+"-"+g.name+".golden")
			got := a.Path + "\n"
			if *update {
				if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(name)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("path of %s differs from %s:\ngot  %s\nwant %s", g.code, name, got, want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	d, b := readReal(t)
	for _, o := range []Options{recommended, {Width: 400, KommunTolerance: 0.4, LanTolerance: 0.4}, {Width: 1000}} {
		m1 := b.Draw(o)
		m2 := b.Draw(o)
		b2, err := Read(kommunFile, d.kommuner, lanFile, d.lan, d.kommunkoder, d.lanskoder)
		if err != nil {
			t.Fatal(err)
		}
		m3 := b2.Draw(o)
		if !reflect.DeepEqual(m1, m2) || !reflect.DeepEqual(m1, m3) {
			t.Errorf("%+v: two draws differ", o)
		}
	}
}

func TestDrawConcurrently(t *testing.T) {
	// Boundaries are read-only after Read: Draw may run in several
	// goroutines at once (run with -race).
	_, b := readReal(t)
	want := b.Draw(recommended)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := b.Draw(recommended); !reflect.DeepEqual(got, want) {
				t.Error("concurrent Draw differs")
			}
		})
	}
	wg.Wait()
}

func TestSharedBorders(t *testing.T) {
	// With equal tolerances, every drawn border between two kommuner is
	// drawn once in each direction (identical points on both sides: no gaps,
	// no overlaps) and every län edge is also a kommun edge.
	_, b := readReal(t)
	for _, tol := range []float64{0, 0.4, 2} {
		m := b.Draw(Options{Width: 400, KommunTolerance: tol, LanTolerance: tol})
		directed := map[[2]xy]int{}
		undirected := map[[2]xy]int{}
		for _, a := range m.Kommuner {
			for _, r := range parsePath(t, a.Path) {
				for i, p := range r {
					q := r[(i+1)%len(r)]
					directed[[2]xy{p, q}]++
					undirected[edgeKey(p, q)]++
				}
			}
		}
		shared := 0
		for e, n := range undirected {
			switch {
			case n > 2:
				t.Errorf("tolerance %g: edge %v drawn %d times", tol, e, n)
			case n == 2:
				shared++
				if directed[e] != 1 {
					t.Errorf("tolerance %g: shared edge %v drawn twice in the same direction", tol, e)
				}
			}
		}
		for _, a := range m.Lan {
			for _, r := range parsePath(t, a.Path) {
				for i, p := range r {
					if q := r[(i+1)%len(r)]; undirected[edgeKey(p, q)] == 0 {
						t.Errorf("tolerance %g: län %s edge %v–%v is on no kommun border", tol, a.Code, p, q)
					}
				}
			}
		}
		if shared < len(undirected)/3 {
			t.Errorf("tolerance %g: only %d of %d edges are shared", tol, shared, len(undirected))
		}
	}
}

func edgeKey(p, q xy) [2]xy {
	if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
		return [2]xy{q, p}
	}
	return [2]xy{p, q}
}

func TestEveryRingIsAPolygon(t *testing.T) {
	// However hard the simplification, a drawn ring has at least 3 distinct
	// corners (4 points with the closing one) and encloses an area, outer
	// rings run clockwise and holes counter-clockwise; every area keeps its
	// largest ring while the scale allows.
	_, b := readReal(t)
	for _, o := range []Options{
		{Width: 400},
		recommended,
		{Width: 400, KommunTolerance: 5, LanTolerance: 20},
		{Width: 400, KommunTolerance: 400, LanTolerance: 400},
		{Width: 100, KommunTolerance: 0.5, LanTolerance: 0.5},
		{Width: 20, KommunTolerance: 0.1, LanTolerance: 0.1},
	} {
		m := b.Draw(o)
		empty := 0
		for _, as := range [][]Area{m.Kommuner, m.Lan} {
			for _, a := range as {
				if a.Path == "" {
					empty++
					continue
				}
				for i, r := range parsePath(t, a.Path) {
					if len(r) < 3 {
						t.Errorf("%+v: %s ring %d has %d corners", o, a.Code, i, len(r))
					}
					for j, p := range r {
						if p == r[(j+1)%len(r)] {
							t.Errorf("%+v: %s ring %d repeats a point", o, a.Code, i)
						}
					}
					if area2(r) <= 0 && i == 0 {
						t.Errorf("%+v: %s: first ring is not clockwise", o, a.Code)
					}
				}
			}
		}
		if o.Width >= 100 && empty > 0 {
			t.Errorf("%+v: %d areas with an empty path", o, empty)
		}
	}
}

func TestPathSizes(t *testing.T) {
	_, b := readReal(t)
	for _, o := range []Options{recommended, {Width: 400, KommunTolerance: 0.4, LanTolerance: 0.4}, {Width: 400}} {
		m := b.Draw(o)
		var k, l int
		for _, a := range m.Kommuner {
			k += len(a.Path)
		}
		for _, a := range m.Lan {
			l += len(a.Path)
		}
		t.Logf("%+v: %v × %v, kommun paths %d bytes, län paths %d bytes", o, m.Width, m.Height, k, l)
	}
}

func TestAppendNum(t *testing.T) {
	tests := []struct {
		v       int64
		sep     bool
		prevDot bool
		want    string
	}{
		{0, false, false, "0"},
		{70, false, false, "7"},
		{123, false, false, "12.3"},
		{5, false, false, ".5"},
		{-5, false, false, "-.5"},
		{-123, false, false, "-12.3"},
		{0, true, false, " 0"},
		{123, true, true, " 12.3"},
		{5, true, false, " .5"}, // "7 .5", not "7.5"
		{5, true, true, ".5"},   // "1.2.5" reads 1.2 and .5
		{-5, true, true, "-.5"},
		{-20, true, false, "-2"},
	}
	for _, tt := range tests {
		got, _ := appendNum(nil, tt.v, tt.sep, tt.prevDot)
		if string(got) != tt.want {
			t.Errorf("appendNum(%d, %v, %v) = %q, want %q", tt.v, tt.sep, tt.prevDot, got, tt.want)
		}
	}
}

func BenchmarkReadAndDraw(b *testing.B) {
	d, err := loadReal()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		bs, err := Read(kommunFile, d.kommuner, lanFile, d.lan, d.kommunkoder, d.lanskoder)
		if err != nil {
			b.Fatal(err)
		}
		bs.Draw(recommended)
	}
}

// pathToken matches the commands and numbers of a path as Draw writes them.
var pathToken = regexp.MustCompile(`[MlZ]|-?(?:\d+(?:\.\d+)?|\.\d+)`)

// parsePath reads a path written by Draw back into rings of absolute
// points in tenths, checking its form on the way.
func parsePath(t testing.TB, d string) [][]xy {
	t.Helper()
	toks := pathToken.FindAllString(d, -1)
	if strings.Join(toks, "") != strings.NewReplacer(" ", "").Replace(d) {
		t.Fatalf("path has unexpected characters: %.80q", d)
	}
	var rings [][]xy
	num := func(i int) int64 {
		f, err := strconv.ParseFloat(toks[i], 64)
		if err != nil {
			t.Fatalf("bad number %q in path", toks[i])
		}
		return int64(math.Round(f * 10))
	}
	for i := 0; i < len(toks); {
		if toks[i] != "M" || i+3 >= len(toks) || toks[i+3] != "l" {
			t.Fatalf("ring %d does not start with M x y l: %q", len(rings), toks[i:min(i+4, len(toks))])
		}
		cur := xy{num(i + 1), num(i + 2)}
		r := []xy{cur}
		for i += 4; toks[i] != "Z"; i += 2 {
			cur = xy{cur[0] + num(i), cur[1] + num(i+1)}
			r = append(r, cur)
		}
		rings = append(rings, r)
		i++
	}
	return rings
}

// pathArea is the area a path fills with fill-rule nonzero (outer rings
// clockwise, holes counter-clockwise), in square map units.
func pathArea(t testing.TB, d string) float64 {
	var s int64
	for _, r := range parsePath(t, d) {
		s += area2(r)
	}
	return float64(s) / 200
}
