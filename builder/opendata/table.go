package opendata

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// column is one column of exempel.csv and exempel.xlsx.
type column struct {
	Key    string // CSV header, as in exempel.json where there is a key for it
	Header string // Excel header, for readers
	Help   string // what the column holds, for /data/
	value  func(*caseRecord) string
	number bool // a whole number (Excel stores it as a number)
}

// Sep joins the values of a field with several ("Ale; Göteborg").
const Sep = "; "

// Columns are the columns of exempel.csv and exempel.xlsx, in order.
var Columns = []column{
	{"slug", "Slug", "Exemplets namn i adressen.", func(r *caseRecord) string { return r.Slug }, false},
	{"url", "Adress", "Exemplets sida.", func(r *caseRecord) string { return r.URL }, false},
	{"titel", "Titel", "Exemplets rubrik.", func(r *caseRecord) string { return r.Title }, false},
	{"sammanfattning", "Sammanfattning", "En kort beskrivning i en eller två meningar.", func(r *caseRecord) string { return r.Summary }, false},
	{"kommun", "Kommun", "Kommunerna där arbetet bedrivs.", func(r *caseRecord) string {
		return join(r.Municipality, func(k kommunRecord) string { return k.Name })
	}, false},
	{"kommunkod", "Kommunkod", "SCB:s fyrsiffriga kommunkod, som text (0114).", func(r *caseRecord) string {
		return join(r.Municipality, func(k kommunRecord) string { return k.Code })
	}, false},
	{"lan", "Län", "Länen: de angivna och kommunernas.", func(r *caseRecord) string {
		return join(r.Regions, func(l lanRecord) string { return l.Name })
	}, false},
	{"lanskod", "Länskod", "SCB:s tvåsiffriga länskod, som text (01).", func(r *caseRecord) string {
		return join(r.Regions, func(l lanRecord) string { return l.Code })
	}, false},
	{"land", "Land", "Bara för exempel utanför Sverige och nationella exempel.", func(r *caseRecord) string { return str(r.Country) }, false},
	{"plats", "Plats", "Stadsdel, område eller liknande.", func(r *caseRecord) string { return str(r.Place) }, false},
	{"malgrupper", "Målgrupper", "Vilka arbetet riktar sig till.", func(r *caseRecord) string { return join(r.TargetGroups, valueLabel) }, false},
	{"fokusomraden", "Fokusområden", "Vad arbetet handlar om.", func(r *caseRecord) string { return join(r.FocusAreas, valueLabel) }, false},
	{"typ", "Typ", "Insats, fond eller finansiering, forskning och utvärdering …", func(r *caseRecord) string {
		if r.CaseType == nil {
			return ""
		}
		return r.CaseType.Label
	}, false},
	{"investeringsmodeller", "Investeringsmodeller", "Hur arbetet finansieras, med namn som i ordlistan.", func(r *caseRecord) string {
		return join(r.Models, func(m modelRef) string { return m.Label })
	}, false},
	{"status", "Status", "planerad, uppstart, pågående, avslutad eller okänd.", func(r *caseRecord) string { return r.Status.Value }, false},
	{"status_galler", "Status gäller", "När statusen gällde enligt källan (år, år-månad eller datum).", func(r *caseRecord) string { return str(r.Status.AsOf) }, false},
	{"status_text", "Status som på sidan", "Statusen med året den gällde, som på exemplets sida.", func(r *caseRecord) string { return r.Status.Text }, false},
	{"startar", "Startår", "Året då arbetet började.", func(r *caseRecord) string { return intStr(r.Start) }, true},
	{"slutar", "Slutår", "Året då arbetet slutade eller ska sluta.", func(r *caseRecord) string { return intStr(r.End) }, true},
	{"budget_kr", "Budget (kr)", "I kronor, som källan anger den.", func(r *caseRecord) string { return sekStr(r.Budget) }, true},
	{"kostnad_kr", "Beviljat (kr)", "Beviljade medel ur en fond, i kronor.", func(r *caseRecord) string { return sekStr(r.Cost) }, true},
	{"aterbetalt_kr", "Återbetalt (kr)", "Medel som betalats tillbaka till fonden, i kronor.", func(r *caseRecord) string { return sekStr(r.Repaid) }, true},
	{"huvudman", "Huvudman", "Den som driver arbetet.", func(r *caseRecord) string { return str(r.Owner) }, false},
	{"initiativtagare", "Initiativtagare", "Den som tog initiativet, där källan nämner någon annan än huvudmannen.", func(r *caseRecord) string { return str(r.Initiator) }, false},
	{"partner", "Samarbetspartner", "Andra som deltar i arbetet.", func(r *caseRecord) string { return strings.Join(r.Partners, Sep) }, false},
	{"utvardering", "Uppföljning", "ingen, uppföljning, följeforskning, effektutvärdering eller samhällsekonomisk analys.", func(r *caseRecord) string { return str(r.Evaluation) }, false},
	{"resultat", "Resultat", "Som källan redovisar dem.", func(r *caseRecord) string { return strings.Join(r.Results, Sep) }, false},
	{"lardomar", "Lärdomar", "Lärdomar som källan redovisar.", func(r *caseRecord) string { return strings.Join(r.Lessons, Sep) }, false},
	{"kontakt", "Kontakt", "Organisation, funktionsbrevlåda eller webbsida.", func(r *caseRecord) string {
		if r.Contact == nil {
			return ""
		}
		return strings.Join(nonEmpty(r.Contact.Organisation, str(r.Contact.Email), str(r.Contact.URL)), Sep)
	}, false},
	{"kallor", "Källor", "Källornas id i källförteckningen, med sidor.", func(r *caseRecord) string {
		return join(r.Sources, func(c citationRecord) string {
			if c.Pages != nil {
				return c.ID + " s. " + *c.Pages
			}
			return c.ID
		})
	}, false},
	{"publicerad", "Publicerad", "ÅÅÅÅ-MM-DD.", func(r *caseRecord) string { return r.Date }, false},
	{"uppdaterad", "Uppdaterad", "Senaste ändringen av exemplet, ÅÅÅÅ-MM-DD.", func(r *caseRecord) string { return str(r.Updated) }, false},
	{"granskad", "Granskad", "Senaste redaktionella granskning.", func(r *caseRecord) string { return str(r.Reviewed) }, false},
}

func valueLabel(v valueRecord) string { return v.Label }

func join[T any](l []T, f func(T) string) string {
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = f(x)
	}
	return strings.Join(parts, Sep)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func intStr(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func sekStr(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// csv is exempel.csv: RFC 4180 (CRLF line ends), UTF-8 without a byte
// order mark, a header row of Columns' keys, every field quoted, so that
// a program that reads it keeps kommunkod 0114 as text.
func (d *dataset) csv() []byte {
	var b bytes.Buffer
	row := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('"')
			b.WriteString(strings.ReplaceAll(c, `"`, `""`))
			b.WriteByte('"')
		}
		b.WriteString("\r\n")
	}
	head := make([]string, len(Columns))
	for i, c := range Columns {
		head[i] = c.Key
	}
	row(head)
	cells := make([]string, len(Columns))
	for _, r := range d.cases {
		for i, c := range Columns {
			cells[i] = c.value(r)
		}
		row(cells)
	}
	return b.Bytes()
}

// xlsx is exempel.xlsx: one sheet "Exempel" with Columns' Swedish headers
// in a bold, frozen first row, an autofilter over the table, numbers as
// numbers and everything else (kommunkod too) as text. Its document
// properties carry the data's date, not the time of the build, so the
// same content gives the same file.
func (d *dataset) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Exempel"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	stamp := d.modified.UTC().Format("2006-01-02T15:04:05Z")
	if d.modified.IsZero() {
		stamp = "2000-01-01T00:00:00Z"
	}
	cfg := d.s.Config
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Exempel på sociala investeringar", Creator: cfg.Title,
		Created: stamp, Modified: stamp, LastModifiedBy: cfg.Title, Language: "sv-SE"}); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, c := range Columns {
		w := 14.0
		if c.Key == "titel" || c.Key == "sammanfattning" || c.Key == "resultat" || c.Key == "lardomar" {
			w = 40
		}
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	head := make([]any, len(Columns))
	for i, c := range Columns {
		head[i] = excelize.Cell{StyleID: bold, Value: c.Header}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	row := make([]any, len(Columns))
	for n, r := range d.cases {
		for i, c := range Columns {
			v := c.value(r)
			if c.number && v != "" {
				num, _ := strconv.ParseInt(v, 10, 64)
				row[i] = num
			} else {
				row[i] = v // a Go string is always stored as text
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	last, _ := excelize.CoordinatesToCellName(len(Columns), len(d.cases)+1)
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
