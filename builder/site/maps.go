package site

import (
	"bytes"
	"errors"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/chart"
	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/geo"
	"github.com/exempelbanken/portal/builder/sv"
)

// The maps: Sweden's kommuner and län (content/data/kommuner.geojson and
// lan.geojson, from SCB) projected and simplified once per build
// (builder/geo), then reused: /oversikt/ shades every kommun by its number
// of cases, and the län, kommun and case pages show a small locator map,
// the län outlines from one shared file (/karta/sverige.svg) with the
// place marked.
const (
	kommunGeoFile = "content/data/kommuner.geojson"
	lanGeoFile    = "content/data/lan.geojson"
	// mapFile holds the län outlines every locator map shows.
	mapFile = "karta/sverige.svg"
	// mapSource is the attribution every map carries (CC BY 4.0).
	mapSource = "Källa: SCB"
)

// mapOptions draw the maps: 400 units wide, kommuner and län at the same
// tolerance, so that the län borders drawn over the kommuner lie exactly
// on theirs.
var mapOptions = geo.Options{Width: 400, KommunTolerance: 0.4, LanTolerance: 0.4}

// mapCache keeps the map drawn by the last build of an incremental
// Builder, with a key over the boundary files and the codes it was drawn
// from: drawing takes tens of milliseconds and the map never changes
// while content is edited. The drawn map is never modified.
type mapCache struct {
	key uint64
	m   *geo.Map
}

// readMap reads and draws the boundaries, or returns nil when the site has
// none (both files missing). A code that does not match kommuner.csv or
// lan.csv is an error. With a cache, an unchanged map is not drawn again.
func readMap(s *content.Site, errs *diag.List, cache *mapCache) *geo.Map {
	root := s.Root
	kd, kerr := os.ReadFile(filepath.Join(root, filepath.FromSlash(kommunGeoFile)))
	ld, lerr := os.ReadFile(filepath.Join(root, filepath.FromSlash(lanGeoFile)))
	if errors.Is(kerr, fs.ErrNotExist) && errors.Is(lerr, fs.ErrNotExist) {
		return nil
	}
	for _, e := range []struct {
		file string
		err  error
	}{{kommunGeoFile, kerr}, {lanGeoFile, lerr}} {
		if e.err != nil {
			errs.Addf(e.file, 0, "kan inte läsa kartans gränser: %v", e.err)
		}
	}
	if kerr != nil || lerr != nil {
		return nil
	}
	var kommunkoder, lanskoder []string
	for _, k := range s.Kommuner {
		kommunkoder = append(kommunkoder, k.Code)
	}
	for _, l := range s.Lan {
		lanskoder = append(lanskoder, l.Code)
	}
	var key uint64
	if cache != nil {
		var h maphash.Hash
		h.SetSeed(linkSeed)
		h.Write(kd)
		h.WriteByte(0)
		h.Write(ld)
		for _, c := range append(kommunkoder, lanskoder...) {
			h.WriteByte(0)
			h.WriteString(c)
		}
		key = h.Sum64()
		if cache.m != nil && cache.key == key {
			return cache.m
		}
	}
	b, err := geo.Read(kommunGeoFile, kd, lanGeoFile, ld, kommunkoder, lanskoder)
	if err != nil {
		errs.AddErr(kommunGeoFile, err)
		return nil
	}
	m := b.Draw(mapOptions)
	if cache != nil {
		cache.key, cache.m = key, m
	}
	return m
}

// CaseMap is a map of cases per area: on /oversikt/ every kommun, shaded
// by its count, with the län borders over them; on the home page the län.
type CaseMap struct {
	Width, Height float64
	Areas         []*MapArea
	Outline       []geo.Area // borders drawn over the areas (none: nil)
	Classes       []MapClass
	Source        string
	Kind          string // "kommun" or "län", for the caption
}

// MapArea is one area on the map: its shape, cases and class.
type MapArea struct {
	Name, Path, URL string
	Count, Class    int
}

// MapClass is one class of the legend.
type MapClass struct {
	Class int
	Label string
}

// mapClasses are the legend's classes: upper bounds of the counts, in
// order (class 0 is no cases). One hue, light to dark, so the classes
// differ in greyscale and for colour-blind readers too.
var mapClasses = []struct {
	max   int
	label string
}{{0, "Inga exempel"}, {1, "1 exempel"}, {3, "2–3 exempel"}, {9, "4–9 exempel"}, {1 << 30, "10 eller fler"}}

func classOf(n int) int {
	for i, c := range mapClasses {
		if n <= c.max {
			return i
		}
	}
	return len(mapClasses) - 1
}

// newCaseMap shades each area of areas by the cases of its facet value
// (found by code); outline is drawn over them.
func newCaseMap(m *geo.Map, areas []geo.Area, f *Facet, code func(*FacetValue) string, outline []geo.Area, kind string) *CaseMap {
	if m == nil {
		return nil
	}
	cm := &CaseMap{Width: m.Width, Height: m.Height, Outline: outline, Source: mapSource, Kind: kind}
	byCode := map[string]*FacetValue{}
	if f != nil {
		for _, v := range f.Values {
			if c := code(v); c != "" {
				byCode[c] = v
			}
		}
	}
	for _, a := range areas {
		k := &MapArea{Name: a.Name, Path: a.Path}
		if v := byCode[a.Code]; v != nil {
			k.Count, k.URL, k.Name = countSwedish(v.Cases), v.URL, v.Label
		}
		k.Class = classOf(k.Count)
		cm.Areas = append(cm.Areas, k)
	}
	for i, c := range mapClasses {
		cm.Classes = append(cm.Classes, MapClass{i, c.label})
	}
	return cm
}

// Label is the area's accessible name: "Ale: 7 exempel".
func (k *MapArea) Label() string {
	return k.Name + ": " + strconv.Itoa(k.Count) + " exempel"
}

// Linked returns the areas that have cases, most first, then by name in
// Swedish order, for the table beside the map.
func (cm *CaseMap) Linked() []*MapArea {
	var out []*MapArea
	for _, a := range cm.Areas {
		if a.Count > 0 {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b *MapArea) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return bytes.Compare(sv.Key(a.Name), sv.Key(b.Name))
	})
	return out
}

// Locator is a small map of Sweden with places marked.
type Locator struct {
	Width, Height float64
	Title         string   // the image's name: "Ale i Västra Götalands län"
	Marks         []string // SVG paths of the marked areas
	Dots          []Dot    // a dot on each, so that a small kommun shows
}

// Dot is a point on a map, its coordinates formatted.
type Dot struct{ X, Y string }

// locators finds the areas of the drawn map by code, each with its dot
// (the centroid, formatted once: every case in a kommun has it).
type locators struct {
	m           *geo.Map
	kommun, lan map[string]locArea
	// cases keeps the cases' locators by the codes of the places they
	// mark (ofCase): thousands of cases share a few hundred places.
	mu    sync.Mutex
	cases map[string]*Locator
}

type locArea struct {
	a   *geo.Area
	dot Dot
}

func newLocators(m *geo.Map) *locators {
	if m == nil {
		return nil
	}
	l := &locators{m: m, kommun: map[string]locArea{}, lan: map[string]locArea{}, cases: map[string]*Locator{}}
	for i := range m.Kommuner {
		a := &m.Kommuner[i]
		l.kommun[a.Code] = locArea{a, Dot{chart.Num(a.Centroid[0]), chart.Num(a.Centroid[1])}}
	}
	for i := range m.Lan {
		l.lan[m.Lan[i].Code] = locArea{a: &m.Lan[i]}
	}
	return l
}

// of returns the locator of the given kommuner, else of the given län;
// nil when there is neither (an international or national case).
func (l *locators) of(title string, kommuner []*content.Kommun, lan []*content.Lan) *Locator {
	if l == nil {
		return nil
	}
	loc := &Locator{Width: l.m.Width, Height: l.m.Height, Title: title}
	mark := func(a locArea, dot bool) {
		if a.a == nil {
			return
		}
		loc.Marks = append(loc.Marks, a.a.Path)
		if dot {
			loc.Dots = append(loc.Dots, a.dot)
		}
	}
	for _, k := range kommuner {
		mark(l.kommun[k.Code], true)
	}
	if len(loc.Marks) == 0 {
		for _, ln := range lan {
			mark(l.lan[ln.Code], false)
		}
	}
	if len(loc.Marks) == 0 {
		return nil
	}
	return loc
}

// ofCase returns the locator of a case's page: of its municipalities,
// else of its regions, named after them (placeOf). Cases with the same
// places share one; a locator is only read.
func (l *locators) ofCase(c *content.Case) *Locator {
	if l == nil {
		return nil
	}
	// The codes say which places, in their order, and so the title too
	// (names are unique); the regions count also with municipalities,
	// which they stand in for when these are not on the map.
	var key string
	switch {
	case len(c.Municipalities) == 1 && len(c.ExplicitRegions) == 0:
		key = c.Municipalities[0].Code
	case len(c.Municipalities) == 0 && len(c.ExplicitRegions) == 0:
		return nil // no place on the map
	default:
		var b strings.Builder
		for _, k := range c.Municipalities {
			b.WriteString(k.Code)
			b.WriteByte(',')
		}
		b.WriteByte('|')
		for _, r := range c.ExplicitRegions {
			b.WriteString(r.Code)
			b.WriteByte(',')
		}
		key = b.String()
	}
	l.mu.Lock()
	loc, ok := l.cases[key]
	l.mu.Unlock()
	if ok {
		return loc
	}
	loc = l.of(placeOf(c)+" på Sverigekartan", c.Municipalities, c.ExplicitRegions)
	l.mu.Lock()
	l.cases[key] = loc
	l.mu.Unlock()
	return loc
}

// locatorSVG is the shared file of län outlines the locators <use>.
func locatorSVG(m *geo.Map) []byte {
	var b []byte
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `+chart.Num(m.Width)+" "+chart.Num(m.Height)+`"><g id="lan">`...)
	for _, a := range m.Lan {
		b = append(b, `<path d="`+a.Path+`"/>`...)
	}
	b = append(b, "</g></svg>\n"...)
	return b
}

// ViewBox is the SVG viewBox of the map.
func (cm *CaseMap) ViewBox() string { return "0 0 " + chart.Num(cm.Width) + " " + chart.Num(cm.Height) }

// ViewBox is the SVG viewBox of the locator.
func (l *Locator) ViewBox() string { return "0 0 " + chart.Num(l.Width) + " " + chart.Num(l.Height) }

// LocatorHref is the län outlines every locator map uses.
const LocatorHref = "/" + mapFile + "#lan"
