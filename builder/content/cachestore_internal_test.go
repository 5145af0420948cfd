package content

import (
	"reflect"
	"slices"
	"testing"

	"github.com/exempelbanken/portal/builder/diag"
)

// TestCacheCoversEveryField: every field of the types a kept entry holds
// is either written by encodeDoc or set only when the site is resolved.
// A field added to one of them fails here until the cache keeps it (or it
// is listed as resolved, nil in a parsed document). Doc.url is made again
// from the section and slug when an entry is read (decodeDoc calls
// setURL; TestCacheStoreRoundTrip compares the documents).
func TestCacheCoversEveryField(t *testing.T) {
	for _, tc := range []struct {
		v                 any
		encoded, resolved []string
	}{
		{Doc{}, []string{"Section", "File", "Slug", "Title", "Summary", "Body", "BodyLine", "Draft", "Date", "Updated", "Sources", "Hash", "MetaHash", "titleKey", "url"}, nil},
		{Source{}, []string{"ID", "Pages", "Line"}, []string{"Doc"}},
		{Case{}, []string{"Doc", "Country", "Place", "Status", "StatusAsOf", "Start", "End", "Budget", "HasBudget",
			"Evaluation", "Results", "Lessons", "Cost", "Repaid", "HasCost", "HasRepaid", "Contact", "contactLine", "Reviewed",
			"Owner", "Initiator", "Partners"},
			[]string{"Municipalities", "Regions", "ExplicitRegions", "TargetGroups", "FocusAreas", "CaseType", "InvestmentModels",
				"StatusStale", "RelatedSlugs", "Related", "FormerSlugs", "resolveKey"}},
		{Contact{}, []string{"Organisation", "Email", "URL"}, nil},
		{Term{}, []string{"Doc", "Aliases", "Kind", "Financier", "Repayment", "Risk", "Horizon", "TypicalUse", "SuitedWhen"},
			[]string{"RelatedSlugs", "Related"}},
		{Page{}, []string{"Doc"}, nil},
		{PartialDate{}, []string{"Year", "Month", "Day"}, nil},
		{fields{}, []string{"file", "line", "ents", "idx"}, []string{"errs"}},
		{fieldEnt{}, []string{"key", "val", "line"}, nil},
		{node{}, []string{"Kind", "Style", "Tag", "Value", "Line", "Column", "Content"}, nil},
	} {
		typ := reflect.TypeOf(tc.v)
		for i := range typ.NumField() {
			name := typ.Field(i).Name
			if !slices.Contains(tc.encoded, name) && !slices.Contains(tc.resolved, name) {
				t.Errorf("%s.%s: neither kept by the content cache (encodeDoc) nor set when the site is resolved", typ.Name(), name)
			}
		}
	}
}

// TestCacheResolvedFieldsAreUnset: the fields TestCacheCoversEveryField
// lists as resolved are unset in a parsed document, so the cache loses
// nothing by not keeping them.
func TestCacheResolvedFieldsAreUnset(t *testing.T) {
	for _, raw := range []string{
		"---\ntitle: T\nsummary: S\ndate: 2020-01-02\nmunicipality: Ale\nregion: Skåne\ntarget_group: [Unga]\nfocus_area: [Hälsa]\ncase_type: Projekt\ninvestment_model: [Fond]\nstatus: avslutat\nrelated: [a]\nformer_slugs: [b]\nsources: [{id: x}]\n---\nText.\n",
		"---\ntitle: T\nsummary: S\nkind: begrepp\nrelated: [a]\nsources: [{id: x}]\n---\nText.\n",
	} {
		for _, sec := range []Section{SectionCase, SectionTerm} {
			p := &parsed{sec: sec, file: "content/" + sec.Dir() + "/t.md", errs: &diag.List{}}
			parseRaw(p, []byte(raw), fileStamp{}, nil, false)
			if p.doc == nil {
				t.Fatalf("%s: nothing parsed: %v", p.file, p.errs)
			}
			switch d := p.doc.(type) {
			case *Case:
				if d.Municipalities != nil || d.Regions != nil || d.ExplicitRegions != nil || d.TargetGroups != nil || d.FocusAreas != nil ||
					d.CaseType != nil || d.InvestmentModels != nil || d.StatusStale || d.RelatedSlugs != nil || d.Related != nil || d.FormerSlugs != nil {
					t.Errorf("a parsed case has resolved fields set: %+v", d)
				}
				for _, s := range d.Sources {
					if s.Doc != nil {
						t.Error("a parsed case's source has its document")
					}
				}
			case *Term:
				if d.RelatedSlugs != nil || d.Related != nil {
					t.Errorf("a parsed term has resolved fields set: %+v", d)
				}
			}
		}
	}
}
