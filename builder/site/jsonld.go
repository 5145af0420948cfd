package site

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/exempelbanken/portal/builder/content"
)

// Structured data (schema.org in JSON-LD) for the <head> of a page: a
// case is an Article about a Project, a glossary term a DefinedTerm, the
// home page the WebSite, and every page with breadcrumbs has a
// BreadcrumbList.
//
// The layouts call jsonld, which returns the whole <script> elements as
// HTML: inside <script type="application/ld+json"> html/template would
// switch to its JavaScript escaper, which htmlexec leaves to html/template
// (and so every page would be executed the slow way), and the JSON needs
// no escaping of that kind anyway. What keeps front matter from closing
// the element or starting markup is encoding/json itself: it writes <, >
// and & (and U+2028, U+2029) as \u003c and so on, so the JSON never holds
// a "<" at all (TestJSONLDCannotBreakOut, TestHostileContentNeverLive).

const schemaOrg = "https://schema.org"

// jsonLD returns the structured data of a page (a *Page) as
// <script type="application/ld+json"> elements, one per object, or "" when
// the page has none.
func jsonLD(v any) (template.HTML, error) {
	p, ok := v.(*Page)
	if !ok || p == nil || p.Site == nil {
		return "", fmt.Errorf("jsonld: väntade en sida, fick %T", v)
	}
	var objs []any
	switch {
	case p.Case != nil:
		objs = append(objs, caseArticle(p, p.Case))
	case p.Term != nil:
		objs = append(objs, definedTerm(p, p.Term))
	case p.Path == homeURL:
		objs = append(objs, &ldWebSite{Context: schemaOrg, Type: "WebSite", Name: p.Site.Title,
			URL: p.abs(homeURL), Description: p.Site.Description, InLanguage: "sv"})
	}
	if len(p.Crumbs) > 0 {
		objs = append(objs, breadcrumbs(p))
	}
	var b strings.Builder
	for i, o := range objs {
		data, err := json.Marshal(o) // escapes <, > and &: see above
		if err != nil {
			return "", fmt.Errorf("jsonld: %w", err)
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(`<script type="application/ld+json">`)
		b.Write(data)
		b.WriteString(`</script>`)
	}
	return template.HTML(b.String()), nil
}

// abs is the URL of the site path u: absolute when baseURL is set.
func (p *Page) abs(u string) string { return p.Site.BaseURL + u }

// url is the page's own URL: canonical when baseURL is set.
func (p *Page) url() string {
	if p.Canonical != "" {
		return p.Canonical
	}
	return p.Path
}

func (p *Page) organization() *ldOrg {
	return &ldOrg{Type: "Organization", Name: p.Site.Title, URL: p.abs(homeURL)}
}

// caseArticle is a case page as an Article about the case's Project.
// schema.org gives a Project (an Organization) no startDate or endDate:
// the years are its foundingDate and dissolutionDate.
func caseArticle(p *Page, c *content.Case) *ldArticle {
	org := p.organization()
	a := &ldArticle{Context: schemaOrg, Type: "Article", Headline: c.Title, Description: c.Summary, InLanguage: "sv",
		URL: p.url(), Author: org, Publisher: org}
	if !c.Date.IsZero() {
		a.DatePublished = c.Date.Format("2006-01-02")
		a.DateModified = lastChange(c).Format("2006-01-02")
	}
	pr := &ldProject{Type: "Project", Name: c.Title, Description: c.Summary, Location: casePlaces(c)}
	if c.Start > 0 {
		pr.FoundingDate = fmt.Sprintf("%04d", c.Start)
	}
	if c.End > 0 {
		pr.DissolutionDate = fmt.Sprintf("%04d", c.End)
	}
	// The investment models are ways of financing, not grants (and one of
	// them, "Finansiering ej angiven", says that the source does not
	// tell): they are keywords. The amount granted (cost_sek) is a grant.
	if c.HasCost {
		pr.Funding = &ldGrant{Type: "MonetaryGrant", Amount: &ldAmount{Type: "MonetaryAmount", Currency: "SEK", Value: c.Cost}}
	}
	for _, t := range c.InvestmentModels {
		pr.Keywords = append(pr.Keywords, t.Title)
	}
	for _, v := range c.TargetGroups {
		pr.Keywords = append(pr.Keywords, v.Label)
	}
	for _, v := range c.FocusAreas {
		pr.Keywords = append(pr.Keywords, v.Label)
	}
	a.About = pr
	return a
}

// casePlaces are where a case is: each kommun (with its län and its
// kommunkod), each län named apart from those, or the country.
func casePlaces(c *content.Case) []ldPlace {
	var out []ldPlace
	covered := map[*content.Lan]bool{}
	for _, k := range c.Municipalities {
		pl := ldPlace{Type: "Place", Name: k.Name, Address: &ldAddress{Type: "PostalAddress", AddressCountry: "SE"},
			Identifier: &ldProperty{Type: "PropertyValue", PropertyID: "kommunkod", Value: k.Code}}
		if k.Lan != nil {
			pl.Address.AddressRegion = k.Lan.Name
			covered[k.Lan] = true
		}
		out = append(out, pl)
	}
	for _, l := range c.ExplicitRegions {
		if !covered[l] {
			out = append(out, ldPlace{Type: "Place", Name: l.Name,
				Address:    &ldAddress{Type: "PostalAddress", AddressRegion: l.Name, AddressCountry: "SE"},
				Identifier: &ldProperty{Type: "PropertyValue", PropertyID: "länskod", Value: l.Code}})
		}
	}
	switch {
	case len(out) > 0:
	case c.International():
		name := c.Country
		if c.Place != "" {
			name = c.Place
		}
		out = append(out, ldPlace{Type: "Place", Name: name, Address: &ldAddress{Type: "PostalAddress", AddressCountry: c.Country}})
	case c.Country == content.Sverige:
		out = append(out, ldPlace{Type: "Place", Name: content.Sverige, Address: &ldAddress{Type: "PostalAddress", AddressCountry: "SE"}})
	}
	return out
}

// definedTerm is a glossary page as a DefinedTerm of the glossary.
func definedTerm(p *Page, t *content.Term) *ldDefinedTerm {
	return &ldDefinedTerm{Context: schemaOrg, Type: "DefinedTerm", Name: t.Title, Description: t.Summary,
		AlternateName: t.Aliases, URL: p.url(),
		InDefinedTermSet: &ldTermSet{Type: "DefinedTermSet", Name: "Begrepp", URL: p.abs(glossaryURL)}}
}

// breadcrumbs are the page's breadcrumbs and the page itself.
func breadcrumbs(p *Page) *ldBreadcrumbs {
	b := &ldBreadcrumbs{Context: schemaOrg, Type: "BreadcrumbList"}
	for i, c := range p.Crumbs {
		b.Items = append(b.Items, ldListItem{Type: "ListItem", Position: i + 1, Name: c.Title, Item: p.abs(c.URL)})
	}
	b.Items = append(b.Items, ldListItem{Type: "ListItem", Position: len(p.Crumbs) + 1, Name: p.Title, Item: p.url()})
	return b
}

// The schema.org types, with their properties in the order they are
// written.

type ldArticle struct {
	Context       string     `json:"@context"`
	Type          string     `json:"@type"`
	Headline      string     `json:"headline"`
	Description   string     `json:"description,omitempty"`
	InLanguage    string     `json:"inLanguage"`
	DatePublished string     `json:"datePublished,omitempty"`
	DateModified  string     `json:"dateModified,omitempty"`
	URL           string     `json:"url"`
	Author        *ldOrg     `json:"author"`
	Publisher     *ldOrg     `json:"publisher"`
	About         *ldProject `json:"about"`
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldProject struct {
	Type            string    `json:"@type"`
	Name            string    `json:"name"`
	Description     string    `json:"description,omitempty"`
	Location        []ldPlace `json:"location,omitempty"`
	Funding         *ldGrant  `json:"funding,omitempty"`
	Keywords        []string  `json:"keywords,omitempty"`
	FoundingDate    string    `json:"foundingDate,omitempty"`
	DissolutionDate string    `json:"dissolutionDate,omitempty"`
}

type ldPlace struct {
	Type       string      `json:"@type"`
	Name       string      `json:"name"`
	Address    *ldAddress  `json:"address,omitempty"`
	Identifier *ldProperty `json:"identifier,omitempty"`
}

type ldAddress struct {
	Type           string `json:"@type"`
	AddressRegion  string `json:"addressRegion,omitempty"`
	AddressCountry string `json:"addressCountry,omitempty"`
}

type ldProperty struct {
	Type       string `json:"@type"`
	PropertyID string `json:"propertyID"`
	Value      string `json:"value"`
}

type ldGrant struct {
	Type   string    `json:"@type"`
	Amount *ldAmount `json:"amount"`
}

type ldAmount struct {
	Type     string `json:"@type"`
	Currency string `json:"currency"`
	Value    int64  `json:"value"`
}

type ldDefinedTerm struct {
	Context          string     `json:"@context"`
	Type             string     `json:"@type"`
	Name             string     `json:"name"`
	Description      string     `json:"description,omitempty"`
	AlternateName    []string   `json:"alternateName,omitempty"`
	URL              string     `json:"url"`
	InDefinedTermSet *ldTermSet `json:"inDefinedTermSet"`
}

type ldTermSet struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type ldWebSite struct {
	Context     string `json:"@context"`
	Type        string `json:"@type"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
	InLanguage  string `json:"inLanguage"`
}

type ldBreadcrumbs struct {
	Context string       `json:"@context"`
	Type    string       `json:"@type"`
	Items   []ldListItem `json:"itemListElement"`
}

type ldListItem struct {
	Type     string `json:"@type"`
	Position int    `json:"position"`
	Name     string `json:"name"`
	Item     string `json:"item"`
}
