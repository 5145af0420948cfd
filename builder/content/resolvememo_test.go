package content_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// TestResolveMemo: a load with a cache resolves the cases whose files and
// context are unchanged from its memo of the last load, and every load
// gives what a load without a cache gives (the same site, or the same
// errors), through edits of a case, of the vocabularies, of the glossary,
// of the cases' addresses and of drafts. The cases resolved anew read
// their fields parsed again from the text the cache keeps (frontMatter).
func TestResolveMemo(t *testing.T) {
	dir := t.TempDir()
	if err := fsutil.CopyTree(filepath.Join(sitetest.RepoRoot(t), "content"), filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	replace := func(name, old, new string) func() {
		return func() {
			t.Helper()
			p := filepath.Join(dir, filepath.FromSlash(name))
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), old) {
				t.Fatalf("%s: no %q", name, old)
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	rename := func(from, to string) func() {
		return func() {
			if err := os.Rename(filepath.Join(dir, filepath.FromSlash(from)), filepath.Join(dir, filepath.FromSlash(to))); err != nil {
				t.Fatal(err)
			}
		}
	}
	const mini = "content/exempel/minimili.md"
	const all, none, allButOne = -1, 0, -2
	steps := []struct {
		name string
		edit func()
		memo int // cases resolved from the memo: all, none, all but one, or a number
	}{
		{"first", func() {}, none},
		{"nothing changed", func() {}, all},
		{"status", replace(mini, "status: uppstart", "status: avslutad"), allButOne},
		{"municipality", replace(mini, "municipality: Ale", "municipality: Kungälv"), allButOne},
		{"body", replace(mini, "MiniMili var en av", "MiniMili är en av"), allButOne},
		// The cases' order changes: sorted again.
		{"title", replace(mini, "title: MiniMili", "title: Ödets MiniMili"), allButOne},
		{"title back", replace(mini, "title: Ödets MiniMili", "title: MiniMili"), allButOne},
		{"vocabulary description", replace("content/vokabular.yaml", "description: Små barn i förskoleåldern", "description: De minsta barnen i förskoleåldern"), none},
		{"same again", func() {}, all},
		// Cases name the values by their labels.
		{"vocabulary label renamed", replace("content/vokabular.yaml", "label: Barn och unga", "label: Barn och ungdomar"), none},
		{"vocabulary label back", replace("content/vokabular.yaml", "label: Barn och ungdomar", "label: Barn och unga"), none},
		// Cases name the model by its title: every one of them is wrong now.
		{"model renamed", replace("content/begrepp/social-investeringsfond.md", `title: "Social investeringsfond"`, `title: "Social investeringsfond i kommunen"`), none},
		{"model renamed back", replace("content/begrepp/social-investeringsfond.md", `title: "Social investeringsfond i kommunen"`, `title: "Social investeringsfond"`), none},
		{"related case a draft", replace("content/exempel/fotosyntes.md", "\n---\n", "\ndraft: true\n---\n"), none},
		{"related case published", replace("content/exempel/fotosyntes.md", "\ndraft: true\n---\n", "\n---\n"), none},
		{"related case moved", rename("content/exempel/fotosyntes.md", "content/exempel/fotosyntes-i-ale.md"), none},
		{"related case back", rename("content/exempel/fotosyntes-i-ale.md", "content/exempel/fotosyntes.md"), none},
		{"again", func() {}, all},
	}
	c := content.NewCache()
	var lastKeys map[string]uint64 // of the last load that succeeded just before
	for _, st := range steps {
		st.edit()
		before := content.ResolvedFromMemo.Load()
		got, gotErr := content.Load(dir, content.WithCache(c))
		n := int(content.ResolvedFromMemo.Load() - before)
		want, wantErr := content.Load(dir)
		switch {
		case (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error():
			t.Fatalf("%s: error %v, without the cache %v", st.name, gotErr, wantErr)
		case gotErr != nil:
			t.Logf("%s: %d cases from the memo; both loads fail (%d lines)", st.name, n, strings.Count(gotErr.Error(), "\n")+1)
			lastKeys = nil
			continue
		case !reflect.DeepEqual(got, want):
			for i := range min(len(got.Cases), len(want.Cases)) {
				if !reflect.DeepEqual(got.Cases[i], want.Cases[i]) {
					t.Errorf("%s: %s differs from a load without the cache", st.name, got.Cases[i].File)
				}
			}
			t.Fatalf("%s: the site differs from a load without the cache", st.name)
		}
		// The cases' references are windows of a few arrays
		// (resolvedArrays): each must be apart from the others.
		var kommuner [][]*content.Kommun
		var lan [][]*content.Lan
		var values [][]*content.Value
		var terms [][]*content.Term
		var sources [][]content.Source
		for _, cs := range got.Cases {
			sources = append(sources, cs.Sources)
			kommuner = append(kommuner, cs.Municipalities)
			lan = append(lan, cs.ExplicitRegions, cs.Regions)
			values = append(values, cs.TargetGroups, cs.FocusAreas)
			terms = append(terms, cs.InvestmentModels)
		}
		sitetest.ListsApart(t, st.name+": municipalities", kommuner)
		sitetest.ListsApart(t, st.name+": regions", lan)
		sitetest.ListsApart(t, st.name+": values", values)
		sitetest.ListsApart(t, st.name+": models", terms)
		sitetest.ListsApart(t, st.name+": sources", sources)
		wantN := st.memo
		switch st.memo {
		case all:
			wantN = len(got.Cases)
		case allButOne:
			wantN = len(got.Cases) - 1
		}
		if n != wantN {
			t.Errorf("%s: %d of %d cases resolved from the memo, want %d", st.name, n, len(got.Cases), wantN)
		}
		// The cases resolved anew read fields parsed again from their
		// text: the cache keeps no case's parsed fields.
		if parsed, cases := content.CaseFieldsKept(c); parsed != 0 || cases == 0 {
			t.Errorf("%s: the cache keeps the parsed fields of %d of %d cases", st.name, parsed, cases)
		}
		// A case keeps its ResolveKey exactly when it resolves as before.
		keys := map[string]uint64{}
		changed := 0
		for _, cs := range got.Cases {
			keys[cs.File] = cs.ResolveKey()
			if cs.ResolveKey() == 0 {
				t.Errorf("%s: %s has no ResolveKey", st.name, cs.File)
			}
			if lastKeys[cs.File] != cs.ResolveKey() {
				changed++
			}
		}
		if lastKeys != nil && changed != len(got.Cases)-n {
			t.Errorf("%s: %d cases have a new ResolveKey, %d were resolved anew", st.name, changed, len(got.Cases)-n)
		}
		lastKeys = keys
	}
}

// TestCacheCompactsCases: a load that parses many cases leaves the cache
// one array of them, and the loads after it are those without a cache.
func TestCacheCompactsCases(t *testing.T) {
	dir := generated(t, 300)
	c := content.NewCache()
	want, err := content.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		got, err := content.Load(dir, content.WithCache(c))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("load %d differs from a load without the cache", i+1)
		}
		if cases, runs := content.CachedCaseRuns(c); cases < 300 || runs != 1 {
			t.Errorf("load %d: the cache keeps %d cases in %d runs, want one array", i+1, cases, runs)
		}
	}
}
