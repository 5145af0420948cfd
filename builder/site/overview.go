package site

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/exempelbanken/portal/builder/chart"
	"github.com/exempelbanken/portal/builder/content"
)

// overviewURL is /oversikt/: Sweden at a glance, a map and charts.
const overviewURL = "/oversikt/"

// Overview is what /oversikt/ shows: the map of cases per kommun (when the
// site has boundaries), charts of the cases per investment model, target
// group, focus area, status and start year, each with its numbers as a
// table, and how many cases lie outside Sweden (counted apart).
type Overview struct {
	Map           *CaseMap
	Charts        []*OverviewChart
	Swedish       int
	International []*content.Case
}

// OverviewChart is one chart and its table.
type OverviewChart struct {
	ID, Title, Desc string
	SVG             template.HTML
	Rows            []chart.Bar
	// Head names the table's first column ("Investeringsmodell").
	Head string
}

// swedishCases returns the cases in Sweden (international ones are counted
// apart on the overview).
func swedishCases(cs []*content.Case) []*content.Case {
	var out []*content.Case
	for _, c := range cs {
		if !c.International() {
			out = append(out, c)
		}
	}
	return out
}

// countSwedish returns the number of cases in Sweden among cs
// (len(swedishCases(cs)) without the list).
func countSwedish(cs []*content.Case) int {
	n := 0
	for _, c := range cs {
		if !c.International() {
			n++
		}
	}
	return n
}

// newOverview builds the overview's charts from the facet counts.
func newOverview(s *content.Site, facets []*Facet, m *CaseMap) *Overview {
	o := &Overview{Map: m}
	for _, c := range s.Cases {
		if c.International() {
			o.International = append(o.International, c)
		}
	}
	o.Swedish = len(s.Cases) - len(o.International)
	bars := func(f *Facet) []chart.Bar {
		var out []chart.Bar
		for _, v := range f.Values {
			if n := countSwedish(v.Cases); n > 0 {
				out = append(out, chart.Bar{Label: v.Label, Value: n, URL: v.URL})
			}
		}
		// Most cases first; equal counts keep the facet's order.
		slices.SortStableFunc(out, func(a, b chart.Bar) int { return b.Value - a.Value })
		return out
	}
	add := func(id, title, head, desc string, rows []chart.Bar) {
		if len(rows) == 0 {
			return
		}
		c := &chart.Chart{ID: "diagram-" + id, Title: title, Desc: desc + " " + topText(rows, o.Swedish), Bars: rows, Unit: "exempel"}
		o.Charts = append(o.Charts, &OverviewChart{ID: c.ID, Title: title, Desc: c.Desc, SVG: template.HTML(c.SVG()), Rows: rows, Head: head})
	}
	if f := facetByKey(facets, facetModell); f != nil {
		add("modell", "Exempel per investeringsmodell", "Investeringsmodell",
			"Hur exemplen finansieras; ett exempel kan ha flera modeller.", bars(f))
	}
	if f := facetByKey(facets, facetMalgrupp); f != nil {
		add("malgrupp", "Exempel per målgrupp", "Målgrupp", "Vilka exemplen riktar sig till; ett exempel kan ha flera målgrupper.", bars(f))
	}
	if f := facetByKey(facets, facetFokus); f != nil {
		add("fokus", "Exempel per fokusområde", "Fokusområde", "Vad exemplen handlar om; ett exempel kan ha flera fokusområden.", bars(f))
	}
	if f := facetByKey(facets, facetStatus); f != nil {
		var rows []chart.Bar
		stale := 0
		for _, v := range f.Values {
			cs := swedishCases(v.Cases)
			if v.Slug == staleSlug {
				stale = len(cs) // the open statuses that are old: a note, not a status
				continue
			}
			if len(cs) == 0 {
				continue
			}
			rows = append(rows, chart.Bar{Label: v.Label + years(cs), Value: len(cs), URL: v.URL})
		}
		desc := "Status enligt källorna, med de år uppgifterna gäller; en status kan ha ändrats sedan dess."
		if stale > 0 {
			desc += " För " + strconv.Itoa(stale) + " av exemplen är uppgiften om en pågående eller planerad status så gammal att den kan vara inaktuell."
		}
		add("status", "Exempel per status", "Status", desc, rows)
	}
	counts := map[int]int{}
	for _, c := range s.Cases {
		if !c.International() {
			counts[c.Start]++
		}
	}
	var yearsList []int
	for y := range counts {
		if y != 0 {
			yearsList = append(yearsList, y)
		}
	}
	slices.Sort(yearsList)
	var rows []chart.Bar
	for _, y := range yearsList {
		rows = append(rows, chart.Bar{Label: strconv.Itoa(y), Value: counts[y]})
	}
	if counts[0] > 0 {
		rows = append(rows, chart.Bar{Label: "Startår anges inte", Value: counts[0]})
	}
	add("startar", "Exempel per startår", "Startår", "När arbetet började, enligt källorna.", rows)
	return o
}

// years is " (uppgifter från 2011–2017)" for the as-of years of cs, or ""
// when none has one.
func years(cs []*content.Case) string {
	lo, hi := 0, 0
	for _, c := range cs {
		y := c.StatusAsOf.Year
		if y == 0 {
			continue
		}
		if lo == 0 || y < lo {
			lo = y
		}
		if y > hi {
			hi = y
		}
	}
	switch {
	case lo == 0:
		return ""
	case lo == hi:
		return " (uppgift från " + strconv.Itoa(lo) + ")"
	}
	return " (uppgifter från " + strconv.Itoa(lo) + "–" + strconv.Itoa(hi) + ")"
}

// topText says which bar is largest, for a chart's description.
func topText(rows []chart.Bar, total int) string {
	if len(rows) == 0 {
		return ""
	}
	top := rows[0]
	for _, r := range rows {
		if r.Value > top.Value {
			top = r
		}
	}
	return "Flest: " + top.Label + ", " + strconv.Itoa(top.Value) + " av " + strconv.Itoa(total) + " exempel."
}
