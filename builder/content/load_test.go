package content_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/sv"
	yaml "go.yaml.in/yaml/v3"
)

var (
	corporaMu sync.Mutex
	corpora   = map[int]string{} // cases → site root
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range corpora {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// generated returns a generated site of n cases, made once per test binary
// and removed by TestMain.
func generated(tb testing.TB, n int) string {
	tb.Helper()
	corporaMu.Lock()
	defer corporaMu.Unlock()
	if dir, ok := corpora[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "exempelbanken-content-"+strconv.Itoa(n)+"-")
	if err != nil {
		tb.Fatal(err)
	}
	if err := corpus.FromRepo(dir, sitetest.RepoRoot(tb), n, 1); err != nil {
		os.RemoveAll(dir)
		tb.Fatalf("generating %d cases: %v", n, err)
	}
	corpora[n] = dir
	return dir
}

// TestFastYAMLOnCorpus checks that the fast YAML parser takes every front
// matter of a generated site and builds yaml.v3's tree and fields for it.
func TestFastYAMLOnCorpus(t *testing.T) {
	dir := generated(t, 200)
	files, err := filepath.Glob(filepath.Join(dir, "content", "*", "*.md"))
	if err != nil || len(files) < 200 {
		t.Fatalf("corpus files: %d, %v", len(files), err)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fm, err := content.FrontMatter(p, raw)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := content.FastYAML(fm)
		if !ok {
			t.Errorf("%s: the fast parser declined generated front matter:\n%s", p, fm)
			continue
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(fm, &doc); err != nil {
			t.Errorf("%s: yaml.v3: %v", p, err)
			continue
		}
		if d := content.DiffNodes(got, doc.Content[0], "root"); d != "" {
			t.Errorf("%s: fast parser differs from yaml.v3: %s", p, d)
		}
		if d := content.DiffFields(fm); d != "" {
			t.Errorf("%s: fast fields differ from yaml.v3's: %s", p, d)
		}
	}
}

// BenchmarkLoad reads and validates a generated site of 2,000 cases.
func BenchmarkLoad(b *testing.B) {
	dir := generated(b, 2000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		s, err := content.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Cases) < 2000 {
			b.Fatalf("%d cases", len(s.Cases))
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(2000*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkLoadAfterEdit loads a generated site of 10,000 cases through a
// cache after an edit of one case's status, as the preview does after a
// save: the watcher's report names the file, the others come from the
// cache (and their resolution from its memo).
func BenchmarkLoadAfterEdit(b *testing.B) {
	defer content.SetSettleTime(0)()
	dir := generated(b, 10000)
	files, _ := filepath.Glob(filepath.Join(dir, "content", "exempel", "*.md"))
	slices.Sort(files)
	target := files[len(files)/2]
	rel := "content/exempel/" + filepath.Base(target)
	orig, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(target, orig, 0o644)
	c := content.NewCache()
	if _, err := content.Load(dir, content.WithCache(c)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		if err := os.WriteFile(target, []byte(sitetest.OtherStatus(b, string(orig), i)), 0o644); err != nil {
			b.Fatal(err)
		}
		if _, err := content.Load(dir, content.WithCache(c), content.WithOnlyChanged([]string{rel})); err != nil {
			b.Fatal(err)
		}
	}
	if cpu > 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// TestLoadOrderAndKeys: a generated site loads with its cases in Swedish
// title order, each carrying the collation key of its title; the result
// is the same on every load (cases are resolved on several cores).
func TestLoadOrderAndKeys(t *testing.T) {
	dir := generated(t, 600)
	first, err := content.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range first.Cases {
		if !bytes.Equal(c.TitleKey(), sv.Key(c.Title)) {
			t.Fatalf("%s: TitleKey differs from sv.Key(%q)", c.File, c.Title)
		}
		if i > 0 {
			p := first.Cases[i-1]
			if sv.Compare(p.Title, c.Title) > 0 {
				t.Errorf("%q sorts before %q", p.Title, c.Title)
			}
		}
	}
	again, err := content.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range again.Cases {
		a := first.Cases[i]
		if c.File != a.File || len(c.Municipalities) != len(a.Municipalities) || len(c.TargetGroups) != len(a.TargetGroups) ||
			len(c.InvestmentModels) != len(a.InvestmentModels) || len(c.Regions) != len(a.Regions) || len(c.Related) != len(a.Related) {
			t.Fatalf("case %d differs between loads: %s and %s", i, a.File, c.File)
		}
	}
}

// TestBrokenDraftsLeftOut: with WithBrokenDraftsLeftOut, a draft with
// errors (even YAML too broken to parse) is left out and its errors become
// warnings, so the rest of the preview stays up; an error in a published
// document still fails the load.
func TestBrokenDraftsLeftOut(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, `-- content/exempel/trasigt-utkast.md --
---
title: Trasigt utkast
summary: Y
municipality: Alee
target_group: Barn 6–12 år
investment_model: Social investeringsfond
status: okänd
date: 2015-07-03
draft: true
---
-- content/exempel/trasig-yaml.md --
---
title: "Trasig
draft: true
---
`)
	if _, err := content.Load(dir, content.WithDrafts(true)); err == nil {
		t.Fatal("broken drafts loaded without WithBrokenDraftsLeftOut")
	}
	s, err := content.Load(dir, content.WithDrafts(true), content.WithBrokenDraftsLeftOut())
	if err != nil {
		t.Fatalf("broken drafts took the site down: %v", err)
	}
	var got []string
	for _, w := range s.Warnings {
		got = append(got, w.Error())
	}
	for _, want := range []string{`content/exempel/trasigt-utkast.md:4: utkastet visas inte: municipality: okänd kommun "Alee"`, "content/exempel/trasig-yaml.md:2: utkastet visas inte: ogiltig YAML: ett citattecken stängs aldrig"} {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, want)
		}
		if !found {
			t.Errorf("warnings lack %q: %q", want, got)
		}
	}
	for _, c := range s.Cases {
		if strings.HasPrefix(c.Slug, "trasig") {
			t.Errorf("broken draft %s was included", c.Slug)
		}
	}
	if len(s.Cases) == 0 {
		t.Error("the other cases were left out too")
	}
	// A broken published case still stops it.
	if err := os.WriteFile(filepath.Join(dir, "content/exempel/trasigt-utkast.md"), []byte("---\ntitle: X\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := content.Load(dir, content.WithDrafts(true), content.WithBrokenDraftsLeftOut()); err == nil || !strings.Contains(err.Error(), "trasigt-utkast.md") {
		t.Errorf("a broken published case did not stop the load: %v", err)
	}
}
