package feed_test

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/feed"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/site"
)

// schema is the Atom grammar of RFC 4287 in RELAX NG's XML syntax (see
// the comment at its top).
const schema = "testdata/atom.rng"

// xmllint returns the path of xmllint (Debian's libxml2-utils), and fails
// the test without it: the feeds must be checked against the schema.
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint saknas: installera Debians libxml2-utils (apt-get install libxml2-utils; make test gör det)")
	}
	return p
}

// validate runs xmllint --relaxng over the files (by name) and returns
// its complaints: nothing when every file is valid.
func validate(t *testing.T, files map[string][]byte) string {
	t.Helper()
	bin := xmllint(t)
	dir := t.TempDir()
	var paths []string
	for name, data := range files {
		p := filepath.Join(dir, strings.ReplaceAll(name, "/", "__"))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	cmd := exec.Command(bin, append([]string{"--noout", "--relaxng", schema}, paths...)...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		return ""
	}
	// xmllint says "<file> validates" for each good file: keep the rest.
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasSuffix(line, " validates") {
			bad = append(bad, strings.ReplaceAll(strings.ReplaceAll(line, dir+string(filepath.Separator), ""), "__", "/"))
		}
	}
	if len(bad) == 0 {
		bad = append(bad, err.Error())
	}
	return strings.Join(bad, "\n")
}

// feeds builds the site o describes and returns its feeds by file name.
func feeds(t *testing.T, o site.Options) map[string][]byte {
	t.Helper()
	b := site.New(o)
	defer b.Close()
	m := output.NewMemory()
	if _, err := b.Build(m); err != nil {
		t.Fatalf("build: %v", err)
	}
	out := map[string][]byte{}
	for _, name := range m.Names() {
		if strings.HasSuffix(name, "/atom.xml") {
			out[name], _ = m.Get(name)
		}
	}
	if out["exempel/atom.xml"] == nil {
		t.Fatalf("no exempel/atom.xml among %d files", len(m.Names()))
	}
	return out
}

// TestFeedsMatchAtomSchema validates every feed of the real site, and of a
// small site without baseURL (site-relative links, tag: ids), against the
// Atom schema with xmllint, and checks the two rules the schema states
// only as Schematron annotations, which xmllint does not apply: the feed
// has an author (its entries have none of their own), and every entry
// links to its page.
func TestFeedsMatchAtomSchema(t *testing.T) {
	repo := sitetest.RepoRoot(t)
	noBase := t.TempDir()
	sitetest.Write(t, noBase, "-- content/site.yaml --\ntitle: Testbanken\nlanguage: sv\ndescription: En testportal.\n")
	for _, tt := range []struct {
		name string
		opts site.Options
		min  int // feeds at least
	}{
		{"real content", site.Options{Root: repo}, 50},
		{"without baseURL", site.Options{Root: noBase}, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := feeds(t, tt.opts)
			if len(fs) < tt.min {
				t.Errorf("%d feeds, want at least %d", len(fs), tt.min)
			}
			if msg := validate(t, fs); msg != "" {
				t.Fatalf("xmllint --relaxng %s:\n%s", schema, msg)
			}
			for name, data := range fs {
				var f struct {
					Author  *struct{} `xml:"author"`
					Entries []struct {
						Author *struct{} `xml:"author"`
						Links  []struct {
							Rel string `xml:"rel,attr"`
						} `xml:"link"`
					} `xml:"entry"`
				}
				if err := xml.Unmarshal(data, &f); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if f.Author == nil {
					t.Errorf("%s: the feed has no author", name)
				}
				for i, e := range f.Entries {
					alt := false
					for _, l := range e.Links {
						alt = alt || l.Rel == "alternate"
					}
					if !alt {
						t.Errorf("%s: entry %d has no link rel=alternate", name, i+1)
					}
				}
			}
		})
	}
}

// TestSchemaRejects: the schema and xmllint do find what is not Atom, so
// that TestFeedsMatchAtomSchema can fail.
func TestSchemaRejects(t *testing.T) {
	good, err := feed.Atom(&feed.Feed{ID: "tag:x.invalid,2026:/f", Title: "F", Self: "/f", Page: "/", Author: "A",
		Entries: []feed.Entry{{ID: "e", Title: "E", URL: "/e/", Updated: mustDay("2020-01-01")}}})
	if err != nil {
		t.Fatal(err)
	}
	if msg := validate(t, map[string][]byte{"good.xml": good}); msg != "" {
		t.Fatalf("a valid feed is rejected:\n%s", msg)
	}
	for name, broken := range map[string][]byte{
		"no-id.xml":        bytes.Replace(good, []byte("<id>tag:x.invalid,2026:/f</id>"), nil, 1),
		"bad-date.xml":     bytes.Replace(good, []byte("<updated>2020-01-01T00:00:00Z</updated>"), []byte("<updated>1 januari 2020</updated>"), 1),
		"no-title.xml":     bytes.Replace(good, []byte("<title>E</title>"), nil, 1),
		"no-namespace.xml": bytes.Replace(good, []byte(` xmlns="http://www.w3.org/2005/Atom"`), nil, 1),
		"link-no-href.xml": bytes.Replace(good, []byte(` href="/e/"`), nil, 1),
	} {
		if bytes.Equal(broken, good) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if msg := validate(t, map[string][]byte{name: broken}); msg == "" {
			t.Errorf("%s: xmllint accepts it", name)
		}
	}
}

func mustDay(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}
