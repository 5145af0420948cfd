package geo

import (
	"math"
	"testing"
)

// Lantmäteriet's control points for SWEREF 99 TM (latitude, longitude →
// northing, easting), as quoted with PROJ's results, which match them to the
// millimetre, in https://lists.osgeo.org/pipermail/proj/2008-October/003501.html
// ("I have tested this with the control points provided in the link above",
// the link being Lantmäteriet's SWEREF 99 page).
var controlPoints = []struct {
	name     string
	lat, lon float64
	n, e     float64
}{
	{"55°00'N 12°45'E", 55, 12.75, 6097106.672, 356083.438},
	{"55°00'N 14°15'E", 55, 14.25, 6095048.642, 452024.069},
	{"57°00'N 12°45'E", 57, 12.75, 6319636.937, 363331.554},
	{"57°00'N 19°30'E", 57, 19.5, 6326392.707, 773251.054},
	{"59°00'N 11°15'E", 59, 11.25, 6546096.724, 284626.066},
}

func TestProjectControlPoints(t *testing.T) {
	// The brief asks for 1 m; Krüger's series to n⁴ is good to well under
	// a millimetre in Sweden, and the points are given to the millimetre.
	const tol = 0.001 // m
	for _, c := range controlPoints {
		t.Run(c.name, func(t *testing.T) {
			e, n := project(c.lon, c.lat)
			if math.Abs(e-c.e) > tol || math.Abs(n-c.n) > tol {
				t.Errorf("project(%v, %v) = E %.4f N %.4f, want E %.3f N %.3f (±%g m)", c.lon, c.lat, e, n, c.e, c.n, tol)
			}
		})
	}
}

func TestProjectCentralMeridian(t *testing.T) {
	for _, lat := range []float64{55.3, 59, 63.5, 69.06} {
		if e, _ := project(15, lat); e != 500000 {
			t.Errorf("project(15, %v): easting %.9f, want exactly 500000", lat, e)
		}
	}
	// The equator on the central meridian is the origin of the northings.
	if _, n := project(15, 0); n != 0 {
		t.Errorf("project(15, 0): northing %v, want 0", n)
	}
}
