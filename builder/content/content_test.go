package content

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
)

func parseBytes(file string, sec Section, raw string) (*parsed, *diag.List) {
	p := &parsed{sec: sec, file: file, errs: &diag.List{}}
	parseRaw(p, []byte(raw), fileStamp{}, nil, false)
	return p, p.errs
}

func TestParseFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		bodyLine int
		errs     []string
	}{
		{name: "plain", raw: "---\ntitle: A\nsummary: B\n---\n\nText\n", bodyLine: 5},
		{name: "leading blank lines", raw: "\n\n---\ntitle: A\n---\nText\n", bodyLine: 6},
		{name: "bom and crlf", raw: "\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nText\r\n", bodyLine: 4},
		{name: "empty front matter", raw: "---\n---\nText\n", bodyLine: 3, errs: []string{`x.md:1: obligatoriskt fält "title" saknas`}},
		{name: "list where text expected", raw: "---\ntitle:\n  - a\n---\n", errs: []string{"x.md:3: title: förväntade text, fick en lista"}},
		{name: "yaml not a mapping", raw: "---\n- a\n- b\n---\n", errs: []string{"x.md:2: front matter ska vara fält med namn och värde"}},
		{name: "bad yaml line mapped to file", raw: "---\ntitle: A\nsummary: [oops\n---\n", errs: []string{"x.md:", "ogiltig YAML"}},
		{name: "boolean draft wrong type", raw: "---\ntitle: A\ndraft: ja\n---\n", errs: []string{`x.md:3: draft: förväntade true eller false, fick texten "ja"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, errs := parseBytes("x.md", SectionPage, tt.raw)
			got := errs.Error()
			for _, e := range tt.errs {
				if !strings.Contains(got, e) {
					t.Errorf("errors %q lack %q", got, e)
				}
			}
			if len(tt.errs) == 0 && errs.Len() > 0 {
				t.Errorf("unexpected errors: %s", got)
			}
			if tt.bodyLine > 0 && p.doc != nil {
				if bl := docOf(p.doc).BodyLine; bl != tt.bodyLine {
					t.Errorf("body line = %d, want %d", bl, tt.bodyLine)
				}
			}
		})
	}
}

func TestCaseFields(t *testing.T) {
	raw := "---\ntitle: A\nsummary: B\nstatus: Pågående\nstart: 2012\nend: 2010\nbudget_sek: 12500000\npartners: En partner\nsources:\n  - source: ale-smt-2014\n    pages: \"6–7\"\n  - Bara titel\n  - source: almedalen-2015\n    pages: 5\n    url: x\ndate: 2015-07-03\n---\n"
	p, errs := parseBytes("content/exempel/a.md", SectionCase, raw)
	c := p.doc.(*Case)
	if c.Status != StatusOngoing || c.Start != 2012 || c.Budget != 12500000 || !c.HasBudget || len(c.Partners) != 1 {
		t.Errorf("case = %+v", c)
	}
	if len(c.Sources) != 2 || c.Sources[0].ID != "ale-smt-2014" || c.Sources[0].Pages != "6–7" || c.Sources[1].Pages != "5" || c.Sources[1].Line != 13 {
		t.Errorf("sources = %+v", c.Sources)
	}
	got := errs.Error()
	for _, want := range []string{"content/exempel/a.md:6: end (2010) ligger före start (2012)",
		`content/exempel/a.md:12: sources: förväntade en källa som {source: id, pages: "5–6"}, fick text`,
		`content/exempel/a.md:15: okänt fält "url" i en källa`} {
		if !strings.Contains(got, want) {
			t.Errorf("errors %q lack %q", got, want)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the front matter parser and the
// field readers: no panics, and every error names the file.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"---\ntitle: A\n---\n", "---\ntitle: [\n---\n", "---\n\t- a\n---\n", "\xef\xbb\xbf---\r\ntitle: A\r\n---\r\n",
		"---\ntitle: A\ntitle: B\nstart: tjugo\nbudget_sek: 1e99\nsources: {title: x, page: [1]}\n---\n",
		"---\nmunicipality: 5\ndate: 2015-02-30\n---\n", "no front matter", "---\ntitle: &a x\nsummary: *a\n---\n",
		"---\n" + strings.Repeat("a: [", 50) + "\n---\n",
	}
	for _, s := range seeds {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, raw string, sec uint8) {
		checkSplitSimple(t, []byte(raw))
		_, errs := parseBytes("content/exempel/f.md", Section(sec%3), raw)
		for _, e := range errs.Errors() {
			if e.File != "content/exempel/f.md" {
				t.Fatalf("error without the file: %v", e)
			}
		}
	})
}

// checkSplitSimple checks that whenever splitSimple splits raw, it agrees
// with adrg/frontmatter (splitFrontMatter) on the LF-only bytes.
func checkSplitSimple(t *testing.T, raw []byte) {
	t.Helper()
	raw = bytes.ReplaceAll(raw, []byte("\r"), nil)
	fm, body, bodyLine, ok := splitSimple(raw)
	if !ok {
		return
	}
	wfm, wfmLine, wbody, wbodyLine, err := splitFrontMatter("f.md", raw)
	if err != nil {
		t.Fatalf("splitSimple split %q, adrg/frontmatter fails: %v", raw, err)
	}
	if !bytes.Equal(fm, wfm) || wfmLine != 2 || !bytes.Equal(body, wbody) || bodyLine != wbodyLine {
		t.Fatalf("splitSimple(%q) = %q, %q, %d; adrg/frontmatter: %q (line %d), %q, %d",
			raw, fm, body, bodyLine, wfm, wfmLine, wbody, wbodyLine)
	}
}

func TestSplitSimple(t *testing.T) {
	tests := []struct {
		raw string
		ok  bool
	}{
		{"---\ntitle: A\n---\nText\n", true},
		{"---\ntitle: A\n---", true},
		{"---\ntitle: A\n  ---  \nText", true},
		{"---\n---\n", true},
		{"---\ntitle: A\n--- x\n---\n", true},
		{"---\ntitle: A\n\u00a0---\u00a0\nText\n", true},
		{"---\ntitle: A\n----\nB\n", false},
		{"---\ntitle: A\n", false},
		{"\n---\ntitle: A\n---\n", false},
		{" ---\ntitle: A\n---\n", false},
		{"---  \ntitle: A\n---\n", false},
		{"---", false},
		{"", false},
	}
	for _, tt := range tests {
		if _, _, _, ok := splitSimple([]byte(tt.raw)); ok != tt.ok {
			t.Errorf("splitSimple(%q) ok = %v, want %v", tt.raw, ok, tt.ok)
		}
		checkSplitSimple(t, []byte(tt.raw))
	}
}

// TestReadSmallFile checks readSmallFile, and the portable version other
// systems use, against os.ReadFile and that they leave missing and
// oversized files to readDoc's error reporting.
func TestReadSmallFile(t *testing.T) {
	for name, read := range map[string]func(string) ([]byte, bool){"native": readSmallFile, "portable": readSmallFilePortable} {
		t.Run(name, func(t *testing.T) { testReadSmallFile(t, read) })
	}
}

func testReadSmallFile(t *testing.T, readSmallFile func(string) ([]byte, bool)) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 4096, 100000, MaxFileSize} {
		p := filepath.Join(dir, fmt.Sprintf("f%d.md", size))
		want := bytes.Repeat([]byte("åb\n"), size/4+1)[:size]
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, ok := readSmallFile(p)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("size %d: got %d bytes (ok %v)", size, len(got), ok)
		}
	}
	big := filepath.Join(dir, "big.md")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{big, filepath.Join(dir, "missing.md"), dir} {
		if _, ok := readSmallFile(p); ok {
			t.Errorf("%s: read, want it left to readDoc", p)
		}
	}
	if _, err := readDoc(dir, "big.md"); err == nil || !strings.Contains(err.Error(), "filen är för stor") {
		t.Errorf("big file: %v", err)
	}
}

// TestFileStamps: the native and the portable stamp of a file agree on
// what both know (size, modification time), the stamp taken when reading
// is the stamp of the file, and a rewrite changes it.
func TestFileStamps(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.md")
	os.WriteFile(p, []byte("ett"), 0o644)
	for name, stamp := range map[string]func(string) (fileStamp, bool){"native": stampFile, "portable": stampFilePortable} {
		st, ok := stamp(p)
		_, read, _ := readSmallFileStamped(p)
		if !ok || st.size != 3 || st.mtime == 0 || st.size != read.size || st.mtime != read.mtime {
			t.Errorf("%s: stamp %+v, when read %+v", name, st, read)
		}
		if _, ok := stamp(filepath.Dir(p)); ok {
			t.Errorf("%s: a folder has a stamp", name)
		}
	}
	before, _ := stampFile(p)
	time.Sleep(10 * time.Millisecond)
	os.WriteFile(p, []byte("två"), 0o644)
	if after, _ := stampFile(p); after == before {
		t.Error("a rewrite kept the stamp")
	}
}

// TestReadWeights reads related: weights from YAML parsed by the fast
// parser and (with a comment, which it declines) by yaml.v3.
func TestReadWeights(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		want       RelatedWeights
		errs       []string
	}{
		{name: "int and float", yaml: "related:\n  investment_model: 3\n  target_group: 1.5\n",
			want: RelatedWeights{InvestmentModel: 3, TargetGroup: 1.5}},
		{name: "yaml.v3 path", yaml: "# vikter\nrelated:\n  region: 0x10\n  case_type: .5\n",
			want: RelatedWeights{Region: 16, CaseType: 0.5}},
		{name: "bad values", yaml: "related:\n  municipality: många\n  focus_area: -1\n  region: [1]\n",
			errs: []string{"site.yaml:2: related.municipality: förväntade ett tal ≥ 0, fick texten",
				"site.yaml:3: related.focus_area: förväntade ett tal ≥ 0", "site.yaml:4: related.region: förväntade ett tal ≥ 0, fick en lista"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := &diag.List{}
			root, perr := parseYAML("site.yaml", []byte(tt.yaml), 0)
			if perr != nil {
				t.Fatal(perr)
			}
			r, _ := newFields("site.yaml", root, errs).get("related")
			var w RelatedWeights
			readWeights("site.yaml", r, &w, errs)
			for _, e := range tt.errs {
				if !strings.Contains(errs.Error(), e) {
					t.Errorf("errors %q lack %q", errs.Error(), e)
				}
			}
			if len(tt.errs) == 0 && (errs.Len() > 0 || w != tt.want) {
				t.Errorf("weights %+v, errors %v; want %+v", w, errs.Error(), tt.want)
			}
		})
	}
}

func TestParsePartialDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // String(), "" when invalid
	}{
		{"2014", "2014"}, {"2017-03", "mars 2017"}, {"2015-07-03", "3 juli 2015"},
		{"2015-13", ""}, {"2015-02-30", ""}, {"15", ""}, {"2015-7", ""}, {"2015-07-03-01", ""}, {"år", ""}, {"1800", ""},
	}
	for _, tt := range tests {
		d, ok := ParsePartialDate(tt.in)
		if got := d.String(); ok != (tt.want != "") || (ok && got != tt.want) {
			t.Errorf("ParsePartialDate(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
	a, _ := ParsePartialDate("2017-03")
	b, _ := ParsePartialDate("2017")
	if !a.After(b) || b.After(a) {
		t.Error("2017-03 should be after 2017")
	}
}

// TestStatusDate: a status is dated by status_as_of or else by the newest
// source; an open status older than StatusStaleYears is stale.
func TestStatusDate(t *testing.T) {
	this := time.Now().Year()
	old := PartialDate{Year: 2014}
	recent := PartialDate{Year: this - 1, Month: time.March}
	tests := []struct {
		status  Status
		asOf    PartialDate // given
		sources []PartialDate
		want    string
		stale   bool
	}{
		{StatusOngoing, PartialDate{}, []PartialDate{old, {Year: 2011}}, "Senast känt: pågående 2014", true},
		{StatusOngoing, recent, []PartialDate{old}, fmt.Sprintf("Pågående enligt källan (%d)", this-1), false},
		{StatusPlanned, PartialDate{}, []PartialDate{recent}, fmt.Sprintf("Planerad enligt källan (%d)", this-1), false},
		{StatusEnded, PartialDate{}, []PartialDate{old}, "Avslutad enligt källan (2014)", false},
		{StatusUnknown, PartialDate{}, []PartialDate{old}, "Okänd", false},
		{StatusOngoing, PartialDate{}, nil, "Pågående", false},
	}
	for _, tt := range tests {
		s := &Site{Config: Config{StatusStaleYears: 3}}
		c := &Case{Status: tt.status, StatusAsOf: tt.asOf}
		for _, d := range tt.sources {
			c.Sources = append(c.Sources, Source{Doc: &SourceDoc{Date: d}})
		}
		r := &resolution{s: s, year: this}
		r.dateStatus(c)
		if got := c.StatusText(); got != tt.want || c.StatusStale != tt.stale {
			t.Errorf("%s as of %v with sources %v: %q stale=%v, want %q stale=%v", tt.status, tt.asOf, tt.sources, got, c.StatusStale, tt.want, tt.stale)
		}
	}
}

func TestSourceDocDated(t *testing.T) {
	tests := []struct {
		doc  SourceDoc
		want string
	}{
		{SourceDoc{Date: PartialDate{Year: 2017, Month: 3}}, "mars 2017"},
		{SourceDoc{Date: PartialDate{Year: 2014}, Accessed: PartialDate{Year: 2026, Month: 12, Day: 3}}, "2014"},
		{SourceDoc{Accessed: PartialDate{Year: 2026, Month: 12, Day: 3}}, "odaterad, hämtad 3 december 2026"},
	}
	for _, tt := range tests {
		if got := tt.doc.Dated(); got != tt.want {
			t.Errorf("Dated() of %+v = %q, want %q", tt.doc, got, tt.want)
		}
	}
}
