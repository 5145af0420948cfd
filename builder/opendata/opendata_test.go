package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"
)

const base = "https://exempelbanken.se"

var (
	realOnce sync.Once
	realSite *content.Site
	realErr  error
)

// real loads the portal's real content once.
func real(t *testing.T) *content.Site {
	t.Helper()
	realOnce.Do(func() { realSite, realErr = content.Load(sitetest.RepoRoot(t)) })
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realSite
}

func files(t *testing.T, s *content.Site, o Options) map[string][]byte {
	t.Helper()
	fs, err := Files(s, o)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range fs {
		out[f.Name] = f.Data
	}
	return out
}

// compile returns the schema at ref ("" for exempel.json's, or
// "#/$defs/begreppsfil") of exempel.schema.json.
func compile(t *testing.T, schemaData []byte, ref string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaData))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = base + "/data/exempel.schema.json"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(id + ref)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func instance(t *testing.T, data []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJSONValidatesAgainstSchema: every JSON file of the real content
// validates against exempel.schema.json with a JSON Schema 2020-12
// validator, and a file that breaks the schema does not.
func TestJSONValidatesAgainstSchema(t *testing.T) {
	f := files(t, real(t), Options{BaseURL: base})
	for _, tt := range []struct{ file, ref string }{
		{"exempel.json", ""}, {"begrepp.json", "#/$defs/begreppsfil"}, {"kallor.json", "#/$defs/kallfil"},
	} {
		if err := compile(t, f["exempel.schema.json"], tt.ref).Validate(instance(t, f[tt.file])); err != nil {
			t.Errorf("%s: %v", tt.file, err)
		}
	}
	// The schema can fail: a kommunkod without its leading zero, a
	// missing key, an unknown status.
	sch := compile(t, f["exempel.schema.json"], "")
	for _, bad := range []struct{ name, from, to string }{
		{"kommunkod as a number", `"kommunkod":"1440"`, `"kommunkod":1440`},
		{"short kommunkod", `"kommunkod":"1440"`, `"kommunkod":"144"`},
		{"unknown status", `"varde":"uppstart"`, `"varde":"igång"`},
		{"missing key", `"granskad":"2026-12-03",`, ``},
		{"unknown key", `"slug":"minimili",`, `"slug":"minimili","hemligt":1,`},
	} {
		broken := strings.Replace(string(f["exempel.json"]), bad.from, bad.to, 1)
		if broken == string(f["exempel.json"]) {
			t.Fatalf("%s: %q not in exempel.json", bad.name, bad.from)
		}
		if err := sch.Validate(instance(t, []byte(broken))); err == nil {
			t.Errorf("%s: the schema accepts it", bad.name)
		}
	}
}

// TestCaseRecord: a case's record resolves what front matter names.
func TestCaseRecord(t *testing.T) {
	var f caseFile
	if err := json.Unmarshal(files(t, real(t), Options{BaseURL: base})["exempel.json"], &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) != len(real(t).Cases) {
		t.Fatalf("%d cases, want %d", len(f.Cases), len(real(t).Cases))
	}
	var mm *caseRecord
	for _, c := range f.Cases {
		if c.Slug == "minimili" {
			mm = c
		}
	}
	if mm == nil {
		t.Fatal("minimili missing")
	}
	if len(mm.Municipality) != 1 || mm.Municipality[0] != (kommunRecord{"Ale", "1440", "Västra Götalands län", "14"}) {
		t.Errorf("kommuner = %+v", mm.Municipality)
	}
	if mm.URL != base+"/exempel/minimili/" || len(mm.Models) != 1 || mm.Models[0].URL != base+"/begrepp/social-investeringsfond/" {
		t.Errorf("urls: %s, %+v", mm.URL, mm.Models)
	}
	if mm.Status.Value != "uppstart" || str(mm.Status.AsOf) != "2014" || mm.Status.Text == "" {
		t.Errorf("status = %+v", mm.Status)
	}
	if len(mm.Sources) == 0 || mm.Sources[0].Title == "" || !strings.HasPrefix(mm.Sources[0].Page, base+"/kallor/") {
		t.Errorf("sources = %+v", mm.Sources)
	}
	if f.License.Name != "CC BY 4.0" || f.Modified == "" {
		t.Errorf("head = %+v", f.fileHead)
	}
	// Without a base URL, addresses are site-relative.
	var rel caseFile
	json.Unmarshal(files(t, real(t), Options{})["exempel.json"], &rel)
	if !strings.HasPrefix(rel.Cases[0].URL, "/exempel/") {
		t.Errorf("relative url = %s", rel.Cases[0].URL)
	}
}

// TestCSVRoundTrip: exempel.csv reads back with encoding/csv into the
// same values, one row per case, CRLF line ends, every field quoted.
func TestCSVRoundTrip(t *testing.T) {
	s := real(t)
	data := files(t, s, Options{BaseURL: base})["exempel.csv"]
	r := csv.NewReader(bytes.NewReader(data))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(s.Cases)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(s.Cases)+1)
	}
	var keys []string
	for _, c := range Columns {
		keys = append(keys, c.Key)
	}
	if !slices.Equal(rows[0], keys) {
		t.Errorf("header = %q", rows[0])
	}
	d := newDataset(s, Options{BaseURL: base})
	for i, rec := range d.cases {
		for j, c := range Columns {
			if got, want := rows[i+1][j], c.value(rec); got != want {
				t.Errorf("row %d %s = %q, want %q", i+1, c.Key, got, want)
			}
		}
	}
	if !bytes.HasSuffix(data, []byte("\"\r\n")) || bytes.Count(data, []byte("\r\n")) != len(rows) {
		t.Error("lines do not end in CRLF")
	}
	col := slices.Index(keys, "kommunkod")
	for _, row := range rows[1:] {
		if code := row[col]; code != "" && !strings.Contains(string(data), `"`+code+`"`) {
			t.Errorf("kommunkod %q is not quoted", code)
		}
	}
	// Norrköping's code begins with a zero and stays so.
	if !bytes.Contains(data, []byte(`"0581"`)) {
		t.Error(`no "0581" (Norrköping) in exempel.csv`)
	}
}

// TestXLSXReadBack: exempel.xlsx opens with excelize, has the Swedish
// headers, a frozen header row, an autofilter, kommunkod as text and
// years as numbers.
func TestXLSXReadBack(t *testing.T) {
	s := real(t)
	data := files(t, s, Options{BaseURL: base})["exempel.xlsx"]
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Exempel")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(s.Cases)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(s.Cases)+1)
	}
	for i, c := range Columns {
		if rows[0][i] != c.Header {
			t.Errorf("header %d = %q, want %q", i, rows[0][i], c.Header)
		}
	}
	col := slices.IndexFunc(Columns, func(c column) bool { return c.Key == "kommunkod" })
	found := false
	for r := 2; r <= len(rows); r++ {
		cell, _ := excelize.CoordinatesToCellName(col+1, r)
		v, _ := x.GetCellValue("Exempel", cell)
		if v == "0581" {
			found = true
			if typ, _ := x.GetCellType("Exempel", cell); typ == excelize.CellTypeNumber {
				t.Errorf("%s: kommunkod stored as a number", cell)
			}
		}
	}
	if !found {
		t.Error("no kommunkod 0581 (Norrköping) with its zero")
	}
	start := slices.IndexFunc(Columns, func(c column) bool { return c.Key == "startar" })
	for r := 2; r <= len(rows); r++ {
		cell, _ := excelize.CoordinatesToCellName(start+1, r)
		if v, _ := x.GetCellValue("Exempel", cell); v != "" {
			if typ, _ := x.GetCellType("Exempel", cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s: start year %s stored as text", cell, v)
			}
			break
		}
	}
	panes, err := x.GetPanes("Exempel")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v", panes, err)
	}
	if names := x.GetDefinedName(); !slices.ContainsFunc(names, func(d excelize.DefinedName) bool { return d.Name == "_xlnm._FilterDatabase" }) {
		t.Errorf("no autofilter: %+v", names)
	}
}

// TestDeterministic: the same content gives the same bytes, the Excel
// file included (no build time in it).
func TestDeterministic(t *testing.T) {
	a := files(t, real(t), Options{BaseURL: base})
	b := files(t, real(t), Options{BaseURL: base})
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	if len(a) != 7 {
		t.Errorf("%d files, want 7", len(a))
	}
	if _, ok := files(t, real(t), Options{})["dcat.rdf"]; ok {
		t.Error("dcat.rdf written without a base URL")
	}
}

// TestDCAT: dcat.rdf is RDF (parsed by Raptor's rapper) with the
// mandatory properties of DCAT-AP-SE for each class.
func TestDCAT(t *testing.T) {
	data := files(t, real(t), Options{BaseURL: base})["dcat.rdf"]
	triples := rapper(t, data)
	const (
		rdfType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
		dct     = "http://purl.org/dc/terms/"
		dcat    = "http://www.w3.org/ns/dcat#"
	)
	subjects := map[string][]string{} // class → subjects
	props := map[string]map[string]bool{}
	for _, tr := range triples {
		if props[tr[0]] == nil {
			props[tr[0]] = map[string]bool{}
		}
		props[tr[0]][strings.Trim(tr[1], "<>")] = true
		if tr[1] == rdfType {
			subjects[strings.Trim(tr[2], "<>")] = append(subjects[strings.Trim(tr[2], "<>")], tr[0])
		}
	}
	mandatory := map[string][]string{
		dcat + "Catalog":                               {dct + "title", dct + "description", dct + "publisher", dcat + "dataset"},
		dcat + "Dataset":                               {dct + "title", dct + "description", dct + "publisher", dcat + "contactPoint", dcat + "distribution"},
		dcat + "Distribution":                          {dcat + "accessURL"},
		"http://xmlns.com/foaf/0.1/Agent":              {"http://xmlns.com/foaf/0.1/name"},
		"http://www.w3.org/2006/vcard/ns#Organization": {"http://www.w3.org/2006/vcard/ns#fn", "http://www.w3.org/2006/vcard/ns#hasEmail"},
	}
	want := map[string]int{dcat + "Catalog": 1, dcat + "Dataset": 3, dcat + "Distribution": 5}
	for class, ps := range mandatory {
		subs := subjects[class]
		if len(subs) == 0 || (want[class] != 0 && len(subs) != want[class]) {
			t.Errorf("%s: %d of them", class, len(subs))
		}
		for _, s := range subs {
			for _, p := range ps {
				if !props[s][p] {
					t.Errorf("%s %s lacks %s", class, s, p)
				}
			}
		}
	}
}

// rapper parses RDF/XML with Raptor (Debian's raptor2-utils, which make
// test installs) and returns its triples as [subject, predicate, object].
func rapper(t *testing.T, data []byte) [][3]string {
	t.Helper()
	if _, err := exec.LookPath("rapper"); err != nil {
		t.Fatal("rapper saknas: installera Debians raptor2-utils (make test gör det)")
	}
	cmd := exec.Command("rapper", "-q", "-i", "rdfxml", "-o", "ntriples", "-", base+"/data/dcat.rdf")
	cmd.Stdin = bytes.NewReader(data)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil || errb.Len() > 0 {
		t.Fatalf("rapper: %v %s", err, errb.String())
	}
	var triples [][3]string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		parts := strings.SplitN(strings.TrimSuffix(line, " ."), " ", 3)
		if len(parts) == 3 {
			triples = append(triples, [3]string{parts[0], parts[1], parts[2]})
		}
	}
	if len(triples) < 50 {
		t.Fatalf("only %d triples", len(triples))
	}
	return triples
}

// TestDCATNeedsPublisher: with a base URL and no publisher, the error
// names site.yaml and what is missing.
func TestDCATNeedsPublisher(t *testing.T) {
	s := *real(t)
	s.Config.Publisher, s.Config.ContactEmail = "", ""
	_, err := Files(&s, Options{BaseURL: base})
	if err == nil || !strings.Contains(err.Error(), "content/site.yaml") || !strings.Contains(err.Error(), "publisher, contact_email saknas") {
		t.Errorf("err = %v", err)
	}
	if _, err := Files(&s, Options{}); err != nil {
		t.Errorf("without a base URL: %v", err)
	}
}

// TestXLSXCache: a second run with the same content takes the Excel file
// from the cache, byte for byte; changed content makes a new one, and the
// cache keeps at most keepCached files.
func TestXLSXCache(t *testing.T) {
	dir := t.TempDir()
	s := real(t)
	a := files(t, s, Options{BaseURL: base, CacheDir: dir})["exempel.xlsx"]
	cachedFiles, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(cachedFiles) != 1 {
		t.Fatalf("cache holds %v", cachedFiles)
	}
	// A cached file is used as it is: mark it and see the mark come back.
	marked := append([]byte("PK-merkt"), a...)
	os.WriteFile(cachedFiles[0], marked, 0o644)
	if b := files(t, s, Options{BaseURL: base, CacheDir: dir})["exempel.xlsx"]; !bytes.Equal(b, marked) {
		t.Error("the cached file was not used")
	}
	changed := *s
	changed.Cases = s.Cases[1:]
	files(t, &changed, Options{BaseURL: base, CacheDir: dir})
	if got, _ := filepath.Glob(filepath.Join(dir, "*.xlsx")); len(got) != 2 {
		t.Errorf("after a change the cache holds %v", got)
	}
	for i := range keepCached + 3 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("gammal%d.xlsx", i)), []byte("x"), 0o644)
	}
	changed.Cases = s.Cases[2:]
	files(t, &changed, Options{BaseURL: base, CacheDir: dir})
	if got, _ := filepath.Glob(filepath.Join(dir, "*.xlsx")); len(got) != keepCached {
		t.Errorf("cache holds %d files, want %d", len(got), keepCached)
	}
}

// TestColumnsDocumented: /data/ explains every column.
func TestColumnsDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Columns {
		if c.Help == "" || c.Header == "" {
			t.Errorf("column %s: no header or explanation", c.Key)
		}
		if seen[c.Key] {
			t.Errorf("column %s twice", c.Key)
		}
		seen[c.Key] = true
	}
}

// TestNames: Names lists the files Files makes, in order.
func TestNames(t *testing.T) {
	for _, o := range []Options{{BaseURL: base}, {}} {
		got, err := Files(real(t), o)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range got {
			names = append(names, f.Name)
		}
		if !slices.Equal(names, Names(o)) {
			t.Errorf("base %q: Files makes %q, Names says %q", o.BaseURL, names, Names(o))
		}
	}
}
