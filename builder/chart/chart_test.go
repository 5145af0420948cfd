package chart

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.svg")

func sample() *Chart {
	return &Chart{ID: "modell", Title: "Exempel per investeringsmodell", Desc: "Social investeringsfond har flest exempel, 8 av 50.",
		Unit: "exempel", Bars: []Bar{{"Social investeringsfond", 8, "/begrepp/social-investeringsfond/"}, {"Ordinarie budget", 11, ""},
			{"Dubbelmodell", 1, ""}, {"Ingen <b>&", 0, ""}}}
}

// TestGoldenSVG: the SVG of one chart, byte for byte (-update rewrites it
// after a checked change).
func TestGoldenSVG(t *testing.T) {
	got := sample().SVG()
	golden := filepath.Join("testdata", "modell.svg")
	if *update {
		os.WriteFile(golden, []byte(got+"\n"), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got+"\n" != string(want) {
		t.Errorf("SVG differs from %s (go test ./builder/chart -update after checking):\n%s", golden, got)
	}
}

// TestSVGAccessible: the SVG parses, is an image named by its title and
// described by its desc, and carries every label and number as text; the
// longest bar is the largest value's, a zero is no bar, a one is visible.
func TestSVGAccessible(t *testing.T) {
	c := sample()
	svg := c.SVG()
	var doc struct {
		Role     string `xml:"role,attr"`
		Labelled string `xml:"aria-labelledby,attr"`
		Title    struct {
			ID   string `xml:"id,attr"`
			Text string `xml:",chardata"`
		} `xml:"title"`
		Desc struct {
			ID string `xml:"id,attr"`
		} `xml:"desc"`
		G []struct {
			Text []string `xml:"text"`
			Rect struct {
				Width float64 `xml:"width,attr"`
			} `xml:"rect"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, svg)
	}
	if doc.Role != "img" || doc.Labelled != doc.Title.ID+" "+doc.Desc.ID || doc.Title.Text != c.Title {
		t.Errorf("role %q, labelled by %q, title %+v", doc.Role, doc.Labelled, doc.Title)
	}
	if len(doc.G) != len(c.Bars) {
		t.Fatalf("%d bars, want %d", len(doc.G), len(c.Bars))
	}
	for i, b := range c.Bars {
		g := doc.G[i]
		if len(g.Text) != 2 || g.Text[0] != b.Label || g.Text[1] != strconv.Itoa(b.Value)+" exempel" {
			t.Errorf("bar %d texts %q", i, g.Text)
		}
	}
	if doc.G[1].Rect.Width != Width-valueSpace || doc.G[0].Rect.Width >= doc.G[1].Rect.Width {
		t.Errorf("widths %v %v", doc.G[0].Rect.Width, doc.G[1].Rect.Width)
	}
	if doc.G[3].Rect.Width != 0 || doc.G[2].Rect.Width < 2 {
		t.Errorf("zero bar %v, one bar %v", doc.G[3].Rect.Width, doc.G[2].Rect.Width)
	}
	if strings.Contains(svg, "<b>") {
		t.Error("a label's markup is live")
	}
}
