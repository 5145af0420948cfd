// Package opendata writes the portal's content as open data under /data/:
// every published case as JSON (exempel.json), CSV (exempel.csv) and Excel
// (exempel.xlsx), the glossary and the source register as JSON, a JSON
// Schema the JSON files validate against, and a DCAT-AP-SE catalogue of it
// all (dcat.rdf) for dataportal.se.
//
// The output is deterministic: the same content gives the same bytes. The
// only dates in it are the content's own (a case's date and updated); the
// catalogue's modification date is the newest of them.
package opendata

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/par"
)

// Dir is the folder of the open data in the site.
const Dir = "data/"

// Options say where the data is published and by whom.
type Options struct {
	// BaseURL is the site's absolute address ("https://exempelbanken.se"
	// without the final slash), or "" for site-relative URLs.
	BaseURL string
	// CacheDir keeps Excel files made before, by their content, so that a
	// build of unchanged cases does not make the same file again (the
	// slowest of the files: half a second at 10,000 cases). "" for none.
	CacheDir string
}

// File is one file of the open data.
type File struct {
	Name        string // in Dir: "exempel.json"
	Title       string // for a reader: "Alla exempel som JSON"
	MediaType   string // IANA media type
	Format      string // short name for a reader: "JSON", "CSV", "Excel"
	Description string
	Data        []byte
}

// Path returns the file's path in the site ("data/exempel.json").
func (f *File) Path() string { return Dir + f.Name }

// Files returns the open data of s: exempel.json, begrepp.json,
// kallor.json, exempel.schema.json, exempel.csv, exempel.xlsx and, when a
// base URL is set, dcat.rdf. Without a base URL the catalogue is left
// out: it needs absolute addresses. The catalogue needs site.yaml's
// publisher, publisher_uri and contact_email; their absence is an error.
func Files(s *content.Site, o Options) ([]*File, error) {
	d := newDataset(s, o)
	var files []*File
	add := func(name, title, media, format, desc string, data []byte) {
		files = append(files, &File{Name: name, Title: title, MediaType: media, Format: format, Description: desc, Data: data})
	}
	j, err := marshalList(d.url(Dir+"exempel.schema.json"), d.head("Exempel på sociala investeringar"), "exempel", d.cases)
	if err != nil {
		return nil, err
	}
	add("exempel.json", "Alla exempel som JSON", "application/json", "JSON",
		"Varje publicerat exempel med alla uppgifter: kommun med kommunkod, län med länskod, investeringsmodeller, målgrupper, status med det år den gällde, källor och mer.", j)
	csvData := d.csv()
	add("exempel.csv", "Alla exempel som CSV", "text/csv", "CSV",
		"En rad per exempel, UTF-8, fält med flera värden åtskilda av semikolon.", csvData)
	x, err := cached(o.CacheDir, xlsxKey(csvData, d), ".xlsx", d.xlsx)
	if err != nil {
		return nil, err
	}
	add("exempel.xlsx", "Alla exempel i Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel",
		"Samma uppgifter som CSV-filen, med rubriker på svenska, kommunkod som text, låst rubrikrad och filter.", x)
	b, err := marshalList(d.url(Dir+"exempel.schema.json"), d.head("Begrepp inom sociala investeringar"), "begrepp", d.terms)
	if err != nil {
		return nil, err
	}
	add("begrepp.json", "Begrepp och investeringsmodeller som JSON", "application/json", "JSON",
		"Ordlistans begrepp och investeringsmodeller med definition, andra namn och, för modellerna, jämförelsens uppgifter.", b)
	k, err := marshalList(d.url(Dir+"exempel.schema.json"), d.head("Källor till Exempelbanken"), "kallor", d.sources)
	if err != nil {
		return nil, err
	}
	add("kallor.json", "Källförteckningen som JSON", "application/json", "JSON",
		"Alla dokument som exemplen och begreppen bygger på, med utgivare, datum och vilka exempel och begrepp som hänvisar till dem.", k)
	add("exempel.schema.json", "JSON Schema för filerna", "application/schema+json", "JSON Schema",
		"Beskriver fälten i exempel.json, begrepp.json och kallor.json (JSON Schema 2020-12).", schemaJSON(d.url(Dir+"exempel.schema.json")))
	if o.BaseURL != "" {
		cat, err := d.dcat(files)
		if err != nil {
			return nil, err
		}
		add("dcat.rdf", "Katalog enligt DCAT-AP-SE", "application/rdf+xml", "RDF/XML",
			"Beskriver filerna ovan enligt DCAT-AP-SE, så att dataportal.se kan skörda dem.", cat)
	}
	return files, nil
}

// Names returns the names of the files that Files makes with o, in order.
func Names(o Options) []string {
	names := []string{"exempel.json", "exempel.csv", "exempel.xlsx", "begrepp.json", "kallor.json", "exempel.schema.json"}
	if o.BaseURL != "" {
		names = append(names, "dcat.rdf")
	}
	return names
}

// marshalList writes a JSON file: {"$schema": schema, the head's fields,
// key: [records]}, compact, with a newline after each record and at the
// end. The records are encoded on every core. json.Marshal escapes <, >
// and &, so a file opened in a browser stays inert.
func marshalList[T any](schema string, head fileHead, key string, records []T) ([]byte, error) {
	h, err := json.Marshal(struct {
		Schema string `json:"$schema"`
		fileHead
	}{schema, head})
	if err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	parts := make([][]byte, len(records))
	errs := make([]error, len(records))
	par.For(len(records), func(i int) { parts[i], errs[i] = json.Marshal(records[i]) })
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	size := len(h) + len(key) + 8
	for _, p := range parts {
		size += len(p) + 2
	}
	b := make([]byte, 0, size)
	b = append(b, h[:len(h)-1]...)
	b = append(b, `,"`+key+`":[`...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = append(b, p...)
	}
	b = append(b, "\n]}\n"...)
	return b, nil
}

// fileHead is what every JSON file says about itself.
type fileHead struct {
	Title      string  `json:"titel"`
	Publisher  string  `json:"utgivare"`
	License    license `json:"licens"`
	Modified   string  `json:"andrad"`
	Site       string  `json:"webbplats"`
	Conditions string  `json:"villkor"`
}

type license struct {
	Name string `json:"namn"`
	URL  string `json:"url"`
}

// caseFile is exempel.json as a whole (the tests read it back).
type caseFile struct {
	Schema string `json:"$schema"`
	fileHead
	Cases []*caseRecord `json:"exempel"`
}

// dataset is the content as records, with what the files share.
type dataset struct {
	s        *content.Site
	o        Options
	modified time.Time
	cases    []*caseRecord
	terms    []*termRecord
	sources  []*sourceRecord
}

func newDataset(s *content.Site, o Options) *dataset {
	d := &dataset{s: s, o: o}
	for _, c := range s.Cases {
		d.cases = append(d.cases, d.caseRecord(c))
		for _, t := range []time.Time{c.Date, c.Updated} {
			if t.After(d.modified) {
				d.modified = t
			}
		}
	}
	for _, t := range s.Terms {
		d.terms = append(d.terms, d.termRecord(t))
		for _, tt := range []time.Time{t.Date, t.Updated} {
			if tt.After(d.modified) {
				d.modified = tt
			}
		}
	}
	for _, sd := range s.Sources {
		d.sources = append(d.sources, d.sourceRecord(sd))
	}
	return d
}

// url makes a site path ("exempel/x/" or "/exempel/x/") absolute when
// there is a base URL.
func (d *dataset) url(p string) string {
	if len(p) == 0 || p[0] != '/' {
		p = "/" + p
	}
	return d.o.BaseURL + p
}

func (d *dataset) head(title string) fileHead {
	cfg := d.s.Config
	pub := cfg.Publisher
	if pub == "" {
		pub = cfg.Title
	}
	return fileHead{Title: title, Publisher: pub, License: license{cfg.DataLicense, cfg.DataLicenseURL},
		Modified: isoDate(d.modified), Site: d.url("/"),
		Conditions: "Ange " + cfg.Title + " som källa. Varje uppgift har sin källa i fältet kallor; kontrollera den innan du använder uppgiften."}
}

// isoDate formats t as 2006-01-02, or "" for the zero time.
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// partial formats a partial date the ISO way: "2014", "2017-03", "2015-07-03".
func partial(p content.PartialDate) string {
	switch {
	case p.IsZero():
		return ""
	case p.Month == 0:
		return strconv.Itoa(p.Year)
	case p.Day == 0:
		return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", p.Year, int(p.Month), p.Day)
}

//go:embed schema.json
var schema []byte

// schemaJSON is exempel.schema.json with its $id set to id.
func schemaJSON(id string) []byte {
	return bytes.Replace(schema, []byte(`"$id": "exempel.schema.json"`), []byte(`"$id": `+strconv.Quote(id)), 1)
}
