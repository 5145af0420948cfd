package site

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// relCase writes a case with the given facets.
func relCase(slug, kommun, tg, model string, extra string) string {
	return fmt.Sprintf("-- content/exempel/%s.md --\n---\ntitle: %s\nsummary: S\nmunicipality: %s\ntarget_group: %s\ninvestment_model: %s\nstatus: pågående\ndate: 2015-01-01\n%s---\n", slug, strings.ToUpper(slug[:1])+slug[1:], kommun, tg, model, extra)
}

const secondModel = "-- content/begrepp/projektmedel.md --\n---\ntitle: Projektmedel\nsummary: Tillfälliga pengar.\nkind: investeringsmodell\nsuited_when: pengarna behövs bara en tid\n---\n"

func loadSite(t *testing.T, archive string) *content.Site {
	t.Helper()
	dir := t.TempDir()
	sitetest.Write(t, dir, archive+"-- content/exempel/fotosyntes.md --\nDELETE\n-- content/exempel/minimili.md --\nDELETE\n")
	s, err := content.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func slugs(cs []*content.Case) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Slug)
	}
	return strings.Join(out, ",")
}

func TestRelatedRanking(t *testing.T) {
	const (
		sif = "Social investeringsfond"
		pm  = "Projektmedel"
		b6  = "Barn 6–12 år"
		u13 = "Ungdomar 13–19 år"
	)
	tests := []struct {
		name    string
		archive string
		of      string
		want    string
	}{
		{name: "more shared facets rank higher",
			archive: relCase("a", "Ale", b6, sif, "") + relCase("b", "Ale", b6, sif, "") + relCase("c", "Umeå", b6, sif, "") + relCase("d", "Umeå", u13, pm, ""),
			of:      "a", want: "b,c"},
		{name: "nothing shared, nothing listed",
			archive: relCase("a", "Ale", b6, sif, "") + relCase("d", "Umeå", u13, pm, ""),
			of:      "a", want: ""},
		{name: "same kommun counts, län counts less",
			archive: relCase("a", "Ale", b6, sif, "") + relCase("b", "Kungälv", u13, pm, "") + relCase("c", "Ale", u13, pm, "") + relCase("d", "Umeå", u13, pm, ""),
			of:      "a", want: "c,b"},
		{name: "explicit related first",
			archive: relCase("a", "Ale", b6, sif, "related: d\n") + relCase("b", "Ale", b6, sif, "") + relCase("d", "Umeå", u13, pm, ""),
			of:      "a", want: "d,b"},
		{name: "ties broken by title order",
			archive: relCase("a", "Ale", b6, sif, "") + relCase("e", "Umeå", b6, sif, "") + relCase("c", "Umeå", b6, sif, "") + relCase("b", "Umeå", b6, sif, ""),
			of:      "a", want: "b,c,e"},
		{name: "at most four",
			archive: relCase("a", "Ale", b6, sif, "") + relCase("b", "Ale", b6, sif, "") + relCase("c", "Ale", b6, sif, "") + relCase("d", "Ale", b6, sif, "") + relCase("e", "Ale", b6, sif, "") + relCase("f", "Ale", b6, sif, ""),
			of:      "a", want: "b,c,d,e"},
		{name: "weights from site.yaml",
			archive: "-- content/site.yaml --\ntitle: T\nrelated:\n  municipality: 10\n" +
				relCase("a", "Ale", b6, sif, "") + relCase("b", "Umeå", b6, sif, "") + relCase("c", "Ale", u13, pm, ""),
			of: "a", want: "c,b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := loadSite(t, secondModel+tt.archive)
			rel := relatedCases(s, 4)
			for _, c := range s.Cases {
				if c.Slug == tt.of {
					if got := slugs(rel[c]); got != tt.want {
						t.Errorf("related(%s) = %q, want %q", tt.of, got, tt.want)
					}
				}
			}
		})
	}
}

func TestBacklinksAndMentions(t *testing.T) {
	m, _ := build(t, "-- content/sidor/om-portalen.md --\n---\ntitle: Om portalen\n---\nLäs om [[Fotosyntes]] och [MiniMili](../exempel/minimili.md) och tidiga insatser.\n")
	for file, want := range map[string]string{
		"exempel/fotosyntes/index.html":              `<a href="/om-portalen/">Om portalen</a> <span class="kind">Sida</span>`,
		"exempel/minimili/index.html":                `<a href="/om-portalen/">Om portalen</a>`,
		"begrepp/tidig-insats/index.html":            `<a href="/exempel/fotosyntes/">Fotosyntes</a>`,
		"begrepp/social-investeringsfond/index.html": `<a href="/begrepp/tidig-insats/">Tidig insats</a> <span class="kind">Begrepp</span>`,
	} {
		if got := page(t, m, file); !strings.Contains(got, want) {
			t.Errorf("%s lacks %s", file, want)
		}
	}
}

// TestSharedWeight: scoring a candidate by summing a dense weight table over
// its features gives, bit for bit, the sum over the features both cases
// share in ascending order (a merge of the two sorted lists).
func TestSharedWeight(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, 64)
	for i := range w {
		w[i] = rng.Float64() * 3 * (1 + math.Log(float64(1+rng.IntN(10000))))
	}
	features := func() []int32 {
		var f []int32
		for id := range w {
			if rng.IntN(6) == 0 {
				f = append(f, int32(id))
			}
		}
		return f
	}
	merge := func(a, b []int32) float64 {
		var sum float64
		for i, j := 0, 0; i < len(a) && j < len(b); {
			switch {
			case a[i] == b[j]:
				sum += w[a[i]]
				i++
				j++
			case a[i] < b[j]:
				i++
			default:
				j++
			}
		}
		return sum
	}
	mine := make([]float64, len(w))
	for n := 0; n < 2000; n++ {
		a, b := features(), features()
		for _, id := range a {
			mine[id] = w[id]
		}
		if got, want := sharedWeight(b, mine), merge(a, b); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("sharedWeight(%v, %v) = %v, want %v", a, b, got, want)
		}
		for _, id := range a {
			mine[id] = 0
		}
	}
}

// TestRelatedMemo: the memo reuses the ranking while nothing it is made
// from changes, and ranks again (as relatedCases does) when a feature,
// an explicit related case or the order of the cases changes.
func TestRelatedMemo(t *testing.T) {
	base := relCase("alfa", "Ale", "Barn 6–12 år", "Social investeringsfond", "") +
		relCase("beta", "Ale", "Barn 6–12 år", "Social investeringsfond", "") +
		relCase("gamma", "Kungälv", "Ungdomar 13–19 år", "Social investeringsfond", "") +
		relCase("delta", "Kungälv", "Barn 6–12 år", "Social investeringsfond", "")
	m := &relatedMemo{}
	first := m.related(loadSite(t, base), 2)
	key := m.key
	for _, tt := range []struct {
		name, archive string
		same          bool
	}{
		{"unchanged", base, true},
		{"summary", strings.Replace(base, "summary: S\nmunicipality: Kungälv\ntarget_group: Ungdomar 13–19 år", "summary: Ny\nmunicipality: Kungälv\ntarget_group: Ungdomar 13–19 år", 1), true},
		{"municipality", strings.Replace(base, "municipality: Kungälv\ntarget_group: Ungdomar 13–19 år", "municipality: Ale\ntarget_group: Ungdomar 13–19 år", 1), false},
		{"target group", strings.Replace(base, "target_group: Ungdomar 13–19 år", "target_group: Barn 6–12 år", 1), false},
		{"explicit related", strings.Replace(base, "date: 2015-01-01\n---\n-- content/exempel/gamma", "date: 2015-01-01\nrelated: [gamma]\n---\n-- content/exempel/gamma", 1), false},
		{"order", strings.Replace(base, "title: Alfa", "title: Öfa", 1), false},
	} {
		s := loadSite(t, tt.archive)
		got := m.related(s, 2)
		if (m.key == key) != tt.same {
			t.Errorf("%s: key kept %v, want %v", tt.name, m.key == key, tt.same)
		}
		want := relatedCases(s, 2)
		for _, c := range s.Cases {
			if slugs(got[c]) != slugs(want[c]) {
				t.Errorf("%s: %s: related %s, want %s", tt.name, c.Slug, slugs(got[c]), slugs(want[c]))
			}
		}
		var lists [][]*content.Case
		for _, c := range s.Cases {
			lists = append(lists, got[c])
		}
		sitetest.ListsApart(t, tt.name, lists)
		if tt.same && len(first) != len(got) {
			t.Errorf("%s: %d cases", tt.name, len(got))
		}
		m.related(loadSite(t, base), 2) // back to the base
	}
}

// TestLocatorOfCase: a case's locator is the one of its places (locators.of
// with its title), and cases with the same places share one.
func TestLocatorOfCase(t *testing.T) {
	place := func(slug, fields string) string {
		return fmt.Sprintf("-- content/exempel/%s.md --\n---\ntitle: %s\nsummary: S\n%starget_group: Barn 6–12 år\ninvestment_model: Social investeringsfond\nstatus: pågående\ndate: 2015-01-01\n---\n", slug, strings.ToUpper(slug[:1])+slug[1:], fields)
	}
	s := loadSite(t, place("alfa", "municipality: Ale\n")+
		place("beta", "municipality: Ale\n")+
		place("gamma", "municipality: Ale\nregion: Hallands län\n")+
		place("delta", "municipality: [Ale, Kungälv]\n")+
		place("epsilon", "municipality: [Kungälv, Ale]\n")+
		place("zeta", "region: Hallands län\n")+
		place("eta", "region: [Hallands län, Örebro län]\n")+
		place("theta", "country: Storbritannien\n")+
		place("iota", "country: Sverige\n"))
	var errs diag.List
	loc := newLocators(readMap(s, &errs, nil))
	if loc == nil || errs.Len() > 0 {
		t.Fatalf("no map: %v", errs.Err())
	}
	got := map[string]*Locator{}
	for _, c := range s.Cases {
		got[c.Slug] = loc.ofCase(c)
		want := loc.of(placeOf(c)+" på Sverigekartan", c.Municipalities, c.ExplicitRegions)
		if !reflect.DeepEqual(got[c.Slug], want) {
			t.Errorf("%s: locator %+v, want %+v", c.Slug, got[c.Slug], want)
		}
	}
	if got["alfa"] != got["beta"] {
		t.Error("two cases in Ale have a locator each")
	}
	for _, slug := range []string{"alfa", "delta", "epsilon", "zeta", "eta"} {
		if got[slug] == nil {
			t.Errorf("%s: no locator", slug)
		}
	}
	if got["theta"] != nil || got["iota"] != nil {
		t.Errorf("a locator for a case without a place on the map: %v, %v", got["theta"], got["iota"])
	}
}
