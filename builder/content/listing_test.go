package content_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// TestListingReuse: with a cache and a watcher's report, Load lists the
// document folders again only when the report can have changed what is
// in them, and every load has the documents a load without a cache has.
func TestListingReuse(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.FromRepo(dir, sitetest.RepoRoot(t), 40, 1); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "content", "exempel", "*.md"))
	slices.Sort(files)
	target := files[len(files)/2]
	rel := func(p string) string { r, _ := filepath.Rel(dir, p); return filepath.ToSlash(r) }
	c := content.NewCache()
	load := func(report []string) (*content.Site, int64) {
		t.Helper()
		before := content.ListReads.Load()
		opts := []content.Option{content.WithCache(c)}
		if report != nil {
			opts = append(opts, content.WithOnlyChanged(report))
		}
		s, err := content.Load(dir, opts...)
		if err != nil {
			t.Fatal(err)
		}
		reads := content.ListReads.Load() - before
		fresh, err := content.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := caseFiles(s), caseFiles(fresh); !slices.Equal(got, want) {
			t.Fatalf("report %v: %d cases, a load without the cache %d", report, len(got), len(want))
		}
		return s, reads
	}
	edit := func(p, from, to string) {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out := regexp.MustCompile(from).ReplaceAll(b, []byte(to))
		if err := os.WriteFile(p, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, reads := load(nil); reads != 1 {
		t.Fatalf("first load: %d listings", reads)
	}
	newCase := filepath.Join(dir, "content", "exempel", "ett-nytt-exempel.md")
	for _, tt := range []struct {
		name   string
		change func()
		report []string
		reads  int64
	}{
		{"a case's text, reported", func() { edit(target, `(?m)^summary: "`, `summary: "Ändrad. `) }, []string{rel(target)}, 0},
		{"with an editor's temporary file that is gone", func() {}, []string{rel(target), rel(target) + ".tmp", rel(target) + "~"}, 0},
		{"a file outside the sections", func() {}, []string{"content/vokabular/malgrupp.yaml", "layouts/base.html"}, 0},
		{"an editor's swap file beside it", func() {
			os.WriteFile(filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".swp"), []byte("x"), 0o644)
		}, []string{rel(target), "content/exempel/." + filepath.Base(target) + ".swp"}, 0},
		{"a bundle's attachment", func() {}, []string{"content/exempel/en-mapp/bild.jpg"}, 0},
		{"a new case", func() {
			b, _ := os.ReadFile(target)
			os.WriteFile(newCase, regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(b, []byte(`title: "Ett nytt exempel"`)), 0o644)
		}, []string{rel(newCase)}, 1},
		{"the same again, unreported", func() {}, []string{}, 0},
		{"the new case removed", func() { os.Remove(newCase) }, []string{rel(newCase)}, 1},
		{"a folder", func() {}, []string{"content/exempel"}, 1},
		{"a new bundle's folder", func() {
			os.MkdirAll(filepath.Join(dir, "content", "exempel", "ny-mapp"), 0o755)
			b, _ := os.ReadFile(target)
			os.WriteFile(filepath.Join(dir, "content", "exempel", "ny-mapp", "index.md"),
				regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(b, []byte(`title: "Ett exempel i en mapp"`)), 0o644)
		}, []string{"content/exempel/ny-mapp"}, 1},
		{"no report", func() { os.RemoveAll(filepath.Join(dir, "content", "exempel", "ny-mapp")) }, nil, 1},
	} {
		tt.change()
		s, reads := load(tt.report)
		if reads != tt.reads {
			t.Errorf("%s: %d listings, want %d", tt.name, reads, tt.reads)
		}
		if tt.name == "a case's text, reported" && !hasSummaryPrefix(s, "Ändrad.") {
			t.Errorf("%s: the edit is not loaded", tt.name)
		}
	}
}

func caseFiles(s *content.Site) []string {
	var out []string
	for _, c := range s.Cases {
		out = append(out, c.File)
	}
	slices.Sort(out)
	return out
}

func hasSummaryPrefix(s *content.Site, p string) bool {
	for _, c := range s.Cases {
		if len(c.Summary) >= len(p) && c.Summary[:len(p)] == p {
			return true
		}
	}
	return false
}
