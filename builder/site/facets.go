package site

import (
	"fmt"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/sv"
)

// Facet is one dimension readers browse by (kommun, län, målgrupp, ...).
type Facet struct {
	Key         string // URL segment and search filter key: kommun, lan, malgrupp, ...
	Name        string // singular label: "Kommun"
	Plural      string // "Kommuner"
	Intro       string // one sentence shown on the facet index
	Values      []*FacetValue
	byKey       map[string]*FacetValue
	noIndexPage bool // values live elsewhere (investment models: glossary pages)
}

// URL returns the facet index page.
func (f *Facet) URL() string { return "/" + f.Key + "/" }

// HasIndex reports whether the facet has its own index page.
func (f *Facet) HasIndex() bool { return !f.noIndexPage }

// Used returns the values that have at least one case.
func (f *Facet) Used() []*FacetValue {
	var out []*FacetValue
	for _, v := range f.Values {
		if len(v.Cases) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// FacetValue is one value of a facet and the cases that have it.
type FacetValue struct {
	Facet       *Facet
	Slug        string
	Label       string
	Description string
	URL         string
	Cases       []*content.Case // in the site's case order
	Group       string          // for kommuner: the län
	Kommun      *content.Kommun
	Lan         *content.Lan
	Term        *content.Term
}

// Count returns the number of cases.
func (v *FacetValue) Count() int { return len(v.Cases) }

func (f *Facet) value(key string, mk func() *FacetValue) *FacetValue {
	if v, ok := f.byKey[key]; ok {
		return v
	}
	v := mk()
	v.Facet = f
	f.byKey[key] = v
	f.Values = append(f.Values, v)
	return v
}

// vocabFacets maps the controlled vocabularies that have facet pages to
// their facet keys.
var vocabFacets = map[string]string{"target_group": facetMalgrupp, "focus_area": facetFokus, "case_type": facetTyp}

// facets computes every facet of the site with its values and cases.
// Controlled vocabularies keep their order and list values without cases;
// kommuner and län list only places with cases, sorted in Swedish order.
func buildFacets(s *content.Site) []*Facet {
	mk := func(key, name, plural, intro string) *Facet {
		return &Facet{Key: key, Name: name, Plural: plural, Intro: intro, byKey: map[string]*FacetValue{}}
	}
	kommun := mk(facetKommun, "Kommun", "Kommuner", "Exempel från Sveriges kommuner, ordnade efter län.")
	lan := mk(facetLan, "Län", "Län", "Exempel ordnade efter län, både kommunala och regionala.")
	malgrupp := mk(facetMalgrupp, "Målgrupp", "Målgrupper", "Vilka insatserna riktar sig till.")
	fokus := mk(facetFokus, "Fokusområde", "Fokusområden", "Vad insatserna vill förbättra.")
	modell := mk(facetModell, "Investeringsmodell", "Investeringsmodeller", "Hur insatserna finansieras.")
	modell.noIndexPage = true
	status := mk(facetStatus, "Status", "Status", "Var i arbetet exemplen befinner sig.")
	typ := mk(facetTyp, "Typ av exempel", "Typer av exempel", "Insatser, fonder, forskning och program.")

	byKey := map[string]*Facet{facetMalgrupp: malgrupp, facetFokus: fokus, facetTyp: typ}
	vocabFacet := map[string]*Facet{}
	for vocab, key := range vocabFacets {
		vocabFacet[vocab] = byKey[key]
	}
	for name, f := range vocabFacet {
		for _, v := range s.Vocab[name].Values {
			val := v
			f.value(val.Slug, func() *FacetValue {
				return &FacetValue{Slug: val.Slug, Label: val.Label, Description: val.Description, URL: f.URL() + val.Slug + "/"}
			})
		}
	}
	for _, st := range content.Statuses {
		st := st
		status.value(st.Slug(), func() *FacetValue {
			return &FacetValue{Slug: st.Slug(), Label: st.Label(), Description: statusDescription[st], URL: status.URL() + st.Slug() + "/"}
		})
	}
	// Cases whose open status is older than site.yaml's status_stale_years.
	stale := status.value(staleSlug, func() *FacetValue {
		return &FacetValue{Slug: staleSlug, Label: "Inaktuell uppgift", URL: status.URL() + staleSlug + "/",
			Description: fmt.Sprintf("Exempel vars status (planerad, uppstart eller pågående) bygger på en källa som är mer än %d år gammal: vi vet inte hur det gick sedan.", s.Config.StatusStaleYears)}
	})
	for _, t := range s.Terms {
		if t.IsModel() {
			t := t
			modell.value(t.Slug, func() *FacetValue {
				return &FacetValue{Slug: t.Slug, Label: t.Title, Description: t.Summary, URL: t.URL(), Term: t}
			})
		}
	}
	for _, c := range s.Cases {
		for _, k := range c.Municipalities {
			k := k
			v := kommun.value(k.Slug, func() *FacetValue {
				return &FacetValue{Slug: k.Slug, Label: k.Name, URL: kommun.URL() + k.Slug + "/", Group: k.Lan.Name, Kommun: k, Lan: k.Lan}
			})
			v.Cases = append(v.Cases, c)
		}
		for _, l := range c.Regions {
			l := l
			v := lan.value(l.Slug, func() *FacetValue {
				return &FacetValue{Slug: l.Slug, Label: l.Name, URL: lan.URL() + l.Slug + "/", Lan: l}
			})
			v.Cases = append(v.Cases, c)
		}
		for _, x := range c.TargetGroups {
			malgrupp.byKey[x.Slug].Cases = append(malgrupp.byKey[x.Slug].Cases, c)
		}
		for _, x := range c.FocusAreas {
			fokus.byKey[x.Slug].Cases = append(fokus.byKey[x.Slug].Cases, c)
		}
		if c.CaseType != nil {
			typ.byKey[c.CaseType.Slug].Cases = append(typ.byKey[c.CaseType.Slug].Cases, c)
		}
		for _, t := range c.InvestmentModels {
			if v := modell.byKey[t.Slug]; v != nil {
				v.Cases = append(v.Cases, c)
			}
		}
		if v := status.byKey[c.Status.Slug()]; v != nil {
			v.Cases = append(v.Cases, c)
		}
		if c.StatusStale {
			stale.Cases = append(stale.Cases, c)
		}
	}
	byLabel := func(vs []*FacetValue) {
		label := func(v *FacetValue) string { return v.Label }
		sv.SortStable(vs, label, label)
	}
	byLabel(kommun.Values)
	byLabel(lan.Values)
	byLabel(modell.Values)
	out := []*Facet{kommun, lan, malgrupp, fokus, modell, status}
	if len(s.Vocab["case_type"].Values) > 0 {
		out = append(out, typ)
	}
	return out
}

var statusDescription = map[content.Status]string{
	content.StatusPlanned:  "Beslutade eller förberedda insatser som ännu inte har börjat.",
	content.StatusStarting: "Insatser som just har startat.",
	content.StatusOngoing:  "Insatser som pågår.",
	content.StatusEnded:    "Avslutade insatser, ofta med resultat och lärdomar.",
	content.StatusUnknown:  "Exempel där källan inte säger om arbetet pågår eller har avslutats.",
}

// staleSlug is the status value of cases whose status is out of date.
const staleSlug = "inaktuell"

// facetByKey finds a facet.
func facetByKey(fs []*Facet, key string) *Facet {
	for _, f := range fs {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// LanGroup is a län with the kommuner in it that have cases.
type LanGroup struct {
	Lan      *content.Lan
	URL      string
	Kommuner []*FacetValue
	Count    int // cases in the län, kommunal and regional
}

// groupKommuner groups kommun values by län, both in Swedish order.
func groupKommuner(kommun, lan *Facet) []*LanGroup {
	byLan := map[string]*LanGroup{}
	var out []*LanGroup
	for _, lv := range lan.Values {
		g := &LanGroup{Lan: lv.Lan, URL: lv.URL, Count: len(lv.Cases)}
		byLan[lv.Lan.Code] = g
		out = append(out, g)
	}
	for _, kv := range kommun.Values {
		if g := byLan[kv.Lan.Code]; g != nil {
			g.Kommuner = append(g.Kommuner, kv)
		}
	}
	return out
}
