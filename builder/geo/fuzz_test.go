package geo

import (
	"math"
	"testing"
)

// FuzzRead reads arbitrary bytes as the kommun file (the län file and the
// code lists fixed) and draws what it accepts: neither may panic, and what
// Draw writes must read back as closed rings.
func FuzzRead(f *testing.F) {
	f.Add(twoKommuner, 400.0, 0.4)
	f.Add(collection(kommun("0114", "Väster", polygon(square(15, 62, 0.1), square(15.02, 62.02, 0.01))),
		kommun("0115", "Öster", `{"type":"MultiPolygon","coordinates":[[`+square(15.1, 62, 0.1)+`],[`+square(15.3, 62, 0.001)+`]]}`)), 50.0, 0.0)
	f.Add(collection(kommun("0114", "Punkt", polygon("[[15,62],[15,62],[15,62],[15,62]]")), kommun("0115", "Ö", polygon(square(15, 62, 1e-9)))), 1e9, math.Inf(1))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"kommun_kod":"0114"},"geometry":{"type":"GeometryCollection","geometries":[]}}]}`), -1.0, math.NaN())
	f.Add([]byte(`{"type":"FeatureCollection","features":[null,{}]}`), 0.0, 0.0)
	f.Add([]byte(`[1,2`), 1.0, 1.0)
	f.Fuzz(func(t *testing.T, data []byte, width, tol float64) {
		b, err := Read("k", data, "l", oneLan, kommunkoder, lanskoder)
		if err != nil {
			if b != nil {
				t.Fatal("Boundaries returned with an error")
			}
			return
		}
		m := b.Draw(Options{Width: width, KommunTolerance: tol, LanTolerance: tol})
		if !(m.Width > 0) || !(m.Height > 0) || math.IsInf(m.Height, 0) {
			t.Fatalf("map %v × %v", m.Width, m.Height)
		}
		for _, as := range [][]Area{m.Kommuner, m.Lan} {
			for _, a := range as {
				for _, r := range parsePath(t, a.Path) {
					if len(r) < 3 {
						t.Fatalf("%s: ring with %d corners: %q", a.Code, len(r), a.Path)
					}
				}
			}
		}
	})
}
