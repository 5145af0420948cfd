package cms

import (
	"encoding/json"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/sv"
)

// TestLinkTargets: admin/lankar.json lists every case, term and page in
// Swedish order by title (Å, Ä, Ö after Z; equal titles by position), with
// the wiki link that reaches each (a term or page whose slug a case has
// gets its section).
func TestLinkTargets(t *testing.T) {
	doc := func(sec content.Section, title, slug string) content.Doc {
		return content.Doc{Section: sec, Title: title, Slug: slug}
	}
	s := &content.Site{
		Cases: []*content.Case{
			{Doc: doc(content.SectionCase, "Östra skolan", "ostra")},
			{Doc: doc(content.SectionCase, "Ängen", "angen")},
			{Doc: doc(content.SectionCase, "Zeta", "zeta")},
			{Doc: doc(content.SectionCase, "Ålands projekt", "social-investeringsfond")},
		},
		Terms: []*content.Term{
			{Doc: doc(content.SectionTerm, "Social investeringsfond", "social-investeringsfond")},
			{Doc: doc(content.SectionTerm, "arvode", "arvode")},
		},
		Pages: []*content.Page{{Doc: doc(content.SectionPage, "Om portalen", "om")}},
	}
	got := decodeLinkTargets(t, s)
	want := []linkTarget{
		{"arvode", "arvode", "arvode", "Begrepp"},
		{"Om portalen", "om", "om", "Sida"},
		{"Social investeringsfond", "social-investeringsfond", "begrepp/social-investeringsfond", "Begrepp"},
		{"Zeta", "zeta", "zeta", "Exempel"},
		{"Ålands projekt", "social-investeringsfond", "social-investeringsfond", "Exempel"},
		{"Ängen", "angen", "angen", "Exempel"},
		{"Östra skolan", "ostra", "ostra", "Exempel"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d targets, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("target %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestLinkTargetsRealSite: the real site's targets are in the order
// sv.Less gives their titles, each once.
func TestLinkTargetsRealSite(t *testing.T) {
	s, err := content.Load(realSite(t))
	if err != nil {
		t.Fatal(err)
	}
	got := decodeLinkTargets(t, s)
	if n := len(s.Cases) + len(s.Terms) + len(s.Pages); len(got) != n || n == 0 {
		t.Fatalf("%d targets for %d documents", len(got), n)
	}
	for i := 1; i < len(got); i++ {
		if sv.Less(got[i].Title, got[i-1].Title) {
			t.Errorf("%q before %q", got[i-1].Title, got[i].Title)
		}
	}
}

// decodeLinkTargets returns admin/lankar.json of s, decoded.
func decodeLinkTargets(t *testing.T, s *content.Site) []linkTarget {
	t.Helper()
	raw, err := linkTargets(s)
	if err != nil {
		t.Fatal(err)
	}
	var got []linkTarget
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	return got
}
