package search_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/pagefind"
	"github.com/exempelbanken/portal/builder/search"
	"github.com/exempelbanken/portal/builder/site"
)

// The portal's own index (builder/pagefind) against Pagefind's CLI, the
// pinned npm version, on the same HTML: the same words under the same keys
// on the same pages with the same positions and weights, the same
// metadata and its words, the same fragments (excerpt text, word counts,
// anchors), filters and sort orders. Only the file names and the page
// numbers may differ (the CLI numbers pages in the order the file system
// lists them). Where this fails, a query can find other pages in the
// portal's build than in Pagefind's.

// TestMatchesPagefindCLI compares the two on the real content.
func TestMatchesPagefindCLI(t *testing.T) {
	repo := sitetest.RepoRoot(t)
	d := buildIndexed(t, site.Options{Root: repo, Theme: os.DirFS(repo)}, filepath.Join(t.TempDir(), "public"))
	compareWithCLI(t, d.Dir(), 100)
}

// TestWordsMatchPagefindCLI compares the two on a page of the words and
// markup Pagefind splits in its own ways (testdata/words): full stops,
// punctuation, capitals and digits inside words, diacritics, weights,
// ignored and removed elements, filters, metadata and anchors.
func TestWordsMatchPagefindCLI(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("testdata", "words", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := search.Index(dir, dir, os.Stderr); err != nil {
		t.Fatal(err)
	}
	s := compareWithCLI(t, dir, 1)
	// The page must exercise what it is there for.
	for _, k := range []string{"om", "exemp", "mini", "covid", "19", "0–16", "”hej”"} {
		if len(s.Words[k]) == 0 {
			t.Errorf("no entry for %q: the page no longer tests it", k)
		}
	}
}

// compareWithCLI indexes the HTML in dir (which holds the CLI's index in
// pagefind/) with the portal's index and compares the two.
func compareWithCLI(t *testing.T, dir string, minPages int) *pagefind.Snapshot {
	t.Helper()
	cli, err := pagefind.Read(os.DirFS(filepath.Join(dir, "pagefind")))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	x := pagefind.New()
	x.Begin()
	html := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "pagefind/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		html[pagefind.PageURL(rel)] = b
		_, err = x.Add(rel, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Write(dirWriter(out), "pagefind"); err != nil {
		t.Fatal(err)
	}
	ours, err := pagefind.Read(os.DirFS(filepath.Join(out, "pagefind")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ours.Pages) < minPages || len(ours.Words) == 0 {
		t.Fatalf("only %d pages, %d words indexed", len(ours.Pages), len(ours.Words))
	}
	for _, d := range pagefind.Diff(ours, cli, 30) {
		t.Errorf("portalen ≠ Pagefind: %s", d)
	}
	// Sort orders: the same values in the same order (pages with equal
	// values may come in either order).
	for name, list := range cli.Sorts {
		re := regexp.MustCompile(`data-pagefind-sort="` + regexp.QuoteMeta(name) + `">([^<]*)<`)
		values := func(urls []string) []string {
			var vs []string
			for _, u := range urls {
				m := re.FindSubmatch(html[u])
				if m == nil {
					t.Fatalf("%s: no sort value %s", u, name)
				}
				vs = append(vs, string(m[1]))
			}
			return vs
		}
		if a, b := values(ours.Sorts[name]), values(list); strings.Join(a, "|") != strings.Join(b, "|") {
			t.Errorf("sort order %s: %v ≠ %v", name, a, b)
		}
	}
	t.Logf("%d pages, %d keys, %d chunks (Pagefind %d) agree", len(ours.Pages), len(ours.Words), ours.Chunks, cli.Chunks)
	return ours
}

type dirWriter string

func (d dirWriter) Write(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// TestClientVersion fails when the pinned Pagefind (package.json, the
// binary npm installed) is another version than the one whose format the
// portal writes and whose client it embeds (pagefind.Version): then the
// client files the CLI writes are compared byte for byte with the
// embedded ones, and the portal's pagefind-entry.json names the version.
func TestClientVersion(t *testing.T) {
	repo := sitetest.RepoRoot(t)
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	b, err := os.ReadFile(filepath.Join(repo, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if v := pkg.DevDependencies["pagefind"]; v != pagefind.Version {
		t.Fatalf("package.json pins pagefind %s, the portal writes Pagefind %s's format: check the format (TestMatchesPagefindCLI), take the new client files into builder/pagefind/client and raise pagefind.Version", v, pagefind.Version)
	}
	dir := t.TempDir()
	page, _ := os.ReadFile(filepath.Join("testdata", "words", "index.html"))
	os.WriteFile(filepath.Join(dir, "index.html"), page, 0o644)
	if err := search.IndexContext(context.Background(), dir, repo, os.Stderr); err != nil {
		t.Fatal(err)
	}
	var entry struct{ Version string }
	b, _ = os.ReadFile(filepath.Join(dir, "pagefind", "pagefind-entry.json"))
	if err := json.Unmarshal(b, &entry); err != nil || entry.Version != pagefind.Version {
		t.Fatalf("the installed Pagefind writes version %q (%v), the portal %s", entry.Version, err, pagefind.Version)
	}
	n := 0
	err = fs.WalkDir(pagefind.Client(), ".", func(name string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || name == "LICENSE" {
			return err
		}
		n++
		ours, _ := fs.ReadFile(pagefind.Client(), name)
		theirs, err := os.ReadFile(filepath.Join(dir, "pagefind", name))
		if err != nil {
			return err
		}
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s differs from what Pagefind %s writes", name, entry.Version)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("only %d client files embedded", n)
	}
}
