// Package chart draws bar charts as static, accessible SVG at build time:
// no script and no chart library in the browser. A chart is an image with
// a name and a description (role="img", <title>, <desc>), every bar has
// its label and its number as text, and the page shows the same numbers
// as a table beside it (the UK Analysis Function's and Digg's advice for
// charts).
//
// The colours are CSS classes (chart__bar, chart__label, chart__value),
// so that the stylesheet can follow dark mode, forced colours and print.
package chart

import (
	"fmt"
	"html"
	"strconv"
	"strings"
)

// Bar is one bar: a label, its number, and the page it links to ("" for
// none).
type Bar struct {
	Label string
	Value int
	URL   string
}

// Chart is a horizontal bar chart.
type Chart struct {
	ID    string // unique on the page; the ids of the title and description derive from it
	Title string // the image's accessible name ("Exempel per investeringsmodell")
	Desc  string // what it shows, in a sentence or two, for a screen reader
	Bars  []Bar
	Unit  string // after each number: "exempel"
}

// The chart's layout, in SVG units: each bar has its label on a line of
// its own above it, so that the chart stays narrow and readable on a
// phone.
const (
	Width      = 400.0
	labelSize  = 13.0
	labelLine  = 17.0
	barHeight  = 14.0
	rowGap     = 9.0
	valueSpace = 92.0 // room after the longest bar for its number
)

// RowHeight is the height of one bar with its label.
const RowHeight = labelLine + barHeight + rowGap

// SVG returns the chart as an <svg> element. Its text is escaped; the
// output is the same for the same chart.
func (c *Chart) SVG() string {
	max := 0
	for _, b := range c.Bars {
		if b.Value > max {
			max = b.Value
		}
	}
	h := float64(len(c.Bars))*RowHeight + rowGap
	var s strings.Builder
	id := html.EscapeString(c.ID)
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-labelledby="%s-titel %s-beskrivning">`,
		Num(Width), Num(h), Num(Width), Num(h), id, id)
	fmt.Fprintf(&s, `<title id="%s-titel">%s</title><desc id="%s-beskrivning">%s</desc>`, id, html.EscapeString(c.Title), id, html.EscapeString(c.Desc))
	scale := 0.0
	if max > 0 {
		scale = (Width - valueSpace) / float64(max)
	}
	for i, b := range c.Bars {
		y := rowGap + float64(i)*RowHeight
		w := float64(b.Value) * scale
		if b.Value > 0 && w < 2 {
			w = 2 // a bar of one is still visible
		}
		s.WriteString("<g>")
		fmt.Fprintf(&s, `<text class="chart__label" x="0" y="%s">%s</text>`, Num(y+labelSize), html.EscapeString(b.Label))
		fmt.Fprintf(&s, `<rect class="chart__bar" x="0" y="%s" width="%s" height="%s"/>`, Num(y+labelLine), Num(w), Num(barHeight))
		value := strconv.Itoa(b.Value)
		if c.Unit != "" {
			value += " " + c.Unit
		}
		fmt.Fprintf(&s, `<text class="chart__value" x="%s" y="%s">%s</text>`, Num(w+6), Num(y+labelLine+barHeight-2.5), html.EscapeString(value))
		s.WriteString("</g>")
	}
	s.WriteString("</svg>")
	return s.String()
}

// Num formats an SVG coordinate with at most one decimal and no trailing
// zero ("12.3", "7"); the maps use it too.
func Num(f float64) string {
	return strconv.FormatFloat(float64(int64(f*10+0.5))/10, 'f', -1, 64)
}
