// Package cms is the portal's web editor: Decap CMS at /admin/. It
// generates Decap's admin/config.yml from the content contract (every
// field with its rules, every vocabulary, the 290 kommuner, the 21 län, the
// investment models and the source register as lists to choose from) and
// implements Decap's local-backend protocol (Backend), which `portal
// serve` mounts at /api/v1 so that the editor writes into content/ after
// the validator has accepted each save.
//
// Nobody edits the configuration by hand: a change to the contract or to
// the vocabularies shows up in it at the next build.
package cms

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/content"
	yaml "go.yaml.in/yaml/v3"
)

// APIPath is where `portal serve` answers Decap's local-backend protocol.
const APIPath = "/api/v1"

// MediaFolder is where uploaded images and attachments are kept, below the
// site root; they are published at /media/.
const MediaFolder = "content/media"

// Patterns the editor checks before it lets a form be saved; the validator
// checks the same things again on every write.
const (
	partialDatePattern = `^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`
	slugPattern        = `^[a-z0-9]+(-[a-z0-9]+)*$`
	emailPattern       = `^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$`
	urlPattern         = `^https?://\S+$`
	pagesPattern       = `^[0-9ivxlcdm]+([–-][0-9ivxlcdm]+)?(, ?[0-9ivxlcdm]+([–-][0-9ivxlcdm]+)?)*$`
)

// Config returns admin/config.yml for the site: YAML, the same bytes for
// the same site.
func Config(s *content.Site) ([]byte, error) {
	c := config{
		Locale:          "sv",
		MediaFolder:     MediaFolder,
		PublicFolder:    "/media",
		SiteURL:         strings.TrimSuffix(s.Config.BaseURL, "/"),
		DisplayURL:      strings.TrimSuffix(s.Config.BaseURL, "/"),
		Slug:            slugConfig{Encoding: "ascii", CleanAccents: true, SanitizeReplacement: "-"},
		Collections:     []collection{caseCollection(s), termCollection(s), pageCollection()},
		PublishMode:     "",
		ShowPreviewLink: false,
	}
	if cm := s.Config.CMS; cm != nil {
		c.Backend = backend{Name: cm.Backend, Repo: cm.Repo, Branch: cm.Branch, BaseURL: cm.BaseURL, APIRoot: cm.APIRoot}
		// On the preview server the editor still uses the local backend.
		c.LocalBackend = &localBackend{URL: APIPath}
		if cm.EditorialWorkflow {
			c.PublishMode = "editorial_workflow"
		}
	} else {
		c.Backend = backend{Name: "proxy", ProxyURL: APIPath, Branch: "main"}
	}
	lastConfig.Lock()
	defer lastConfig.Unlock()
	if lastConfig.data != nil && reflect.DeepEqual(c, lastConfig.c) {
		return lastConfig.data, nil
	}
	var buf bytes.Buffer
	buf.WriteString("# Skapad av portal build ur innehållskontraktet: ändra inte för hand.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("admin/config.yml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("admin/config.yml: %w", err)
	}
	lastConfig.c, lastConfig.data = c, buf.Bytes()
	return lastConfig.data, nil
}

// lastConfig is the last configuration Config encoded, and its YAML: the
// preview builds the same one on every save, and encoding it took longer
// than comparing it. Callers only read the bytes.
var lastConfig struct {
	sync.Mutex
	c    config
	data []byte
}

type config struct {
	Locale          string        `yaml:"locale"`
	Backend         backend       `yaml:"backend"`
	LocalBackend    *localBackend `yaml:"local_backend,omitempty"`
	PublishMode     string        `yaml:"publish_mode,omitempty"`
	MediaFolder     string        `yaml:"media_folder"`
	PublicFolder    string        `yaml:"public_folder"`
	SiteURL         string        `yaml:"site_url,omitempty"`
	DisplayURL      string        `yaml:"display_url,omitempty"`
	ShowPreviewLink bool          `yaml:"show_preview_links"`
	Slug            slugConfig    `yaml:"slug"`
	Collections     []collection  `yaml:"collections"`
}

type backend struct {
	Name     string `yaml:"name"`
	ProxyURL string `yaml:"proxy_url,omitempty"`
	Repo     string `yaml:"repo,omitempty"`
	Branch   string `yaml:"branch,omitempty"`
	BaseURL  string `yaml:"base_url,omitempty"`
	APIRoot  string `yaml:"api_root,omitempty"`
}

type localBackend struct {
	URL string `yaml:"url"`
}

type slugConfig struct {
	Encoding            string `yaml:"encoding"`
	CleanAccents        bool   `yaml:"clean_accents"`
	SanitizeReplacement string `yaml:"sanitize_replacement"`
}

type collection struct {
	Name          string   `yaml:"name"`
	Label         string   `yaml:"label"`
	LabelSingular string   `yaml:"label_singular"`
	Description   string   `yaml:"description,omitempty"`
	Folder        string   `yaml:"folder"`
	Extension     string   `yaml:"extension"`
	Format        string   `yaml:"format"`
	Create        bool     `yaml:"create"`
	Delete        bool     `yaml:"delete"`
	Slug          string   `yaml:"slug"`
	IdentifierFld string   `yaml:"identifier_field"`
	SummaryFmt    string   `yaml:"summary"`
	SortableFlds  []string `yaml:"sortable_fields,omitempty"`
	// Editor turns Decap's own preview pane off: the preview is the real
	// site, which `portal serve` rebuilds on every save.
	Editor editorConfig `yaml:"editor"`
	Fields []field      `yaml:"fields"`
}

type editorConfig struct {
	Preview bool `yaml:"preview"`
}

// field is one Decap widget. Only the keys a widget uses are written.
type field struct {
	Name         string   `yaml:"name"`
	Label        string   `yaml:"label"`
	Widget       string   `yaml:"widget"`
	Hint         string   `yaml:"hint,omitempty"`
	Required     *bool    `yaml:"required,omitempty"`
	Default      any      `yaml:"default,omitempty"`
	Pattern      []string `yaml:"pattern,omitempty"`
	Options      []option `yaml:"options,omitempty"`
	Multiple     bool     `yaml:"multiple,omitempty"`
	Min          *int     `yaml:"min,omitempty"`
	Max          *int     `yaml:"max,omitempty"`
	ValueType    string   `yaml:"value_type,omitempty"`
	Format       string   `yaml:"format,omitempty"`
	DateFormat   string   `yaml:"date_format,omitempty"`
	TimeFormat   *bool    `yaml:"time_format,omitempty"`
	PickerUTC    bool     `yaml:"picker_utc,omitempty"`
	Collection   string   `yaml:"collection,omitempty"`
	ValueField   string   `yaml:"value_field,omitempty"`
	SearchFields []string `yaml:"search_fields,omitempty"`
	DisplayFlds  []string `yaml:"display_fields,omitempty"`
	Field        *field   `yaml:"field,omitempty"`
	Fields       []field  `yaml:"fields,omitempty"`
	Summary      string   `yaml:"summary,omitempty"`
	Collapsed    *bool    `yaml:"collapsed,omitempty"`
	Modes        []string `yaml:"modes,omitempty"`
}

type option struct {
	Label string `yaml:"label"`
	Value string `yaml:"value"`
}

func ptr[T any](v T) *T { return &v }

// optional marks a field as not required (Decap's default is required).
func optional(f field) field { f.Required = ptr(false); return f }

func str(name, label, hint string) field {
	return field{Name: name, Label: label, Widget: "string", Hint: hint}
}

func text(name, label, hint string) field {
	return field{Name: name, Label: label, Widget: "text", Hint: hint}
}

func strList(name, label, hint string) field {
	return field{Name: name, Label: label, Widget: "list", Hint: hint, Collapsed: ptr(false), Field: &field{Name: "value", Label: label, Widget: "string"}}
}

func selectOf(name, label, hint string, opts []option, multiple bool) field {
	return field{Name: name, Label: label, Widget: "select", Hint: hint, Options: opts, Multiple: multiple}
}

func labels(values ...string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Label: v, Value: v}
	}
	return out
}

func date(name, label, hint string) field {
	return field{Name: name, Label: label, Widget: "datetime", Hint: hint,
		Format: "YYYY-MM-DD", DateFormat: "YYYY-MM-DD", TimeFormat: ptr(false), PickerUTC: true}
}

func withDefault(f field, v any) field { f.Default = v; return f }

func number(name, label, hint string, min, max int) field {
	return field{Name: name, Label: label, Widget: "number", Hint: hint, ValueType: "int", Min: &min, Max: &max}
}

func patterned(f field, pattern, msg string) field {
	f.Pattern = []string{pattern, msg}
	return f
}

func vocabOptions(s *content.Site, name string) []option {
	v := s.Vocab[name]
	if v == nil {
		return nil
	}
	out := make([]option, len(v.Values))
	for i, val := range v.Values {
		out[i] = option{Label: val.Label, Value: val.Label}
	}
	return out
}

func sourceOptions(s *content.Site) []option {
	out := make([]option, len(s.Sources))
	for i, d := range s.Sources {
		out[i] = option{Label: d.Title + " (" + d.Publisher + ", " + d.Dated() + ")", Value: d.ID}
	}
	return out
}

func sourcesField(s *content.Site) field {
	return field{Name: "sources", Label: "Källor", Widget: "list", Required: ptr(false),
		Hint:    "Källdokument ur källregistret (content/kallor.yaml) och de sidor som används. Saknas dokumentet: lägg till det i registret först.",
		Summary: "{{fields.source}} s. {{fields.pages}}",
		Fields: []field{
			selectOf("source", "Källa", "", sourceOptions(s), false),
			optional(patterned(str("pages", "Sidor", "till exempel 5 eller 6–7"), pagesPattern, "Sidor skrivs som 5, 6–7 eller 3, 8")),
		}}
}

func bodyField() field {
	// Markdown source only: the rich-text mode writes the text back in its
	// own way and would escape wiki links ([[slug]] → \[\[slug]]).
	return field{Name: "body", Label: "Text", Widget: "markdown", Modes: []string{"raw"},
		Hint: "Markdown. Länka till ett annat exempel eller begrepp med [[slug]] eller [[slug|text]]; rubriker med ##."}
}

func caseCollection(s *content.Site) collection {
	kommuner := make([]string, len(s.Kommuner))
	for i, k := range s.Kommuner {
		kommuner[i] = k.Name
	}
	lan := make([]string, len(s.Lan))
	for i, l := range s.Lan {
		lan[i] = l.Name
	}
	var models []string
	for _, t := range s.Terms {
		if t.IsModel() {
			models = append(models, t.Title)
		}
	}
	statuses := make([]string, len(content.Statuses))
	for i, st := range content.Statuses {
		statuses[i] = string(st)
	}
	fields := []field{
		str("title", "Titel", "Namnet på initiativet."),
		text("summary", "Sammanfattning", "En eller två meningar."),
		optional(selectOf("municipality", "Kommun", "Minst en av kommun, län och land. Länet härleds ur kommunen.", labels(kommuner...), true)),
		optional(selectOf("region", "Län", "För regionala exempel.", labels(lan...), true)),
		optional(str("country", "Land", "Sverige för nationella exempel; annat land för internationella.")),
		optional(str("place", "Ort", "För internationella exempel.")),
		selectOf("target_group", "Målgrupp", "Välj Målgrupp ej angiven om källan inte säger det.", vocabOptions(s, "target_group"), true),
		selectOf("investment_model", "Investeringsmodell", "Modellerna i ordlistan.", labels(models...), true),
		optional(selectOf("focus_area", "Fokusområde", "", vocabOptions(s, "focus_area"), true)),
		optional(selectOf("case_type", "Typ av exempel", "", vocabOptions(s, "case_type"), false)),
		selectOf("status", "Status", "Okänd när källan inte säger det.", labels(statuses...), false),
		optional(patterned(str("status_as_of", "Status gäller från", "När statusen gällde enligt källan: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD. Tomt: den nyaste källans datum."),
			partialDatePattern, "Skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03)")),
		optional(number("start", "Startår", "", 1900, 2100)),
		optional(number("end", "Slutår", "", 1900, 2100)),
		optional(number("budget_sek", "Budget (kr)", "I kronor, som heltal.", 0, 1<<31-1)),
		optional(selectOf("evaluation", "Utvärdering", "Hur resultaten är kända.", labels(content.Evaluations...), false)),
		optional(strList("results", "Resultat", "Korta rader med siffror som källan anger dem.")),
		optional(strList("lessons", "Lärdomar", "Korta rader.")),
		optional(number("cost_sek", "Beviljat (kr)", "För fondmodeller: beviljat belopp i kronor.", 0, 1<<31-1)),
		optional(number("repaid_sek", "Återbetalt (kr)", "Får inte vara större än beviljat.", 0, 1<<31-1)),
		{Name: "contact", Label: "Kontakt", Widget: "object", Required: ptr(false), Collapsed: ptr(true),
			Hint: "En funktionsbrevlåda eller webbsida, aldrig en persons adress.",
			Fields: []field{
				// Optional here, since Decap checks the fields of an
				// object left empty; the validator requires it of a contact.
				optional(str("organisation", "Organisation", "Krävs när du anger en kontakt.")),
				optional(patterned(str("email", "E-post", "Till exempel info@kommun.se."), emailPattern, "Ingen e-postadress")),
				optional(patterned(str("url", "Webbsida", "Börja med https://."), urlPattern, "Ingen webbadress (börja med https://)")),
			}},
		optional(date("reviewed", "Senast granskad", "")),
		optional(str("owner", "Huvudman", "Den som driver arbetet.")),
		optional(str("initiator", "Initiativtagare", "När källan skiljer den från huvudmannen.")),
		optional(strList("partners", "Samarbetspartner", "")),
		{Name: "related", Label: "Relaterade exempel", Widget: "relation", Required: ptr(false), Multiple: true,
			Collection: "exempel", ValueField: "{{slug}}", SearchFields: []string{"title"}, DisplayFlds: []string{"title"},
			Hint: "Visas först bland Liknande exempel."},
		sourcesField(s),
		optional(patterned(strList("former_slugs", "Tidigare adresser", "Den sista delen av en gammal adress, när filen har bytt namn."), slugPattern, "Gemener, siffror och bindestreck")),
		withDefault(date("date", "Publicerad", "Dagen exemplet publiceras; i dag om du inte ändrar det."), "{{now}}"),
		optional(date("updated", "Uppdaterad", "")),
		optional(field{Name: "draft", Label: "Utkast", Widget: "boolean", Default: false, Hint: "Ett utkast publiceras inte."}),
		bodyField(),
	}
	// former_slugs is a list: its pattern belongs to its items.
	for i := range fields {
		if fields[i].Name == "former_slugs" {
			fields[i].Field.Pattern, fields[i].Pattern = fields[i].Pattern, nil
		}
	}
	return collection{Name: "exempel", Label: "Exempel", LabelSingular: "exempel",
		Description: "Fallstudier: vad kommunen eller regionen gjorde, hur det finansierades och vad det ledde till.",
		Folder:      "content/exempel", Extension: "md", Format: "frontmatter", Create: true, Delete: false,
		Slug: "{{title}}", IdentifierFld: "title", SummaryFmt: "{{title}}",
		SortableFlds: []string{"title", "date", "reviewed"}, Fields: fields}
}

func termCollection(s *content.Site) collection {
	var terms []string
	for _, t := range s.Terms {
		terms = append(terms, t.Slug)
	}
	slices.Sort(terms)
	fields := []field{
		str("title", "Titel", ""),
		text("summary", "Sammanfattning", "En mening."),
		optional(strList("aliases", "Andra namn", "Böjningsformer, synonymer och engelska namn som ska länkas till begreppet.")),
		selectOf("kind", "Sort", "", labels(string(content.KindModel), string(content.KindConcept)), false),
		{Name: "related", Label: "Relaterade begrepp", Widget: "relation", Required: ptr(false), Multiple: true,
			Collection: "begrepp", ValueField: "{{slug}}", SearchFields: []string{"title"}, DisplayFlds: []string{"title"}},
		sourcesField(s),
		optional(field{Name: "draft", Label: "Utkast", Widget: "boolean", Default: false}),
		optional(date("updated", "Uppdaterad", "")),
		optional(str("financier", "Vem finansierar", "Bara för investeringsmodeller.")),
		optional(str("repayment", "Återbetalning", "Bara för investeringsmodeller.")),
		optional(str("risk", "Vem bär risken", "Bara för investeringsmodeller.")),
		optional(str("horizon", "Tidshorisont", "Bara för investeringsmodeller.")),
		optional(str("typical_use", "Typisk användning", "Bara för investeringsmodeller.")),
		optional(str("suited_when", "Passar när …", "Krävs av en investeringsmodell: en fortsättning på \"Passar när …\".")),
		bodyField(),
	}
	return collection{Name: "begrepp", Label: "Begrepp", LabelSingular: "begrepp",
		Description: "Ordlistan: investeringsmodeller och begrepp.",
		Folder:      "content/begrepp", Extension: "md", Format: "frontmatter", Create: true,
		Slug: "{{title}}", IdentifierFld: "title", SummaryFmt: "{{title}} ({{kind}})", SortableFlds: []string{"title"}, Fields: fields}
}

func pageCollection() collection {
	return collection{Name: "sidor", Label: "Sidor", LabelSingular: "sida",
		Folder: "content/sidor", Extension: "md", Format: "frontmatter", Create: true,
		Slug: "{{title}}", IdentifierFld: "title", SummaryFmt: "{{title}}", SortableFlds: []string{"title"},
		Fields: []field{
			str("title", "Titel", ""),
			text("summary", "Sammanfattning", ""),
			optional(field{Name: "draft", Label: "Utkast", Widget: "boolean", Default: false}),
			optional(date("updated", "Uppdaterad", "")),
			bodyField(),
		}}
}

// fieldNames returns the front-matter keys a collection's form writes.
func (c collection) fieldNames() []string {
	var out []string
	for _, f := range c.Fields {
		if f.Name != "body" {
			out = append(out, f.Name)
		}
	}
	return out
}
