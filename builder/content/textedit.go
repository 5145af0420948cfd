package content

import (
	"reflect"
	"slices"
)

// A case's front matter has two kinds of fields. Most of them place the
// case in the site: its address, title, dates, places, vocabulary values,
// investment models, related cases and sources decide the lists, facets,
// orders, feeds and related cases it appears in. The text fields below
// only show: on the case's own page, on its card in the lists, in its feed
// entries, in the open data and, for the summary, in the "Nämns i" lists'
// data. An edit to them (and the body) changes no page's place or list,
// which lets a preview re-render only the pages that show the case
// (site.Builder.Patch) instead of planning the site again.
//
// The text fields are summary, results, lessons, contact, owner,
// initiator and partners.

// SameOutline reports whether a and b, two readings of one case file,
// differ in nothing but the text fields and the body (and the hashes and
// lines that follow from them, such as the lines of its sources).
// Documents, places, vocabulary values, terms and cases are compared by
// their identity (code, slug), not by pointer: each Load makes its own.
func SameOutline(a, b *Case) bool {
	return reflect.DeepEqual(outline(a), outline(b))
}

// TakeText copies the text fields of from, a newer reading of c's file,
// into c.
func (c *Case) TakeText(from *Case) {
	c.Summary = from.Summary
	c.Results, c.Lessons = from.Results, from.Lessons
	c.Contact, c.contactLine = from.Contact, from.contactLine
	c.Owner, c.Initiator, c.Partners = from.Owner, from.Initiator, from.Partners
	// Lines move when text fields grow or shrink. (The slice may be the
	// content cache's: changed in a copy.)
	c.Sources = slices.Clone(c.Sources)
	for i := range c.Sources {
		c.Sources[i].Line = from.Sources[i].Line
	}
}

// caseOutline is what SameOutline compares: a case without its text
// fields and body, its references by identity.
type caseOutline struct {
	c                                   Case
	kommuner, regions, explicit, models []string
	targets, focus, related, sourceDocs []string
	caseType                            string
}

// outline returns c's outline. Every field of Case is either cleared here
// (text, body, references kept by identity) or compared as it is:
// TestOutlineFields fails when a field is added to Case without deciding.
func outline(c *Case) caseOutline {
	o := caseOutline{c: *c}
	x := &o.c
	// Text fields.
	x.Summary, x.Results, x.Lessons, x.Contact, x.contactLine = "", nil, nil, nil, 0
	x.Owner, x.Initiator, x.Partners = "", "", nil
	// The body and what follows from the whole file.
	x.Body, x.BodyLine, x.Hash, x.MetaHash, x.titleKey, x.resolveKey = nil, 0, 0, 0, nil, 0
	// References, by identity.
	o.kommuner = keys(x.Municipalities, func(k *Kommun) string { return k.Code })
	o.regions = keys(x.Regions, func(l *Lan) string { return l.Code })
	o.explicit = keys(x.ExplicitRegions, func(l *Lan) string { return l.Code })
	value := func(v *Value) string { return v.Vocab + "\x00" + v.Slug }
	o.targets, o.focus = keys(x.TargetGroups, value), keys(x.FocusAreas, value)
	if x.CaseType != nil {
		o.caseType = value(x.CaseType)
	}
	o.models = keys(x.InvestmentModels, func(t *Term) string { return t.Slug })
	o.related = keys(x.Related, func(r *Case) string { return r.Slug })
	x.Municipalities, x.Regions, x.ExplicitRegions = nil, nil, nil
	x.TargetGroups, x.FocusAreas, x.CaseType = nil, nil, nil
	x.InvestmentModels, x.Related = nil, nil
	x.Sources = slices.Clone(x.Sources)
	for i := range x.Sources {
		if d := x.Sources[i].Doc; d != nil {
			o.sourceDocs = append(o.sourceDocs, d.ID)
		}
		x.Sources[i].Doc, x.Sources[i].Line = nil, 0
	}
	return o
}

func keys[T any](xs []T, key func(T) string) []string {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}
