package site

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
)

// TestSuggestions: /sok/forslag.json has every title and alias once (case
// folded), in Swedish order: Å, Ä, Ö after Z.
func TestSuggestions(t *testing.T) {
	doc := func(title string) content.Doc { return content.Doc{Title: title} }
	s := &content.Site{
		Cases: []*content.Case{{Doc: doc("Östra skolan")}, {Doc: doc("Ängen")}, {Doc: doc("zeta")}, {Doc: doc("Fotosyntes")}},
		Terms: []*content.Term{
			{Doc: doc("Social investeringsfond"), Aliases: []string{"SIF", "Åtgärdsfond", "fotosyntes"}},
			{Doc: doc("Arvode")},
		},
		Pages: []*content.Page{{Doc: doc("Om portalen")}, {Doc: doc("")}},
	}
	var got []string
	if err := json.Unmarshal(suggestions(s), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"Arvode", "Fotosyntes", "Om portalen", "SIF", "Social investeringsfond", "zeta", "Åtgärdsfond", "Ängen", "Östra skolan"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
