package geo

import "math"

// SWEREF 99 TM (EPSG:3006): the Transverse Mercator (Gauss conformal)
// projection of the GRS 80 ellipsoid with central meridian 15°E, scale 0.9996
// on that meridian, false easting 500 000 m and false northing 0.
//
// The formulas are Krüger's series to the fourth order in n, as Lantmäteriet
// publishes them in "Gauss Krügers formler" (its geodetic formula collection,
// linked from https://www.lantmateriet.se/en/geodata/gps-geodesi-och-swepos/geodesy/map-projections/;
// originally L. Krüger, "Konforme Abbildung des Erdellipsoids in der Ebene",
// Leipzig 1912). They are accurate to well under a millimetre within Sweden;
// project_test.go checks them against Lantmäteriet's control points.
const (
	grs80A       = 6378137.0         // semi-major axis, m
	grs80F       = 1 / 298.257222101 // flattening
	tmLon0       = 15.0              // central meridian, degrees east
	tmScale      = 0.9996            // scale factor on the central meridian
	tmFalseEast  = 500000.0          // m
	tmFalseNorth = 0.0               // m
)

// tm holds the constants of the series, computed once from the ellipsoid.
var tm = func() (c struct {
	aRoof      float64 // â: the radius of the rectifying sphere, times the scale factor
	a, b, c, d float64 // conformal latitude series
	beta       [4]float64
}) {
	e2 := grs80F * (2 - grs80F)
	n := grs80F / (2 - grs80F)
	c.aRoof = tmScale * grs80A / (1 + n) * (1 + n*n/4 + n*n*n*n/64)
	c.a = e2
	c.b = (5*e2*e2 - e2*e2*e2) / 6
	c.c = (104*e2*e2*e2 - 45*e2*e2*e2*e2) / 120
	c.d = 1237 * e2 * e2 * e2 * e2 / 1260
	c.beta = [4]float64{
		n/2 - 2*n*n/3 + 5*n*n*n/16 + 41*n*n*n*n/180,
		13*n*n/48 - 3*n*n*n/5 + 557*n*n*n*n/1440,
		61*n*n*n/240 - 103*n*n*n*n/140,
		49561 * n * n * n * n / 161280,
	}
	return c
}()

// project returns SWEREF 99 TM easting and northing in metres for a
// longitude and latitude in degrees (SWEREF 99, which agrees with WGS 84 to
// well within a metre). On the central meridian the easting is exactly
// 500 000 m. Callers keep the longitude within a few tens of degrees of 15°E
// (Read rejects points far outside Sweden), where the series converges.
func project(lon, lat float64) (e, n float64) {
	phi := lat * math.Pi / 180
	dLambda := (lon - tmLon0) * math.Pi / 180
	sin, cos := math.Sincos(phi)
	s2 := sin * sin
	phiStar := phi - sin*cos*(tm.a+s2*(tm.b+s2*(tm.c+s2*tm.d)))
	xi := math.Atan(math.Tan(phiStar) / math.Cos(dLambda))
	eta := math.Atanh(math.Cos(phiStar) * math.Sin(dLambda))
	x, y := xi, eta
	for j, b := range tm.beta {
		k := float64(2 * (j + 1))
		x += b * math.Sin(k*xi) * math.Cosh(k*eta)
		y += b * math.Cos(k*xi) * math.Sinh(k*eta)
	}
	return tm.aRoof*y + tmFalseEast, tm.aRoof*x + tmFalseNorth
}
