package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// parsed is what a feed reader reads back of a feed.
type parsed struct {
	XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Title    string   `xml:"title"`
	Subtitle *string  `xml:"subtitle"`
	ID       string   `xml:"id"`
	Updated  string   `xml:"updated"`
	Links    []struct {
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
		URI  string `xml:"uri"`
	} `xml:"author"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Link      struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary struct {
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"summary"`
		Categories []struct {
			Term   string `xml:"term,attr"`
			Label  string `xml:"label,attr"`
			Scheme string `xml:"scheme,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

func parse(t *testing.T, data []byte) *parsed {
	t.Helper()
	var p parsed
	if err := xml.Unmarshal(data, &p); err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, data)
	}
	return &p
}

func entry(id, updated string) Entry {
	return Entry{ID: id, Title: "Titel " + id, URL: "/exempel/" + id + "/", Updated: day(updated)}
}

func ids(p *parsed) string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.ID)
	}
	return strings.Join(out, " ")
}

// TestAtomOrder: entries come newest first by Updated, entries of the same
// time keep their order, a feed keeps MaxEntries, and the feed's updated
// is its newest entry's (or Feed.Updated when it has none).
func TestAtomOrder(t *testing.T) {
	many := make([]Entry, 0, MaxEntries+10)
	for i := range MaxEntries + 10 {
		many = append(many, entry(fmt.Sprintf("e%02d", i), fmt.Sprintf("2020-01-%02d", 1+i%28)))
	}
	for _, tt := range []struct {
		name        string
		entries     []Entry
		updated     time.Time
		wantIDs     string
		wantUpdated string
		wantCount   int
	}{
		{"newest first", []Entry{entry("a", "2015-07-03"), entry("b", "2026-12-03"), entry("c", "2020-01-01")}, time.Time{},
			"b c a", "2026-12-03T00:00:00Z", 3},
		{"same day keeps order", []Entry{entry("a", "2026-11-23"), entry("b", "2026-12-03"), entry("c", "2026-11-23"), entry("d", "2026-12-03")}, time.Time{},
			"b d a c", "2026-12-03T00:00:00Z", 4},
		{"one entry", []Entry{entry("a", "2015-07-03")}, day("2030-01-01"), "a", "2015-07-03T00:00:00Z", 1},
		{"no entries", nil, day("2026-12-03"), "", "2026-12-03T00:00:00Z", 0},
		{"capped", many, time.Time{}, "", "2020-01-28T00:00:00Z", MaxEntries},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Atom(&Feed{ID: "tag:x.invalid,2026:/f", Title: "F", Self: "/f", Page: "/", Author: "A", Updated: tt.updated, Entries: tt.entries})
			if err != nil {
				t.Fatal(err)
			}
			p := parse(t, data)
			if tt.wantIDs != "" && ids(p) != tt.wantIDs {
				t.Errorf("entries %s, want %s", ids(p), tt.wantIDs)
			}
			if len(p.Entries) != tt.wantCount {
				t.Errorf("%d entries, want %d", len(p.Entries), tt.wantCount)
			}
			if p.Updated != tt.wantUpdated {
				t.Errorf("updated %s, want %s", p.Updated, tt.wantUpdated)
			}
			for i := 1; i < len(p.Entries); i++ {
				if p.Entries[i].Updated > p.Entries[i-1].Updated {
					t.Errorf("entry %d (%s) is newer than entry %d (%s)", i, p.Entries[i].Updated, i-1, p.Entries[i-1].Updated)
				}
			}
		})
	}
	// The caller's entries are left in their order.
	in := []Entry{entry("a", "2015-07-03"), entry("b", "2026-12-03")}
	Atom(&Feed{Entries: in})
	if in[0].ID != "a" {
		t.Error("Atom reordered the caller's slice")
	}
}

// TestAtomFields: each field lands where a feed reader looks for it.
func TestAtomFields(t *testing.T) {
	stockholm := time.FixedZone("CET", 3600)
	for _, tt := range []struct {
		name  string
		feed  Feed
		check func(t *testing.T, p *parsed, raw string)
	}{
		{"feed", Feed{ID: "https://x.example/exempel/atom.xml", Title: "Nya exempel – X", Subtitle: "Underrubrik", Lang: "sv",
			Self: "https://x.example/exempel/atom.xml", Page: "https://x.example/exempel/", Author: "X", AuthorURI: "https://x.example/"},
			func(t *testing.T, p *parsed, raw string) {
				if p.Lang != "sv" || p.Title != "Nya exempel – X" || p.Subtitle == nil || *p.Subtitle != "Underrubrik" || p.ID != "https://x.example/exempel/atom.xml" {
					t.Errorf("lang %q title %q subtitle %v id %q", p.Lang, p.Title, p.Subtitle, p.ID)
				}
				if len(p.Links) != 2 || p.Links[0].Rel != "self" || p.Links[0].Type != ContentType || p.Links[0].Href != "https://x.example/exempel/atom.xml" ||
					p.Links[1].Rel != "alternate" || p.Links[1].Type != "text/html" || p.Links[1].Href != "https://x.example/exempel/" {
					t.Errorf("links %+v", p.Links)
				}
				if p.Author.Name != "X" || p.Author.URI != "https://x.example/" {
					t.Errorf("author %+v", p.Author)
				}
				if !strings.HasPrefix(raw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">`) || !strings.HasSuffix(raw, "</feed>\n") {
					t.Errorf("document starts or ends wrong:\n%s", raw)
				}
			}},
		{"optional parts left out", Feed{ID: "i", Title: "T", Self: "/f", Page: "/", Author: "A", Entries: []Entry{{ID: "e", Title: "E", URL: "/e/", Updated: day("2020-01-01")}}},
			func(t *testing.T, p *parsed, raw string) {
				for _, s := range []string{"<subtitle", "<uri>", "xml:lang", "<published>", "<summary", "<category"} {
					if strings.Contains(raw, s) {
						t.Errorf("has %s:\n%s", s, raw)
					}
				}
			}},
		{"entry", Feed{ID: "i", Title: "T", Self: "/f", Page: "/", Author: "A", Entries: []Entry{{ID: "https://x.example/exempel/a/", Title: "A", URL: "https://x.example/exempel/a/",
			Summary: "Sammanfattning.", Published: day("2015-07-03"), Updated: time.Date(2026, 12, 3, 0, 30, 0, 0, stockholm),
			Categories: []Category{{"ale", "Ale", "https://x.example/kommun/"}, {"pagaende", "Pågående", "https://x.example/status/"}}}}},
			func(t *testing.T, p *parsed, raw string) {
				e := p.Entries[0]
				if e.ID != "https://x.example/exempel/a/" || e.Title != "A" || e.Link.Rel != "alternate" || e.Link.Href != "https://x.example/exempel/a/" {
					t.Errorf("entry %+v", e)
				}
				if e.Published != "2015-07-03T00:00:00Z" || e.Updated != "2026-12-02T23:30:00Z" {
					t.Errorf("published %s updated %s, want RFC 3339 in UTC", e.Published, e.Updated)
				}
				if e.Summary.Type != "text" || e.Summary.Text != "Sammanfattning." {
					t.Errorf("summary %+v", e.Summary)
				}
				if len(e.Categories) != 2 || e.Categories[0].Term != "ale" || e.Categories[0].Label != "Ale" || e.Categories[0].Scheme != "https://x.example/kommun/" ||
					e.Categories[1].Label != "Pågående" {
					t.Errorf("categories %+v", e.Categories)
				}
			}},
		{"text stays text", Feed{ID: "i", Title: `Om </title><script>alert(1)</script> & "x" 'y'`, Self: "/f?a=1&b=2", Page: "/", Author: "A",
			Entries: []Entry{{ID: "e", Title: "<![CDATA[x]]> <b>fet</b>", URL: "/e/", Summary: "]]> <img src=x onerror=alert(2)>\x01\x0b\ufffe",
				Updated: day("2020-01-01"), Categories: []Category{{`"><x`, "<a href=x>", "/k/"}}}}},
			func(t *testing.T, p *parsed, raw string) {
				if p.Title != `Om </title><script>alert(1)</script> & "x" 'y'` {
					t.Errorf("title reads back as %q", p.Title)
				}
				if p.Links[0].Href != "/f?a=1&b=2" {
					t.Errorf("self link reads back as %q", p.Links[0].Href)
				}
				e := p.Entries[0]
				if e.Title != "<![CDATA[x]]> <b>fet</b>" || e.Categories[0].Term != `"><x` || e.Categories[0].Label != "<a href=x>" {
					t.Errorf("entry reads back as %+v", e)
				}
				// Characters XML forbids are replaced, so the document stays
				// well-formed.
				if e.Summary.Text != "]]> <img src=x onerror=alert(2)>\ufffd\ufffd\ufffd" {
					t.Errorf("summary reads back as %q", e.Summary.Text)
				}
				for _, s := range []string{"<script", "<img", "<b>", "<a ", "<![CDATA["} {
					if strings.Contains(raw, s) {
						t.Errorf("markup %s in the document", s)
					}
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := Atom(&tt.feed)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, parse(t, data), string(data))
		})
	}
}

// TestAtomDocument pins the whole document of a small feed.
func TestAtomDocument(t *testing.T) {
	data, err := Atom(&Feed{ID: "tag:x.invalid,2026:/exempel/atom.xml", Title: "Nya exempel", Lang: "sv", Self: "/exempel/atom.xml", Page: "/exempel/", Author: "X",
		Entries: []Entry{{ID: "tag:x.invalid,2026:/exempel/a/", Title: "A", URL: "/exempel/a/", Summary: "S.", Published: day("2015-07-03"), Updated: day("2015-07-03"),
			Categories: []Category{{"ale", "Ale", "/kommun/"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">
  <title>Nya exempel</title>
  <id>tag:x.invalid,2026:/exempel/atom.xml</id>
  <updated>2015-07-03T00:00:00Z</updated>
  <link rel="self" type="application/atom+xml" href="/exempel/atom.xml"></link>
  <link rel="alternate" type="text/html" href="/exempel/"></link>
  <author>
    <name>X</name>
  </author>
  <entry>
    <id>tag:x.invalid,2026:/exempel/a/</id>
    <title>A</title>
    <updated>2015-07-03T00:00:00Z</updated>
    <published>2015-07-03T00:00:00Z</published>
    <link rel="alternate" type="text/html" href="/exempel/a/"></link>
    <summary type="text">S.</summary>
    <category term="ale" label="Ale" scheme="/kommun/"></category>
  </entry>
</feed>
`
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
	again, _ := Atom(&Feed{ID: "tag:x.invalid,2026:/exempel/atom.xml", Title: "Nya exempel", Lang: "sv", Self: "/exempel/atom.xml", Page: "/exempel/", Author: "X",
		Entries: []Entry{{ID: "tag:x.invalid,2026:/exempel/a/", Title: "A", URL: "/exempel/a/", Summary: "S.", Published: day("2015-07-03"), Updated: day("2015-07-03"),
			Categories: []Category{{"ale", "Ale", "/kommun/"}}}}})
	if !bytes.Equal(data, again) {
		t.Error("the same feed gives different bytes")
	}
}

// TestPreparedEntries: a feed of entries encoded once beforehand
// (Prepare) is byte for byte the feed of the same entries encoded with it.
func TestPreparedEntries(t *testing.T) {
	day := time.Date(2015, 7, 3, 0, 0, 0, 0, time.UTC)
	entries := []Entry{
		{ID: "tag:x,2026:/a/", Title: "A <b> & \"c\"", URL: "/a/", Summary: "Sammanfattning ]]>", Published: day, Updated: day.AddDate(0, 1, 0),
			Categories: []Category{{Term: "ale", Label: "Ale", Scheme: "/kommun/"}}},
		{ID: "tag:x,2026:/b/", Title: "B", URL: "/b/", Updated: day},
	}
	f := &Feed{ID: "tag:x,2026:/", Title: "T", Lang: "sv", Self: "/atom.xml", Page: "/", Author: "Testbanken", Entries: entries}
	plain, err := Atom(f)
	if err != nil {
		t.Fatal(err)
	}
	prepared := make([]Entry, len(entries))
	copy(prepared, entries)
	for i := range prepared {
		if err := prepared[i].Prepare(); err != nil {
			t.Fatal(err)
		}
	}
	f.Entries = prepared
	got, err := Atom(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain) {
		t.Errorf("prepared:\n%s\nplain:\n%s", got, plain)
	}
	if !bytes.Contains(plain, []byte("\n  <entry>\n    <id>tag:x,2026:/a/</id>")) || !bytes.HasSuffix(plain, []byte("  </entry>\n</feed>\n")) {
		t.Errorf("layout:\n%s", plain)
	}
}

// FuzzPreparedEntry: for any strings, Prepare writes the bytes that
// encoding the structs does.
func FuzzPreparedEntry(f *testing.F) {
	for _, s := range []string{"", "a<b>&\"c'", "rad\nny\tflik\r", "\x00\x1f\uFFFE", "]]>", "\u2028"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		e := Entry{ID: a, Title: b, URL: a + b, Summary: b, Updated: time.Unix(0, 0),
			Categories: []Category{{Term: a, Label: b, Scheme: a}, {Term: b}}}
		want, err := encodeEntry(&e)
		if err != nil {
			return // encoding/xml refuses it; Atom reports the same error
		}
		if err := e.Prepare(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(e.xml, want) {
			t.Errorf("Prepare:\n%q\nencoding/xml:\n%q", e.xml, want)
		}
	})
}
