package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/xuri/excelize/v2"
)

// TestDataFiles: the build writes the open data and its page, linked from
// every page's footer.
func TestDataFiles(t *testing.T) {
	m, _ := build(t, "")
	for _, name := range []string{"exempel.json", "begrepp.json", "kallor.json", "exempel.schema.json", "exempel.csv", "exempel.xlsx", "dcat.rdf"} {
		b, ok := m.Get("data/" + name)
		if !ok || len(b) == 0 {
			t.Errorf("no data/%s", name)
		}
	}
	p := page(t, m, "data/index.html")
	for _, want := range []string{"<h1>Öppna data</h1>", `href="/data/exempel.xlsx"`, "CC BY 4.0", "Testredaktionen", "<code>kommunkod</code>", `href="/data/dcat.rdf"`} {
		if !strings.Contains(p, want) {
			t.Errorf("/data/ lacks %q", want)
		}
	}
	if !strings.Contains(page(t, m, "index.html"), `<a href="/data/">Öppna data</a>`) {
		t.Error("the footer does not link /data/")
	}
}

// TestDataNeedsPublisher: with a baseURL but no publisher, the build fails
// with an error naming site.yaml; without a baseURL it builds, with no
// catalogue.
func TestDataNeedsPublisher(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/site.yaml --\ntitle: Testbanken\nbaseURL: https://test.example/\nlanguage: sv\n")
	b := New(Options{Root: dir})
	defer b.Close()
	_, err := b.Build(output.NewMemory())
	if err == nil || !strings.Contains(err.Error(), "content/site.yaml: publisher, publisher_uri, contact_email saknas") {
		t.Errorf("err = %v", err)
	}
	m, _ := build(t, "-- content/site.yaml --\ntitle: Testbanken\nlanguage: sv\n")
	if _, ok := m.Get("data/dcat.rdf"); ok {
		t.Error("dcat.rdf without a baseURL")
	}
	if !strings.Contains(page(t, m, "data/index.html"), "skrivs bara när webbplatsen har en fast adress") {
		t.Error("/data/ does not say why there is no catalogue")
	}
}

// TestHostileData: hostile front matter reaches the open data as inert
// text: the JSON parses and has no raw <, the CSV reads back, the Excel
// file opens, dcat.rdf is well-formed XML.
func TestHostileData(t *testing.T) {
	m, _ := build(t, hostile)
	get := func(name string) []byte {
		b, ok := m.Get("data/" + name)
		if !ok {
			t.Fatalf("no data/%s", name)
		}
		return b
	}
	for _, name := range []string{"exempel.json", "begrepp.json", "kallor.json", "exempel.schema.json"} {
		b := get(name)
		if !json.Valid(b) {
			t.Errorf("%s is not valid JSON", name)
		}
		if bytes.ContainsAny(b, "<>") {
			t.Errorf("%s has a raw < or >", name)
		}
	}
	var f struct {
		Cases []struct {
			Title    string   `json:"titel"`
			Partners []string `json:"partner"`
		} `json:"exempel"`
	}
	json.Unmarshal(get("exempel.json"), &f)
	found := false
	for _, c := range f.Cases {
		if c.Title == "<script>alert('titel')</script> Fientlig" && len(c.Partners) == 1 && c.Partners[0] == "</dd><script>alert(4)</script>" {
			found = true
		}
	}
	if !found {
		t.Error("the hostile case's title and partner are not kept as text in exempel.json")
	}
	rows, err := csv.NewReader(bytes.NewReader(get("exempel.csv"))).ReadAll()
	if err != nil {
		t.Fatalf("exempel.csv: %v", err)
	}
	hostileRow := false
	for _, r := range rows {
		if len(r) > 2 && r[2] == "<script>alert('titel')</script> Fientlig" {
			hostileRow = true
		}
	}
	if !hostileRow {
		t.Error("exempel.csv: the hostile title does not read back as it was")
	}
	x, err := excelize.OpenReader(bytes.NewReader(get("exempel.xlsx")))
	if err != nil {
		t.Fatalf("exempel.xlsx: %v", err)
	}
	x.Close()
	d := xml.NewDecoder(bytes.NewReader(get("dcat.rdf")))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("dcat.rdf: %v", err)
		}
	}
	for _, bad := range liveMarkup(page(t, m, "data/index.html")) {
		t.Errorf("/data/: live markup %s", bad)
	}
}

// TestNoOpenData: NoOpenData (portal build -open-data=false) leaves out
// /data/, its footer link and the feeds, and nothing else.
func TestNoOpenData(t *testing.T) {
	with, _ := build(t, "")
	without, _ := build(t, "", func(o *Options) { o.NoOpenData = true })
	for _, name := range without.Names() {
		if strings.HasPrefix(name, "data/") || strings.HasSuffix(name, "/atom.xml") {
			t.Errorf("%s written with NoOpenData", name)
		}
	}
	if strings.Contains(page(t, without, "index.html"), `href="/data/"`) {
		t.Error("the footer links /data/ with NoOpenData")
	}
	missing := 0
	for _, name := range with.Names() {
		if _, ok := without.Get(name); !ok && !strings.HasPrefix(name, "data/") && !strings.HasSuffix(name, "/atom.xml") {
			t.Errorf("%s left out too", name)
		}
		if _, ok := without.Get(name); !ok {
			missing++
		}
	}
	if missing == 0 {
		t.Error("NoOpenData left nothing out")
	}
}
