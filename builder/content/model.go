// Package content is the portal's content model: it reads a site root
// (content/site.yaml, content/vokabular.yaml, content/data/*.csv and the
// markdown files under content/exempel, content/begrepp and content/sidor),
// validates everything against the content contract and returns a *Site.
//
// It knows nothing of rendering, templates, serving or output. All problems
// are collected and returned at once as a *diag.List sorted by file.
package content

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/sv"
)

// Section is the kind of a markdown document.
type Section int

const (
	// SectionCase is a case study in content/exempel/.
	SectionCase Section = iota
	// SectionTerm is a glossary term in content/begrepp/.
	SectionTerm
	// SectionPage is a plain page in content/sidor/.
	SectionPage
)

// Dir returns the section's folder below content/.
func (s Section) Dir() string {
	switch s {
	case SectionCase:
		return "exempel"
	case SectionTerm:
		return "begrepp"
	default:
		return "sidor"
	}
}

// Doc holds what every markdown document has.
type Doc struct {
	Section  Section
	File     string // slash path relative to the site root: content/exempel/x.md
	Slug     string
	Title    string
	Summary  string
	Body     []byte // markdown after the front matter, LF line endings
	BodyLine int    // file line of the first body line
	Draft    bool
	Date     time.Time
	Updated  time.Time
	Sources  []Source
	// Hash is a hash of the raw file, for incremental rebuilds. Hash and
	// MetaHash are the same in every process (stable.Sum64).
	Hash uint64
	// MetaHash hashes the front matter and where it and the body start:
	// two versions of a file with equal MetaHash differ only in the body.
	MetaHash uint64

	titleKey []byte // sv.Key(Title), computed when the file is read
	url      string // URL(), made when the file is read (setURL)
}

// TitleKey returns the collation key of the title for Swedish order
// (sv.Key): compare keys with bytes.Compare. Documents read by Load carry
// it already, computed on every core while the files are parsed.
func (d *Doc) TitleKey() []byte {
	if d.titleKey != nil {
		return d.titleKey
	}
	return sv.Key(d.Title)
}

// URL returns the document's site-relative URL, always with a trailing slash.
//
// A document read by Load made its URL then: every load shares that one
// string (a preview's rebuild asks for each document's URL many times).
func (d *Doc) URL() string {
	if d.url != "" {
		return d.url
	}
	return d.makeURL()
}

// setURL keeps the URL of the document's section and slug, set for good.
func (d *Doc) setURL() { d.url = d.makeURL() }

func (d *Doc) makeURL() string {
	switch d.Section {
	case SectionCase:
		return "/exempel/" + d.Slug + "/"
	case SectionTerm:
		return "/begrepp/" + d.Slug + "/"
	default:
		return "/" + d.Slug + "/"
	}
}

// Source is a cited document.
type Source struct {
	ID    string     // the register id as written: "ale-smt-2014"
	Doc   *SourceDoc // the document it names, set when the site is resolved
	Pages string     // "5", "6–7" or ""
	Line  int        // of the entry in its file
}

// SourceDoc is one document of the source register, content/kallor.yaml:
// every case and term cites its sources from there.
type SourceDoc struct {
	ID        string // slug: "ale-smt-2014"
	Title     string
	Publisher string
	Date      PartialDate // publication; zero for a web page that gives none
	Accessed  PartialDate // when an undated web page was read; zero otherwise
	Kind      string      // rapport, artikel, mötesanteckningar, seminarium, ...
	URL       string      // optional
	Line      int         // in kallor.yaml
	// Cases and Terms cite the document (published ones, in site order),
	// filled when the site is resolved.
	Cases []*Case
	Terms []*Term
}

// Page returns the URL of the document's page: /kallor/<id>/.
func (d *SourceDoc) Page() string { return "/kallor/" + d.ID + "/" }

// SourceKinds are the kinds a register document can be.
var SourceKinds = []string{"rapport", "artikel", "mötesanteckningar", "seminarium", "webbsida", "utvärdering", "bok", "pressmeddelande", "beslut"}

// Dated is how the document is dated for a reader: "mars 2017", or for a
// web page without a date of its own "odaterad, hämtad 3 december 2026".
func (d *SourceDoc) Dated() string {
	if !d.Date.IsZero() {
		return d.Date.String()
	}
	return "odaterad, hämtad " + d.Accessed.String()
}

// PartialDate is a year, a month of a year, or a day: how exactly a source
// is dated.
type PartialDate struct {
	Year  int
	Month time.Month // 0 when only the year is known
	Day   int        // 0 when only the month is known
}

// IsZero reports whether d is unset.
func (d PartialDate) IsZero() bool { return d.Year == 0 }

// String formats d the Swedish way: "2014", "mars 2017", "3 juli 2015".
func (d PartialDate) String() string {
	switch {
	case d.Year == 0:
		return ""
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return sv.FormatMonth(d.Year, d.Month)
	}
	return sv.FormatDate(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}

// After reports whether d is later than o, comparing what both give.
func (d PartialDate) After(o PartialDate) bool {
	if d.Year != o.Year {
		return d.Year > o.Year
	}
	if d.Month != o.Month {
		return d.Month > o.Month
	}
	return d.Day > o.Day
}

// today is the current day as a PartialDate, for "not in the future" checks.
func today() PartialDate {
	now := time.Now()
	return PartialDate{Year: now.Year(), Month: now.Month(), Day: now.Day()}
}

// ParsePartialDate reads "2014", "2017-03" or "2015-07-03".
func ParsePartialDate(s string) (PartialDate, bool) {
	var d PartialDate
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return d, false
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || (i > 0 && len(p) != 2) {
			return d, false
		}
		nums[i] = n
	}
	d.Year = nums[0]
	if len(nums) > 1 {
		if nums[1] < 1 || nums[1] > 12 {
			return d, false
		}
		d.Month = time.Month(nums[1])
	}
	if len(nums) > 2 {
		t := time.Date(d.Year, d.Month, nums[2], 0, 0, 0, 0, time.UTC)
		if t.Day() != nums[2] {
			return d, false
		}
		d.Day = nums[2]
	}
	return d, d.Year >= 1900
}

// Status is a case's phase.
type Status string

// The statuses of the content contract, in life-cycle order, and okänd
// for a case whose source does not say.
const (
	StatusPlanned  Status = "planerad"
	StatusStarting Status = "uppstart"
	StatusOngoing  Status = "pågående"
	StatusEnded    Status = "avslutad"
	StatusUnknown  Status = "okänd"
)

// Statuses lists every status in life-cycle order.
var Statuses = []Status{StatusPlanned, StatusStarting, StatusOngoing, StatusEnded, StatusUnknown}

// Open reports whether the status says the work is not over: planned,
// starting or ongoing. Only an open status can go stale.
func (s Status) Open() bool {
	return s == StatusPlanned || s == StatusStarting || s == StatusOngoing
}

// Label returns the status as shown to readers ("Pågående").
func (s Status) Label() string {
	switch s {
	case StatusPlanned:
		return "Planerad"
	case StatusStarting:
		return "Uppstart"
	case StatusOngoing:
		return "Pågående"
	case StatusEnded:
		return "Avslutad"
	case StatusUnknown:
		return "Okänd"
	}
	return string(s)
}

// Slug returns the status's URL slug ("pagaende").
func (s Status) Slug() string {
	switch s {
	case StatusOngoing:
		return "pagaende"
	case StatusUnknown:
		return "okand"
	}
	return string(s)
}

// Evaluations are how a case's results are known, from none to a
// socio-economic analysis.
var Evaluations = []string{"ingen", "uppföljning", "följeforskning", "effektutvärdering", "samhällsekonomisk analys"}

// Contact is where a reader can ask about a case: an organisation and a
// functional mailbox or web page (never a person: that is personal data).
type Contact struct {
	Organisation string
	Email        string
	URL          string
}

// StatusText is the status as readers see it, with its date: "Pågående
// enligt källan (2014)", or for a stale one "Senast känt: pågående 2014".
func (c *Case) StatusText() string {
	switch {
	case c.StatusAsOf.IsZero() || c.Status == StatusUnknown:
		return c.Status.Label()
	case c.StatusStale:
		return "Senast känt: " + string(c.Status) + " " + strconv.Itoa(c.StatusAsOf.Year)
	}
	return c.Status.Label() + " enligt källan (" + strconv.Itoa(c.StatusAsOf.Year) + ")"
}

// Case is a case study.
type Case struct {
	Doc
	Municipalities   []*Kommun
	Regions          []*Lan // explicit regions, then the län of each municipality
	ExplicitRegions  []*Lan
	Country          string // "" or "Sverige" for Swedish cases
	Place            string
	TargetGroups     []*Value
	FocusAreas       []*Value
	CaseType         *Value
	InvestmentModels []*Term
	Status           Status
	// StatusAsOf is when the status was true: status_as_of, or else the
	// date of the newest source the case cites (zero without either).
	StatusAsOf PartialDate
	// StatusStale marks an open status older than the site's
	// StatusStaleYears: "Senast känt: pågående 2014".
	StatusStale bool
	Start, End  int // years; 0 when not given
	Budget      int64
	HasBudget   bool
	// Evidence and results, all optional.
	Evaluation         string   // one of Evaluations
	Results, Lessons   []string // as the source states them
	Cost, Repaid       int64    // kronor granted and paid back (fund models)
	HasCost, HasRepaid bool
	Contact            *Contact
	contactLine        int       // of contact.email, for the warning
	Reviewed           time.Time // the last editorial review
	Owner              string    // huvudman: who runs the work
	Initiator          string    // initiativtagare, where the source names one apart from the owner
	Partners           []string
	RelatedSlugs       []string // as written, validated
	Related            []*Case  // explicit related cases, resolved
	// FormerSlugs are addresses the case had before it was renamed
	// (former_slugs): each /exempel/<slug>/ redirects to the case.
	FormerSlugs []string
	// resolveKey is ResolveKey's.
	resolveKey uint64
}

// ResolveKey is a key of everything the case's resolved fields are made
// from: its file, the context it was resolved in (the data files, the
// glossary, every case's slug and draft state, whether drafts are
// included) and the year, which dates its status. Two loads give a case
// the same key only if it resolves alike, so a memo of what is made from
// the resolved case alone (its search filters, its features for related
// cases) may be kept by it. Never 0.
func (c *Case) ResolveKey() uint64 { return c.resolveKey }

// International reports whether the case lies outside Sweden.
func (c *Case) International() bool {
	return c.Country != "" && c.Country != Sverige
}

// National reports whether the case is national (country Sverige with no
// municipality or region).
func (c *Case) National() bool {
	return c.Country == Sverige && len(c.Municipalities) == 0 && len(c.Regions) == 0
}

// Sverige is the country name that marks a national Swedish case.
const Sverige = "Sverige"

// TermKind is the kind of a glossary term.
type TermKind string

// The glossary kinds.
const (
	KindModel   TermKind = "investeringsmodell"
	KindConcept TermKind = "begrepp"
)

// Term is a glossary term (content/begrepp/).
type Term struct {
	Doc
	Aliases      []string
	Kind         TermKind
	RelatedSlugs []string
	Related      []*Term
	// Comparison fields, for investment models. SuitedWhen ("Passar när …")
	// is required of every model.
	Financier, Repayment, Risk, Horizon, TypicalUse, SuitedWhen string
}

// IsModel reports whether the term is an investment model.
func (t *Term) IsModel() bool { return t.Kind == KindModel }

// Page is a plain page (content/sidor/), published at /<slug>/.
type Page struct {
	Doc
}

// Value is one entry of a controlled vocabulary.
type Value struct {
	Vocab       string // target_group, focus_area, case_type
	Label       string
	Slug        string
	Description string
	Line        int
}

// Vocabulary is an ordered controlled vocabulary.
type Vocabulary struct {
	Name   string
	Values []*Value
	byFold map[string]*Value
}

// Kommun is a Swedish municipality from content/data/kommuner.csv.
type Kommun struct {
	Code     string
	Name     string
	Slug     string
	Lan      *Lan
	Lat, Lon string
}

// Lan is a Swedish county from content/data/lan.csv.
type Lan struct {
	Code     string
	Name     string
	Slug     string
	Letter   string
	Seat     string
	Kommuner []*Kommun
}

// MenuItem is an entry of the site's main menu.
type MenuItem struct {
	Title string
	URL   string
}

// Config is content/site.yaml.
type Config struct {
	Title       string
	BaseURL     string
	Language    string
	Description string
	Menu        []MenuItem
	// Weights for ranking related cases, by facet.
	RelatedWeights RelatedWeights
	// StatusStaleYears is how many years an open status stays current
	// (site.yaml status_stale_years; DefaultStatusStaleYears).
	StatusStaleYears int
	// CMS is where the web editor publishes (site.yaml cms); nil when
	// only the local editor of `portal serve` is enabled.
	CMS *CMSConfig
	// The open data (/data/): its licence (data_license, one of
	// DataLicenses; CC BY 4.0 when not set), and who publishes it and
	// answers questions about it, for the DCAT catalogue.
	DataLicense, DataLicenseURL string
	Publisher, PublisherURI     string
	ContactEmail                string
}

// CMSConfig is site.yaml's cms block: the git host the web editor (Decap
// CMS at /admin/) commits to when it runs on the published site.
type CMSConfig struct {
	Backend           string // one of CMSBackends
	Repo              string // owner/name
	Branch            string // default main
	BaseURL           string // the OAuth server, when the host needs one
	APIRoot           string // a self-hosted GitLab's or Gitea's API
	EditorialWorkflow bool   // drafts and review before publishing
}

// DefaultStatusStaleYears is StatusStaleYears when site.yaml does not say.
const DefaultStatusStaleYears = 3

// RelatedWeights weighs shared facet values when ranking similar cases.
type RelatedWeights struct {
	InvestmentModel, TargetGroup, FocusArea, Municipality, Region, CaseType float64
}

// DefaultRelatedWeights are used for weights site.yaml does not set.
var DefaultRelatedWeights = RelatedWeights{
	InvestmentModel: 3, TargetGroup: 2, FocusArea: 2, Municipality: 1.5, Region: 1, CaseType: 0.5,
}

// Site is the whole validated content.
type Site struct {
	Root     string
	Config   Config
	Vocab    map[string]*Vocabulary
	Kommuner []*Kommun
	Lan      []*Lan
	Cases    []*Case      // published, sorted by title in Swedish order
	Terms    []*Term      // published, sorted by title in Swedish order
	Pages    []*Page      // published, sorted by title in Swedish order
	Sources  []*SourceDoc // the source register, in its file's order
	// Synonyms are the groups of content/synonymer.yaml, for the search.
	Synonyms []SynonymGroup
	// Warnings are problems that do not stop a build (a personal-looking
	// contact address), sorted by file.
	Warnings   []*diag.Error
	Drafts     bool            // drafts were included
	DataHash   uint64          // hash of site.yaml, vokabular.yaml and the data files
	frontCtx   uint64          // FrontContext's
	draftSlugs map[string]bool // "exempel/slug" of drafts left out
	kommunFold map[string]*Kommun
	lanFold    map[string]*Lan
	sourceByID map[string]*SourceDoc
}

// FrontContext is a key of everything a case's front matter is resolved
// against in this load besides its own file: the context of
// Case.ResolveKey (the data files, the glossary, every case's slug and
// draft state, whether drafts are included) and the year. Two cases with
// the same file, the same MetaHash and the same FrontContext have the same
// fields, body aside, in every load and every process, so what is made
// from them alone (a case's card) may be kept by these three. Never 0 once
// the site has cases.
func (s *Site) FrontContext() uint64 { return s.frontCtx }

// IsDraft reports whether section/slug ("exempel/x") names a draft that
// was left out of this build.
func (s *Site) IsDraft(section, slug string) bool { return s.draftSlugs[section+"/"+slug] }

// DraftKeys returns the drafts left out of this build, as
// "section/slug", sorted.
func (s *Site) DraftKeys() []string { return slices.Sorted(maps.Keys(s.draftSlugs)) }

// HiddenDrafts is how many drafts were left out of this build.
func (s *Site) HiddenDrafts() int { return len(s.draftSlugs) }

// VocabNames are the controlled vocabularies the contract knows, in the
// order they are shown.
var VocabNames = []string{"target_group", "focus_area", "case_type"}
