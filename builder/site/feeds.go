package site

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/feed"
	"github.com/exempelbanken/portal/builder/internal/par"
)

// The Atom feeds of new and updated cases: one for all cases at
// /exempel/atom.xml, and one for every facet value that has a page, at
// that page's URL plus atom.xml (/kommun/ale/atom.xml; an investment
// model's page is its glossary page, so its feed is
// /begrepp/<slug>/atom.xml). The pages that show the list a feed follows
// link it in their <head> (Page.Feed).
//
// A feed holds only front matter (titles, summaries, dates and facets),
// so an edit of a body, which Patch applies without a new plan, never
// changes one.

// feedFile is the name of a feed beside its page.
const feedFile = "atom.xml"

// feedTagPrefix starts the ids of the feeds and entries of a site without
// baseURL: tag: URIs (RFC 4151) that stay the same from build to build.
// Such a site has no domain of its own; the reserved top-level domain
// .invalid (RFC 2606) says so. With baseURL the ids are absolute URLs.
const feedTagPrefix = "tag:exempelbanken.invalid,2026:"

// feedTarget is one feed to write.
type feedTarget struct {
	value *FacetValue // nil: all cases
	url   string      // the feed's URL path
	page  string      // the URL path of the page it follows
	title string
}

// planFeeds returns a job for every feed of the site, in the order of the
// pages that link them, and sets Feed and FeedTitle on those pages: the
// home page and the lists of all cases link the feed of all cases, a facet
// value's pages (and an investment model's glossary page) the value's
// feed. A facet value without a page gets no feed.
//
// With later (a preview, output.LaterWriter) each feed is a job that makes
// its file when read.
func planFeeds(sd *SiteData, s *content.Site, facets []*Facet, jobs []*job, later bool, store *fileSet) ([]*job, error) {
	return makeFeeds(sd, s, facets, jobs, later, store, true)
}

// makeFeeds is planFeeds; link tells it to set the pages' Feed and
// FeedTitle (remaking the feeds while the pages are rendered, it must not).
func makeFeeds(sd *SiteData, s *content.Site, facets []*Facet, jobs []*job, later bool, store *fileSet, link bool) ([]*job, error) {
	modell := facetByKey(facets, facetModell)
	all := &feedTarget{url: casesURL + feedFile, page: casesURL, title: "Nya och uppdaterade exempel – " + sd.Title}
	targets := []*feedTarget{all}
	byValue := map[*FacetValue]*feedTarget{}
	for _, j := range jobs {
		p := j.page
		if p == nil {
			continue
		}
		v := p.Value
		if v == nil && p.Term != nil && p.Term.IsModel() && modell != nil {
			v = modell.byKey[p.Term.Slug]
		}
		t := all
		switch {
		case v != nil:
			t = byValue[v]
			if t == nil {
				t = &feedTarget{value: v, url: v.URL + feedFile, page: v.URL, title: v.Facet.Name + ": " + v.Label + " – " + sd.Title}
				byValue[v] = t
				targets = append(targets, t)
			}
		case j.layout == "home" || j.layout == "case-list": // the feed of all cases
		default:
			continue
		}
		if link {
			p.Feed, p.FeedTitle = t.url, t.title
		}
	}

	// A one-off build takes the files from store when they are made from
	// the same front matter, else leaves them there.
	var key uint64
	if store != nil && !later {
		key = frontMatterKey(feedStoreMagic, s, sd.BaseURL)
		if kept := store.get(key); len(kept) == len(targets) {
			// Made again, all of them, only if a file is not in the
			// output folder and no longer in the store's data.
			remake := sync.OnceValues(func() (map[string][]byte, error) {
				made, err := makeFeeds(sd, s, facets, jobs, later, nil, false)
				m := map[string][]byte{}
				for _, j := range made {
					m[j.path] = j.data
				}
				return m, err
			})
			out := make([]*job, len(targets))
			for i, t := range targets {
				if kept[i].path != strings.TrimPrefix(t.url, "/") {
					out = nil
					break
				}
				out[i] = store.keptJob(kept[i], remake)
			}
			if out != nil {
				return out, nil
			}
		}
	}
	feedsMade.Add(1)

	// The newest cases of each feed (in a preview, each when its feed is
	// read, but for the feed of all cases, whose newest case dates the
	// empty feeds).
	choose := func(t *feedTarget) []*content.Case {
		cases := s.Cases
		if t.value != nil {
			cases = t.value.Cases
		}
		return feedCases(cases, feed.MaxEntries)
	}
	chosen := make([][]*content.Case, len(targets))
	for i, t := range targets {
		if i == 0 || !later {
			chosen[i] = choose(t)
		}
	}
	abs := func(u string) string { return sd.BaseURL + u }
	id := func(u string) string {
		if sd.BaseURL != "" {
			return abs(u)
		}
		return feedTagPrefix + u
	}
	entry := func(c *content.Case) *feed.Entry {
		return &feed.Entry{ID: id(c.URL()), Title: c.Title, URL: abs(c.URL()), Summary: c.Summary,
			Published: day(c.Date), Updated: day(lastChange(c)), Categories: caseCategories(c, abs)}
	}
	// An empty feed (a value no published case has yet) was last changed
	// when the site's newest case was.
	var newestCase time.Time
	if len(chosen[0]) > 0 {
		newestCase = day(lastChange(chosen[0][0]))
	}
	author := ""
	if sd.BaseURL != "" {
		author = sd.BaseURL + "/"
	}
	newFeed := func(i int) *feed.Feed {
		t := targets[i]
		f := &feed.Feed{ID: id(t.url), Title: t.title, Lang: "sv", Self: abs(t.url), Page: abs(t.page),
			Author: sd.Title, AuthorURI: author, Updated: newestCase,
			Subtitle: "Exempel på sociala investeringar, de senast publicerade och uppdaterade först."}
		if v := t.value; v != nil {
			f.Subtitle = facetDescription(v.Facet, v)
		}
		return f
	}
	out := make([]*job, len(targets))
	if later {
		// Each feed made when it is read, from this build's cases (whose
		// fields a later build does not change: it loads new ones).
		for i, t := range targets {
			out[i] = &job{path: strings.TrimPrefix(t.url, "/"), later: true, make: func() ([]byte, error) {
				f := newFeed(i)
				for _, c := range choose(t) {
					f.Entries = append(f.Entries, *entry(c))
				}
				data, err := feed.Atom(f)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", t.url, err)
				}
				return data, nil
			}}
		}
		return out, nil
	}
	// Each case's entry once, encoded on every core and copied into each
	// of its feeds.
	entries := map[*content.Case]*feed.Entry{}
	var list []*feed.Entry
	for _, cs := range chosen {
		for _, c := range cs {
			if _, ok := entries[c]; !ok {
				e := entry(c)
				entries[c] = e
				list = append(list, e)
			}
		}
	}
	perrs := make([]error, len(list))
	par.For(len(list), func(i int) { perrs[i] = list[i].Prepare() })
	if err := errors.Join(perrs...); err != nil {
		return nil, fmt.Errorf("%s: %w", casesURL+feedFile, err)
	}
	errs := make([]error, len(targets))
	par.For(len(targets), func(i int) {
		t := targets[i]
		f := newFeed(i)
		for _, c := range chosen[i] {
			f.Entries = append(f.Entries, *entries[c])
		}
		data, err := feed.Atom(f)
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", t.url, err)
		}
		out[i] = &job{path: strings.TrimPrefix(t.url, "/"), data: data}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if store != nil {
		entries := make([]setEntry, len(out))
		for i, j := range out {
			entries[i] = setEntry{path: j.path, data: j.data}
		}
		store.put(key, entries)
	}
	return out, nil
}

// feedsMade counts the builds that made the feeds (for the tests).
var feedsMade atomic.Int64

// lastChange is when a case was last updated, else published.
func lastChange(c *content.Case) time.Time {
	if !c.Updated.IsZero() {
		return c.Updated
	}
	return c.Date
}

// day is the calendar day of t, at midnight UTC: a feed's dates are the
// days front matter gives, never a time of the build.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// feedCases returns the n published cases of cs last changed most
// recently, newest first; cases changed the same day keep their order in
// cs (the site's order).
func feedCases(cs []*content.Case, n int) []*content.Case {
	out := make([]*content.Case, 0, n+1)
	for _, c := range cs {
		if c.Draft {
			continue
		}
		t := lastChange(c)
		i := len(out)
		for i > 0 && t.After(lastChange(out[i-1])) {
			i--
		}
		if i < n && !slices.Contains(out, c) {
			out = slices.Insert(out, i, c)
			out = out[:min(len(out), n)]
		}
	}
	return out
}

// caseCategories are a case's facet values as Atom categories: term is
// the value's slug, label its name, scheme the URL of the facet's index
// (the glossary's for investment models, which have none).
func caseCategories(c *content.Case, abs func(string) string) []feed.Category {
	var out []feed.Category
	add := func(scheme, term, label string) {
		out = append(out, feed.Category{Term: term, Label: label, Scheme: abs(scheme)})
	}
	for _, k := range c.Municipalities {
		add(facetURL(facetKommun), k.Slug, k.Name)
	}
	for _, l := range c.Regions {
		add(facetURL(facetLan), l.Slug, l.Name)
	}
	for _, v := range c.TargetGroups {
		add(facetURL(facetMalgrupp), v.Slug, v.Label)
	}
	for _, t := range c.InvestmentModels {
		add(glossaryURL, t.Slug, t.Title)
	}
	for _, v := range c.FocusAreas {
		add(facetURL(facetFokus), v.Slug, v.Label)
	}
	add(facetURL(facetStatus), c.Status.Slug(), c.Status.Label())
	if v := c.CaseType; v != nil {
		add(facetURL(facetTyp), v.Slug, v.Label)
	}
	return out
}
