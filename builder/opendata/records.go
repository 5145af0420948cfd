package opendata

import (
	"github.com/exempelbanken/portal/builder/content"
)

// The records of the JSON files. Keys are Swedish, like the portal; each
// field's comment names the front-matter key it comes from. A value the
// content does not give is null (a number, a date, an object) or an
// empty list, never left out, so every record has every key.

type caseRecord struct {
	Slug          string           `json:"slug"`
	URL           string           `json:"url"`
	Title         string           `json:"titel"`          // title
	Summary       string           `json:"sammanfattning"` // summary
	Municipality  []kommunRecord   `json:"kommuner"`       // municipality
	Regions       []lanRecord      `json:"lan"`            // region, and the län of each kommun
	Country       *string          `json:"land"`           // country
	Place         *string          `json:"plats"`          // place
	International bool             `json:"internationellt"`
	TargetGroups  []valueRecord    `json:"malgrupper"`           // target_group
	FocusAreas    []valueRecord    `json:"fokusomraden"`         // focus_area
	CaseType      *valueRecord     `json:"typ"`                  // case_type
	Models        []modelRef       `json:"investeringsmodeller"` // investment_model
	Status        statusRecord     `json:"status"`               // status, status_as_of
	Start         *int             `json:"startar"`              // start
	End           *int             `json:"slutar"`               // end
	Budget        *int64           `json:"budget_kr"`            // budget_sek
	Cost          *int64           `json:"kostnad_kr"`           // cost_sek
	Repaid        *int64           `json:"aterbetalt_kr"`        // repaid_sek
	Owner         *string          `json:"huvudman"`             // owner
	Initiator     *string          `json:"initiativtagare"`      // initiator
	Partners      []string         `json:"partner"`              // partners
	Evaluation    *string          `json:"utvardering"`          // evaluation
	Results       []string         `json:"resultat"`             // results
	Lessons       []string         `json:"lardomar"`             // lessons
	Contact       *contactRecord   `json:"kontakt"`              // contact
	Related       []pageRef        `json:"relaterade"`           // related
	Sources       []citationRecord `json:"kallor"`               // sources
	Date          string           `json:"publicerad"`           // date
	Updated       *string          `json:"uppdaterad"`           // updated
	Reviewed      *string          `json:"granskad"`             // reviewed
	FormerSlugs   []string         `json:"tidigare_slugs"`       // former_slugs
}

type kommunRecord struct {
	Name    string `json:"namn"`
	Code    string `json:"kommunkod"`
	Lan     string `json:"lan"`
	LanCode string `json:"lanskod"`
}

type lanRecord struct {
	Name string `json:"namn"`
	Code string `json:"lanskod"`
}

type valueRecord struct {
	Slug  string `json:"slug"`
	Label string `json:"namn"`
}

type modelRef struct {
	Slug  string `json:"slug"`
	Label string `json:"namn"`
	URL   string `json:"url"`
}

type pageRef struct {
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

type statusRecord struct {
	Value string  `json:"varde"`
	Label string  `json:"namn"`
	AsOf  *string `json:"galler"` // status_as_of, or the newest source's date
	Text  string  `json:"text"`
	Stale bool    `json:"inaktuell"`
}

type contactRecord struct {
	Organisation string  `json:"organisation"`
	Email        *string `json:"epost"`
	URL          *string `json:"url"`
}

type citationRecord struct {
	ID        string  `json:"id"`
	Pages     *string `json:"sidor"`
	Title     string  `json:"titel"`
	Publisher string  `json:"utgivare"`
	Dated     *string `json:"datum"`
	URL       *string `json:"url"`
	Page      string  `json:"sida"` // the register's page about the document
}

type termRecord struct {
	Slug       string           `json:"slug"`
	URL        string           `json:"url"`
	Title      string           `json:"titel"`          // title
	Summary    string           `json:"sammanfattning"` // summary
	Kind       string           `json:"typ"`            // kind
	Aliases    []string         `json:"andra_namn"`     // aliases
	Related    []pageRef        `json:"relaterade"`     // related
	Sources    []citationRecord `json:"kallor"`         // sources
	Updated    *string          `json:"uppdaterad"`     // updated
	Cases      int              `json:"antal_exempel"`  // cases with this investment model
	Financier  *string          `json:"finansiar"`      // financier
	Repayment  *string          `json:"aterbetalning"`  // repayment
	Risk       *string          `json:"risk"`           // risk
	Horizon    *string          `json:"tidshorisont"`   // horizon
	TypicalUse *string          `json:"typisk_anvandning"`
	SuitedWhen *string          `json:"passar_nar"` // suited_when
}

type sourceRecord struct {
	ID        string    `json:"id"`
	Title     string    `json:"titel"`
	Publisher string    `json:"utgivare"`
	Dated     *string   `json:"datum"`
	Accessed  *string   `json:"hamtad"`
	Kind      string    `json:"typ"`
	URL       *string   `json:"url"`
	Page      string    `json:"sida"`
	Cases     []pageRef `json:"exempel"`
	Terms     []pageRef `json:"begrepp"`
}

// opt is a pointer to s, or nil for "".
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func optSEK(n int64, has bool) *int64 {
	if !has {
		return nil
	}
	return &n
}

// list returns l, or an empty list for nil (null is for scalars).
func list[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func (d *dataset) caseRecord(c *content.Case) *caseRecord {
	r := &caseRecord{Slug: c.Slug, URL: d.url(c.URL()), Title: c.Title, Summary: c.Summary,
		Country: opt(c.Country), Place: opt(c.Place), International: c.International(),
		Start: optInt(c.Start), End: optInt(c.End),
		Budget: optSEK(c.Budget, c.HasBudget), Cost: optSEK(c.Cost, c.HasCost), Repaid: optSEK(c.Repaid, c.HasRepaid),
		Owner: opt(c.Owner), Initiator: opt(c.Initiator), Partners: list(c.Partners),
		Evaluation: opt(c.Evaluation), Results: list(c.Results), Lessons: list(c.Lessons),
		Date: isoDate(c.Date), Updated: opt(isoDate(c.Updated)), Reviewed: opt(isoDate(c.Reviewed)),
		FormerSlugs: list(c.FormerSlugs)}
	r.Municipality = []kommunRecord{}
	for _, k := range c.Municipalities {
		kr := kommunRecord{Name: k.Name, Code: k.Code}
		if k.Lan != nil {
			kr.Lan, kr.LanCode = k.Lan.Name, k.Lan.Code
		}
		r.Municipality = append(r.Municipality, kr)
	}
	r.Regions = []lanRecord{}
	for _, l := range c.Regions {
		r.Regions = append(r.Regions, lanRecord{l.Name, l.Code})
	}
	r.TargetGroups = values(c.TargetGroups)
	r.FocusAreas = values(c.FocusAreas)
	if c.CaseType != nil {
		r.CaseType = &valueRecord{c.CaseType.Slug, c.CaseType.Label}
	}
	r.Models = []modelRef{}
	for _, t := range c.InvestmentModels {
		r.Models = append(r.Models, modelRef{t.Slug, t.Title, d.url(t.URL())})
	}
	r.Status = statusRecord{Value: string(c.Status), Label: c.Status.Label(), AsOf: opt(partial(c.StatusAsOf)),
		Text: c.StatusText(), Stale: c.StatusStale}
	if c.Contact != nil {
		r.Contact = &contactRecord{Organisation: c.Contact.Organisation, Email: opt(c.Contact.Email), URL: opt(c.Contact.URL)}
	}
	r.Related = []pageRef{}
	for _, rc := range c.Related {
		r.Related = append(r.Related, pageRef{rc.Slug, d.url(rc.URL())})
	}
	r.Sources = d.citations(c.Sources)
	return r
}

func values(vs []*content.Value) []valueRecord {
	out := []valueRecord{}
	for _, v := range vs {
		out = append(out, valueRecord{v.Slug, v.Label})
	}
	return out
}

func (d *dataset) citations(ss []content.Source) []citationRecord {
	out := []citationRecord{}
	for _, s := range ss {
		cr := citationRecord{ID: s.ID, Pages: opt(s.Pages)}
		if s.Doc != nil {
			cr.Title, cr.Publisher, cr.Dated, cr.URL, cr.Page = s.Doc.Title, s.Doc.Publisher, opt(partial(s.Doc.Date)), opt(s.Doc.URL), d.url(s.Doc.Page())
		}
		out = append(out, cr)
	}
	return out
}

func (d *dataset) termRecord(t *content.Term) *termRecord {
	r := &termRecord{Slug: t.Slug, URL: d.url(t.URL()), Title: t.Title, Summary: t.Summary, Kind: string(t.Kind),
		Aliases: list(t.Aliases), Sources: d.citations(t.Sources), Updated: opt(isoDate(t.Updated))}
	r.Related = []pageRef{}
	for _, rt := range t.Related {
		r.Related = append(r.Related, pageRef{rt.Slug, d.url(rt.URL())})
	}
	if t.IsModel() {
		r.Financier, r.Repayment, r.Risk, r.Horizon = opt(t.Financier), opt(t.Repayment), opt(t.Risk), opt(t.Horizon)
		r.TypicalUse, r.SuitedWhen = opt(t.TypicalUse), opt(t.SuitedWhen)
		for _, c := range d.s.Cases {
			for _, m := range c.InvestmentModels {
				if m == t {
					r.Cases++
				}
			}
		}
	}
	return r
}

func (d *dataset) sourceRecord(s *content.SourceDoc) *sourceRecord {
	r := &sourceRecord{ID: s.ID, Title: s.Title, Publisher: s.Publisher, Dated: opt(partial(s.Date)),
		Accessed: opt(partial(s.Accessed)), Kind: s.Kind, URL: opt(s.URL), Page: d.url(s.Page()),
		Cases: []pageRef{}, Terms: []pageRef{}}
	for _, c := range s.Cases {
		r.Cases = append(r.Cases, pageRef{c.Slug, d.url(c.URL())})
	}
	for _, t := range s.Terms {
		r.Terms = append(r.Terms, pageRef{t.Slug, d.url(t.URL())})
	}
	return r
}
