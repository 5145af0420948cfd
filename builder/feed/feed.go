// Package feed writes Atom 1.0 feeds (RFC 4287) from plain values. It
// knows nothing of the site: the caller gives every URL, title and date,
// and gets the feed's bytes back.
//
// The output is deterministic: entries are ordered by their dates alone
// (ties keep the caller's order) and no clock is read. Every string goes
// through encoding/xml, so no text can become markup, and characters XML
// does not allow are replaced with U+FFFD.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"slices"
	"time"
)

// MaxEntries is the most entries a feed holds: the newest ones.
const MaxEntries = 50

// ContentType is the media type of an Atom feed.
const ContentType = "application/atom+xml"

// Feed is one Atom feed.
type Feed struct {
	// ID identifies the feed for good (atom:id): its absolute URL, or a
	// tag: URI where there is none.
	ID       string
	Title    string
	Subtitle string // left out when empty
	Lang     string // xml:lang of the whole feed ("sv"); left out when empty
	Self     string // the feed's own URL (link rel="self")
	Page     string // the web page the feed follows (link rel="alternate")
	// Author names who writes the feed (atom:author of the feed, which
	// every entry inherits); AuthorURI is left out when empty.
	Author, AuthorURI string
	// Updated is the feed's atom:updated when it has no entries; with
	// entries it is the newest entry's Updated.
	Updated time.Time
	Entries []Entry
}

// Entry is one entry of a feed.
type Entry struct {
	ID         string // for good, like Feed.ID
	Title      string
	URL        string // the entry's page (link rel="alternate")
	Summary    string // plain text; left out when empty
	Published  time.Time
	Updated    time.Time
	Categories []Category

	xml []byte // the entry as Atom, after Prepare
}

// Prepare encodes the entry once, so that the feeds it is in copy the
// bytes instead of encoding it again (a case is in a feed of every facet
// value it has). Change no field after it. It writes the elements itself,
// each string escaped by xml.EscapeText, five times as fast as encoding
// the structs; TestPreparedEntries and FuzzPreparedEntry hold the two to
// the same bytes.
func (e *Entry) Prepare() error {
	var b bytes.Buffer
	b.Grow(512 + 160*len(e.Categories))
	text := func(s string) { xml.EscapeText(&b, []byte(s)) }
	elem := func(name, s string) {
		b.WriteString("\n    <" + name + ">")
		text(s)
		b.WriteString("</" + name + ">")
	}
	b.WriteString("\n  <entry>")
	elem("id", e.ID)
	elem("title", e.Title)
	elem("updated", date(e.Updated))
	if !e.Published.IsZero() {
		elem("published", date(e.Published))
	}
	b.WriteString(`
    <link rel="alternate" type="text/html" href="`)
	text(e.URL)
	b.WriteString(`"></link>`)
	if e.Summary != "" {
		b.WriteString(`
    <summary type="text">`)
		text(e.Summary)
		b.WriteString("</summary>")
	}
	for _, c := range e.Categories {
		b.WriteString(`
    <category term="`)
		text(c.Term)
		b.WriteByte('"')
		if c.Label != "" {
			b.WriteString(` label="`)
			text(c.Label)
			b.WriteByte('"')
		}
		if c.Scheme != "" {
			b.WriteString(` scheme="`)
			text(c.Scheme)
			b.WriteByte('"')
		}
		b.WriteString("></category>")
	}
	b.WriteString("\n  </entry>")
	e.xml = b.Bytes()
	return nil
}

// encodeEntry returns e as it stands in a feed: indented one level, with
// the line break before it. It encodes the structs, the reference that
// Prepare's output is tested against.
func encodeEntry(e *Entry) ([]byte, error) {
	ae := atomEntry{
		ID:      e.ID,
		Title:   atomText{Text: e.Title},
		Updated: date(e.Updated),
		Link:    atomLink{Rel: "alternate", Type: "text/html", Href: e.URL},
		Summary: optText(e.Summary),
	}
	if !e.Published.IsZero() {
		ae.Published = date(e.Published)
	}
	for _, c := range e.Categories {
		ae.Categories = append(ae.Categories, atomCategory(c))
	}
	var b bytes.Buffer
	b.WriteByte('\n')
	enc := xml.NewEncoder(&b)
	enc.Indent("  ", "  ")
	if err := enc.Encode(ae); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Category is an atom:category: Term is the machine-readable value,
// Label the human-readable one and Scheme the URI of the vocabulary.
type Category struct {
	Term, Label, Scheme string
}

// Atom returns f as an Atom document: the XML declaration, the feed with
// at most MaxEntries entries, newest first (by Updated; entries of the
// same time keep their order in f.Entries), and a final newline. Times are
// written in RFC 3339, in UTC.
func Atom(f *Feed) ([]byte, error) {
	entries := slices.Clone(f.Entries)
	slices.SortStableFunc(entries, func(a, b Entry) int { return b.Updated.Compare(a.Updated) })
	if len(entries) > MaxEntries {
		entries = entries[:MaxEntries]
	}
	updated := f.Updated
	if len(entries) > 0 {
		updated = entries[0].Updated
	}
	out := atomFeed{
		Lang:     f.Lang,
		Title:    atomText{Text: f.Title},
		Subtitle: optText(f.Subtitle),
		ID:       f.ID,
		Updated:  date(updated),
		Links: []atomLink{
			{Rel: "self", Type: ContentType, Href: f.Self},
			{Rel: "alternate", Type: "text/html", Href: f.Page},
		},
		Author: atomPerson{Name: f.Author, URI: f.AuthorURI},
	}
	// The feed without its entries, then the entries (each encoded once,
	// see Prepare) before its end tag.
	var head bytes.Buffer
	enc := xml.NewEncoder(&head)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	const end = "\n</feed>"
	if !bytes.HasSuffix(head.Bytes(), []byte(end)) {
		return nil, errors.New("feed: unexpected encoding of the feed element")
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.Write(head.Bytes()[:head.Len()-len(end)])
	for i := range entries {
		x := entries[i].xml
		if x == nil {
			var err error
			if x, err = encodeEntry(&entries[i]); err != nil {
				return nil, err
			}
		}
		b.Write(x)
	}
	b.WriteString(end + "\n")
	return b.Bytes(), nil
}

// date formats t as an Atom date: RFC 3339 in UTC.
func date(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optText(s string) *atomText {
	if s == "" {
		return nil
	}
	return &atomText{Type: "text", Text: s}
}

// The document's elements, in the order they are written.

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Title    atomText    `xml:"title"`
	Subtitle *atomText   `xml:"subtitle"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"` // left empty: the entries are written apart
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomEntry struct {
	XMLName    xml.Name       `xml:"entry"`
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Link       atomLink       `xml:"link"`
	Summary    *atomText      `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Label  string `xml:"label,attr,omitempty"`
	Scheme string `xml:"scheme,attr,omitempty"`
}
