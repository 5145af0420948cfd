package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

// TestOverviewRealContent: /oversikt/ on the real content has the map of
// kommuner with a link named with its count for each kommun with Swedish
// cases, the legend, the table, the five charts with their tables, and
// the international cases counted apart; the locator maps use the shared
// file of län outlines.
func TestOverviewRealContent(t *testing.T) {
	m, res := buildRoot(t, Options{Root: sitetest.RepoRoot(t)})
	p := page(t, m, "oversikt/index.html")
	withCases := map[string]int{}
	for _, c := range res.Site.Cases {
		if c.International() {
			continue
		}
		for _, k := range c.Municipalities {
			withCases[k.Name]++
		}
	}
	links := regexp.MustCompile(`<a href="/kommun/[a-z0-9-]+/" aria-label="([^"]+): (\d+) exempel">`).FindAllStringSubmatch(p, -1)
	if len(links) != len(withCases) {
		t.Errorf("%d kommuner are links, want %d", len(links), len(withCases))
	}
	for _, l := range links {
		if n := withCases[l[1]]; l[2] != strconv.Itoa(n) {
			t.Errorf("%s: the map says %s, the content %d", l[1], l[2], n)
		}
	}
	if got := strings.Count(p, `class="map-area map-area--`); got != 290 {
		t.Errorf("%d kommuner drawn, want 290", got)
	}
	for _, want := range []string{"Källa: SCB", "10 eller fler", `<caption id="kommuntabell">`, `id="diagram-modell-titel"`, `id="diagram-malgrupp-titel"`,
		`id="diagram-fokus-titel"`, `id="diagram-status-titel"`, `id="diagram-startar-titel"`, "räknas för sig"} {
		if !strings.Contains(p, want) {
			t.Errorf("/oversikt/ lacks %q", want)
		}
	}
	if strings.Count(p, "<summary>Visa som tabell</summary>") != 5 {
		t.Error("not every chart has its table")
	}
	if b, ok := m.Get(mapFile); !ok || !strings.Contains(string(b), `<g id="lan">`) || strings.Count(string(b), "<path") != 21 {
		t.Errorf("%s: %.200s", mapFile, b)
	}
	for name, title := range map[string]string{"kommun/ale/index.html": "Ale i Västra Götalands län",
		"lan/vastra-gotalands-lan/index.html": "Västra Götalands län på Sverigekartan", "exempel/minimili/index.html": "Ale på Sverigekartan"} {
		h := page(t, m, name)
		if !strings.Contains(h, `<title id="lagekarta">`+title+`</title><use class="locator__land" href="/karta/sverige.svg#lan"/><path class="locator__mark" d="M`) {
			t.Errorf("%s: no locator titled %q", name, title)
		}
	}
	if h := page(t, m, "index.html"); !strings.Contains(h, `aria-label="Västra Götalands län: `) || !strings.Contains(h, `href="/oversikt/"`) {
		t.Error("the home page has no map of the län linking /oversikt/")
	}
}

// TestMapCodesMustMatch: a kommun code in the boundaries that kommuner.csv
// does not have is a build error naming the file and the code.
func TestMapCodesMustMatch(t *testing.T) {
	repo := sitetest.RepoRoot(t)
	dir := t.TempDir()
	if err := fsutil.CopyTree(filepath.Join(repo, "content"), filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "content", "data", "kommuner.geojson")
	b, _ := os.ReadFile(file)
	os.WriteFile(file, []byte(strings.Replace(string(b), `"kommun_kod":"1440"`, `"kommun_kod":"1499"`, 1)), 0o644)
	bl := New(Options{Root: dir, Theme: os.DirFS(repo)})
	defer bl.Close()
	_, err := bl.Build(output.NewMemory())
	if err == nil || !strings.Contains(err.Error(), "content/data/kommuner.geojson") || !strings.Contains(err.Error(), "1499") || !strings.Contains(err.Error(), "1440") {
		t.Errorf("err = %v", err)
	}
}
