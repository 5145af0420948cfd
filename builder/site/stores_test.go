package site

import (
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/output"
)

// TestBuildStores: with a cache folder, a one-off build renders only the
// markdown that changed since the last build, or all of it when what every
// document's rendering depends on changed (a glossary term) or the store
// is damaged, reads the text of only the indexed pages whose text
// changed for their search terms, makes the open data and the feeds only
// when the front matter changed, and ranks the related cases only when
// what they are ranked by changed; and the site is byte for byte a build without the
// stores.
func TestBuildStores(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	cache := t.TempDir()
	const all = -1
	build := func(step string, renders, texts, data, ranked, cards int) {
		t.Helper()
		b := New(Options{Root: dir, Theme: theme, StableAssets: true, CacheDir: cache})
		defer b.Close()
		r0, t0, d0, f0, k0 := mdRenders.Load(), textsRead.Load(), openDataMade.Load(), feedsMade.Load(), relatedRanked.Load()
		c0 := cardsRendered.Load()
		got := output.NewMemory()
		res, err := b.Build(got)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		docs := len(res.Site.Cases) + len(res.Site.Terms) + len(res.Site.Pages)
		if renders == all {
			renders = docs
		}
		if n := mdRenders.Load() - r0; n != int64(renders) {
			t.Errorf("%s: %d documents rendered, want %d", step, n, renders)
		}
		if n := textsRead.Load() - t0; texts == all && n < int64(docs) || texts != all && n != int64(texts) {
			t.Errorf("%s: the text of %d pages read for their search terms, want %d (-1: every page's)", step, n, texts)
		}
		if n := openDataMade.Load() - d0; n != int64(data) {
			t.Errorf("%s: the open data made %d times, want %d", step, n, data)
		}
		if n := feedsMade.Load() - f0; n != int64(data) {
			t.Errorf("%s: the feeds made %d times, want %d (as the open data)", step, n, data)
		}
		if n := relatedRanked.Load() - k0; n != int64(ranked) {
			t.Errorf("%s: the related cases ranked %d times, want %d", step, n, ranked)
		}
		if cards == all {
			cards = len(res.Site.Cases)
		}
		if n := cardsRendered.Load() - c0; n != int64(cards) {
			t.Errorf("%s: %d cards rendered, want %d", step, n, cards)
		}
		compareWithFullBuild(t, step, dir, theme, got)
	}
	build("first build", all, all, 1, 1, all)
	build("again", 0, 0, 0, 0, 0)
	stamps := func() map[string]time.Time {
		m := map[string]time.Time{}
		files, _ := filepath.Glob(filepath.Join(cache, "markdown", "*.bin"))
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil {
				m[f] = fi.ModTime()
			}
		}
		return m
	}
	segsBefore := stamps()
	time.Sleep(10 * time.Millisecond) // a new modification time for what is written
	replaceIn(t, dir, "content/exempel/autismgruppen.md", "Källan säger inget om", "Källan säger ingenting om")
	build("one body edited", 1, 1, 0, 0, 0)
	written := 0
	for f, mt := range stamps() {
		if !segsBefore[f].Equal(mt) {
			written++
		}
	}
	if written == 0 || written > 2 {
		t.Errorf("one body edited: %d of %d markdown store files written, want 1 or 2", written, mdSegments)
	}
	replaceIn(t, dir, "content/exempel/autismgruppen.md", "status: pågående", "status: avslutad")
	build("a case's status edited", 0, 1, 1, 0, 1)
	replaceIn(t, dir, "content/exempel/autismgruppen.md", "  - Kultur och fritid", "  - Kultur och fritid\n  - Psykisk hälsa")
	build("a case's focus areas edited", 1, 1, 1, 1, 1)
	replaceIn(t, dir, "content/begrepp/aterbetalningsmodell.md", "Den modell som Ale kommun först valde", "Den modell Ale kommun först valde")
	build("a glossary term's summary edited", all, 1, 1, 0, all)
	build("again", 0, 0, 0, 0, 0)
	// The cards' layout edited, then what they are resolved against
	// (site.yaml: no status is stale before a hundred years, and no card
	// says "Senast känt"): every card is rendered again, and the pages that
	// show them change; the markdown, the search terms and the ranking do
	// not.
	replaceIn(t, dir, "layouts/partials/case-list.html", `<p class="case-card__summary">`, `<p class="case-card__summary sammanfattning">`)
	build("the card's layout edited", 0, 0, 0, 0, all)
	replaceIn(t, dir, "content/site.yaml", "contact_email: redaktionen@exempelbanken.se", "contact_email: redaktionen@exempelbanken.se\nstatus_stale_years: 100")
	build("site.yaml's stale years edited", 0, 0, 1, 0, all)
	// One segment of the markdown store damaged: its documents only are
	// rendered again.
	segments, _ := filepath.Glob(filepath.Join(cache, "markdown", "*.bin"))
	if len(segments) != mdSegments {
		t.Fatalf("the markdown store is %v, want %d files", segments, mdSegments)
	}
	damage := func(file string) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0x20
		os.WriteFile(file, data, 0o644)
	}
	damage(segments[3])
	before := mdRenders.Load()
	b := New(Options{Root: dir, Theme: theme, StableAssets: true, CacheDir: cache})
	if _, err := b.Build(output.NewMemory()); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if n := mdRenders.Load() - before; n == 0 || n > 20 {
		t.Errorf("one segment of 16 damaged: %d documents rendered, want a few", n)
	}
	build("again", 0, 0, 0, 0, 0)
	for _, store := range []string{"markdown", "sokord", "data-filer", "atom", "liknande", "kort"} {
		files, _ := filepath.Glob(filepath.Join(cache, store, "*.bin"))
		if len(files) == 0 || store != "markdown" && store != "sokord" && len(files) != 1 {
			t.Fatalf("the store is %v, want one file (the markdown store and the search terms: several)", files)
		}
		for _, f := range files {
			damage(f)
		}
	}
	build("stores damaged", all, all, 1, 1, all)
	build("again", 0, 0, 0, 0, 0)
	// The contents of the open data and the feeds damaged, their index
	// whole: each set is made again when its first file is read.
	for _, store := range []string{"data-filer", "atom"} {
		files, _ := filepath.Glob(filepath.Join(cache, store, "*.data"))
		if len(files) != 1 {
			t.Fatalf("the contents of %s are %v, want one file", store, files)
		}
		data, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)-10] ^= 0x20
		os.WriteFile(files[0], data, 0o644)
	}
	build("contents damaged", 0, 0, 1, 0, 0)
}

// TestBuildKeepsParsedContent: a build keeps the documents it parsed
// (contentStore) once their files have settled, the next build finds all
// of them there and writes no segment, and a build after a front-matter
// edit (the file read again) and one with a damaged segment give the
// site a build without the store gives.
func TestBuildKeepsParsedContent(t *testing.T) {
	dir, theme := repoSiteCopy(t)
	cache := t.TempDir()
	time.Sleep(3100 * time.Millisecond) // the copied files settle (content.settleTime)
	// segs returns the segment files' modification times and bytes.
	segs := func() map[string]string {
		m := map[string]string{}
		files, _ := filepath.Glob(filepath.Join(cache, "innehall", "*.bin"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			fi, _ := os.Stat(f)
			m[f] = fi.ModTime().String() + "\x00" + string(b)
		}
		return m
	}
	build := func(step string) {
		t.Helper()
		b := New(Options{Root: dir, Theme: theme, StableAssets: true, CacheDir: cache})
		defer b.Close()
		got := output.NewMemory()
		if _, err := b.Build(got); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		compareWithFullBuild(t, step, dir, theme, got)
	}
	build("first build")
	first := segs()
	if len(first) < 8 {
		t.Fatalf("first build: %d segment files kept, want most of 16", len(first))
	}
	time.Sleep(10 * time.Millisecond) // a new modification time for what is written
	build("again")
	if !maps.Equal(segs(), first) {
		t.Error("again: segments written, though no document changed")
	}
	replaceIn(t, dir, "content/exempel/autismgruppen.md", "status: pågående", "status: avslutad")
	build("status edited")
	for f := range first {
		if b, err := os.ReadFile(f); err == nil && len(b) > 200 {
			os.WriteFile(f, b[:len(b)-50], 0o644) // cut short
			break
		}
	}
	build("a segment damaged")
}
