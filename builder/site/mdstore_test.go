package site

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/exempelbanken/portal/builder/output"
)

// TestMarkdownStore: with a cache folder, a one-off build renders only the
// markdown that changed since the last build, or all of it when what every
// document's rendering depends on changed (a glossary term) or the store
// is damaged; and the site is byte for byte a build without the store.
func TestMarkdownStore(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	cache := t.TempDir()
	build := func(step string, want int) {
		t.Helper()
		b := New(Options{Root: dir, Theme: theme, StableAssets: true, CacheDir: cache})
		defer b.Close()
		before := mdRenders.Load()
		got := output.NewMemory()
		res, err := b.Build(got)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		if want < 0 {
			want = len(res.Site.Cases) + len(res.Site.Terms) + len(res.Site.Pages)
		}
		if n := mdRenders.Load() - before; n != int64(want) {
			t.Errorf("%s: %d documents rendered, want %d", step, n, want)
		}
		compareWithFullBuild(t, step, dir, theme, got)
	}
	const all = -1
	build("first build", all)
	build("again", 0)
	replaceIn(t, dir, "content/exempel/autismgruppen.md", "Källan säger inget om", "Källan säger ingenting om")
	build("one body edited", 1)
	replaceIn(t, dir, "content/begrepp/aterbetalningsmodell.md", "Den modell som Ale kommun först valde", "Den modell Ale kommun först valde")
	build("a glossary term's summary edited", all)
	build("again", 0)
	files, _ := filepath.Glob(filepath.Join(cache, "markdown", "*.bin"))
	if len(files) != 1 {
		t.Fatalf("the store is %v, want one file", files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	os.WriteFile(files[0], data, 0o644)
	build("store damaged", all)
	build("again", 0)
}
