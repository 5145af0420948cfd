package opendata

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/exempelbanken/portal/builder/diag"
)

// ConfigFile is where the publisher of the catalogue is set.
const ConfigFile = "content/site.yaml"

// dcat is dcat.rdf: a DCAT-AP-SE 3.0 catalogue in RDF/XML, which
// dataportal.se harvests. One catalogue with three datasets (the cases,
// the glossary, the sources), each with its distributions (the files),
// and the mandatory properties of DCAT-AP-SE: for the catalogue title,
// description, publisher and datasets; for a dataset title, description,
// publisher and contact point; for a distribution its access URL; for the
// publisher a name; for the contact point a name and an e-mail address.
func (d *dataset) dcat(files []*File) ([]byte, error) {
	cfg := d.s.Config
	var missing []string
	for _, f := range []struct{ key, val string }{{"publisher", cfg.Publisher}, {"publisher_uri", cfg.PublisherURI}, {"contact_email", cfg.ContactEmail}} {
		if f.val == "" {
			missing = append(missing, f.key)
		}
	}
	if len(missing) > 0 {
		return nil, diag.Errorf(ConfigFile, 0, "%s saknas: /data/dcat.rdf, som dataportal.se skördar, ska ange vem som ger ut datan och hur man når dem "+
			"(till exempel publisher: Exempelbanken, publisher_uri: https://exempelbanken.se/, contact_email: data@exempelbanken.se); "+
			"utan baseURL skrivs ingen dcat.rdf", strings.Join(missing, ", "))
	}
	byName := map[string]*File{}
	for _, f := range files {
		byName[f.Name] = f
	}
	catalog := d.url(Dir + "dcat.rdf#katalog")
	contact := d.url(Dir + "dcat.rdf#kontakt")
	landing := d.url(Dir)
	modified := isoDate(d.modified)
	sets := []struct {
		id, title, desc string
		keywords        []string
		files           []string
	}{
		{"exempel", "Exempel på sociala investeringar",
			"Exempel på sociala investeringar och förebyggande arbete i Sveriges kommuner och regioner: vad de gjorde, för vem, hur det finansierades, status och källor.",
			[]string{"sociala investeringar", "social investeringsfond", "förebyggande arbete", "kommuner"}, []string{"exempel.json", "exempel.csv", "exempel.xlsx"}},
		{"begrepp", "Begrepp inom sociala investeringar",
			"Ordlista över investeringsmodeller och begrepp inom sociala investeringar, med källor.",
			[]string{"sociala investeringar", "ordlista", "investeringsmodeller"}, []string{"begrepp.json"}},
		{"kallor", "Källor till Exempelbanken",
			"Förteckning över de dokument som exemplen och begreppen bygger på.",
			[]string{"sociala investeringar", "källförteckning"}, []string{"kallor.json"}},
	}
	var b bytes.Buffer
	w := &rdfWriter{b: &b}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:dcterms="http://purl.org/dc/terms/"
  xmlns:dcat="http://www.w3.org/ns/dcat#"
  xmlns:foaf="http://xmlns.com/foaf/0.1/"
  xmlns:vcard="http://www.w3.org/2006/vcard/ns#">
`)
	w.open("dcat:Catalog", catalog)
	w.lit("dcterms:title", cfg.Title)
	w.lit("dcterms:description", "Öppna data från "+cfg.Title+": "+strings.TrimSuffix(cfg.Description, ".")+".")
	w.res("dcterms:publisher", cfg.PublisherURI)
	w.res("foaf:homepage", d.url("/"))
	w.res("dcterms:language", "http://publications.europa.eu/resource/authority/language/SWE")
	w.res("dcterms:license", cfg.DataLicenseURL)
	if modified != "" {
		w.date("dcterms:modified", modified)
	}
	for _, s := range sets {
		w.res("dcat:dataset", d.url(Dir+"dcat.rdf#"+s.id))
	}
	w.close("dcat:Catalog")

	w.open("foaf:Agent", cfg.PublisherURI)
	w.plain("foaf:name", cfg.Publisher)
	w.close("foaf:Agent")

	w.open("vcard:Organization", contact)
	w.plain("vcard:fn", cfg.Publisher)
	w.res("vcard:hasEmail", "mailto:"+cfg.ContactEmail)
	w.close("vcard:Organization")

	for _, s := range sets {
		w.open("dcat:Dataset", d.url(Dir+"dcat.rdf#"+s.id))
		w.lit("dcterms:title", s.title)
		w.lit("dcterms:description", s.desc)
		w.res("dcterms:publisher", cfg.PublisherURI)
		w.res("dcat:contactPoint", contact)
		w.res("dcat:landingPage", landing)
		w.res("dcterms:language", "http://publications.europa.eu/resource/authority/language/SWE")
		w.res("dcat:theme", "http://publications.europa.eu/resource/authority/data-theme/SOCI")
		w.res("dcterms:accrualPeriodicity", "http://publications.europa.eu/resource/authority/frequency/IRREG")
		w.res("dcterms:spatial", "http://publications.europa.eu/resource/authority/country/SWE")
		if modified != "" {
			w.date("dcterms:modified", modified)
		}
		for _, k := range s.keywords {
			w.lit("dcat:keyword", k)
		}
		for _, name := range s.files {
			w.res("dcat:distribution", d.url(Dir+"dcat.rdf#"+strings.ReplaceAll(name, ".", "-")))
		}
		w.close("dcat:Dataset")
		for _, name := range s.files {
			f := byName[name]
			w.open("dcat:Distribution", d.url(Dir+"dcat.rdf#"+strings.ReplaceAll(name, ".", "-")))
			w.lit("dcterms:title", f.Title)
			w.lit("dcterms:description", f.Description)
			w.res("dcat:accessURL", d.url(f.Path()))
			w.res("dcat:downloadURL", d.url(f.Path()))
			w.res("dcat:mediaType", "https://www.iana.org/assignments/media-types/"+f.MediaType)
			w.res("dcterms:license", cfg.DataLicenseURL)
			if strings.HasSuffix(name, ".json") {
				w.res("dcterms:conformsTo", d.url(Dir+"exempel.schema.json"))
			}
			w.close("dcat:Distribution")
		}
	}
	b.WriteString("</rdf:RDF>\n")
	return b.Bytes(), nil
}

// rdfWriter writes RDF/XML elements with escaped text and attributes.
type rdfWriter struct{ b *bytes.Buffer }

func (w *rdfWriter) open(class, about string) {
	w.b.WriteString("<" + class + ` rdf:about="`)
	xml.EscapeText(w.b, []byte(about))
	w.b.WriteString("\">\n")
}

func (w *rdfWriter) close(class string) { w.b.WriteString("</" + class + ">\n") }

// lit writes a literal in Swedish.
func (w *rdfWriter) lit(prop, text string) {
	w.b.WriteString("  <" + prop + ` xml:lang="sv">`)
	xml.EscapeText(w.b, []byte(text))
	w.b.WriteString("</" + prop + ">\n")
}

// plain writes a literal without a language (a name).
func (w *rdfWriter) plain(prop, text string) {
	w.b.WriteString("  <" + prop + ">")
	xml.EscapeText(w.b, []byte(text))
	w.b.WriteString("</" + prop + ">\n")
}

func (w *rdfWriter) date(prop, date string) {
	w.b.WriteString("  <" + prop + ` rdf:datatype="http://www.w3.org/2001/XMLSchema#date">` + date + "</" + prop + ">\n")
}

// res writes a property whose value is a resource.
func (w *rdfWriter) res(prop, uri string) {
	w.b.WriteString("  <" + prop + ` rdf:resource="`)
	xml.EscapeText(w.b, []byte(uri))
	w.b.WriteString("\"/>\n")
}
