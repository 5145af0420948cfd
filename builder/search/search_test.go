package search_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/search"
	"github.com/exempelbanken/portal/builder/site"
)

// buildIndexed builds the site o describes into out and indexes it with
// Pagefind; the caller commits or reads d.Dir().
func buildIndexed(t *testing.T, o site.Options, out string) *output.Disk {
	t.Helper()
	b := site.New(o)
	defer b.Close()
	d, err := output.NewDisk(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(d); err != nil {
		t.Fatal(err)
	}
	if err := search.Index(d.Dir(), o.Root, os.Stderr); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestIndex(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	out := filepath.Join(dir, "public")
	d := buildIndexed(t, site.Options{Root: dir}, out)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	entry, err := os.ReadFile(filepath.Join(out, "pagefind", "pagefind-entry.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The site is Swedish: Pagefind indexes it as "sv" (stemming), and only
	// pages with data-pagefind-body: 2 cases, 2 terms, 1 page.
	if !strings.Contains(string(entry), `"sv"`) || !strings.Contains(string(entry), `"page_count":5`) {
		t.Errorf("pagefind-entry.json = %s", entry)
	}
	filters, _ := filepath.Glob(filepath.Join(out, "pagefind", "filter", "*"))
	if len(filters) == 0 {
		t.Error("no filter index written")
	}
}

func TestMissingPagefind(t *testing.T) {
	t.Setenv("PAGEFIND_BINARY", "/finns/inte/pagefind")
	if _, err := search.FindPagefind(t.TempDir()); err == nil || !strings.Contains(err.Error(), "PAGEFIND_BINARY") {
		t.Errorf("err = %v", err)
	}
	if !strings.Contains(search.ErrNoPagefind.Error(), "-search=false") {
		t.Error("the error does not say how to build without search")
	}
}
