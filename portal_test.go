package portal

import (
	"bytes"
	"encoding/binary"
	"flag"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/site"
)

// The real portal's content: it must build without errors, every case must
// cite its source document and page, and no run of twelve words may be
// copied from the source documents.

var updateShingles = flag.Bool("update-shingles", false, "recompute testdata/seed-shingles.bin from ../shared/seeds")

const shingleWords = 12

func loadReal(t *testing.T) *content.Site {
	t.Helper()
	s, err := content.Load(".")
	if err != nil {
		t.Fatalf("content/ does not validate:\n%v", err)
	}
	return s
}

func TestRealPortalBuilds(t *testing.T) {
	b := site.New(site.Options{Root: "."})
	defer b.Close()
	m := output.NewMemory()
	res, err := b.Build(m)
	if err != nil {
		t.Fatalf("the real portal does not build:\n%v", err)
	}
	s := res.Site
	if len(s.Cases) < 30 {
		t.Errorf("%d cases, want at least 30", len(s.Cases))
	}
	models := 0
	for _, term := range s.Terms {
		if term.IsModel() {
			models++
		}
	}
	if len(s.Terms) < 25 || models < 10 {
		t.Errorf("%d glossary terms (%d models), want at least 25 (10)", len(s.Terms), models)
	}
	// Every case links to its models' glossary pages, and every model page
	// lists its cases.
	for _, c := range s.Cases {
		page, _ := m.Get(strings.TrimPrefix(c.URL(), "/") + "index.html")
		for _, model := range c.InvestmentModels {
			if !bytes.Contains(page, []byte(`href="`+model.URL()+`"`)) {
				t.Errorf("%s does not link to its model %s", c.File, model.URL())
			}
			mp, _ := m.Get(strings.TrimPrefix(model.URL(), "/") + "index.html")
			if !bytes.Contains(mp, []byte(`href="`+c.URL()+`"`)) {
				t.Errorf("%s does not list %s", model.File, c.URL())
			}
		}
	}
}

func TestEveryCaseCitesItsSource(t *testing.T) {
	s := loadReal(t)
	for _, c := range s.Cases {
		if len(c.Sources) == 0 {
			t.Errorf("%s: sources saknas; varje exempel ska ange källdokument och sida", c.File)
		}
		for _, src := range c.Sources {
			if src.Pages == "" && src.Doc.URL == "" {
				t.Errorf("%s: källan %q saknar sida", c.File, src.ID)
			}
		}
	}
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}]+`)

// words lowercases s and splits it into words; soft hyphens are dropped
// first so that they cannot hide a copied word.
func words(s string) []string {
	s = strings.ReplaceAll(strings.ToLower(s), "\u00ad", "")
	return wordRe.FindAllString(s, -1)
}

func shingle(ws []string) uint64 {
	h := fnv.New64a()
	for _, w := range ws {
		h.Write([]byte(w))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// seedShingles returns the hashes of every run of twelve words in the
// source documents. They are computed from ../shared/seeds when it is
// there (and must match the stored file), else read from
// testdata/seed-shingles.bin, so the check also runs in a clone without
// the shared folder.
func seedShingles(t *testing.T) map[uint64]bool {
	t.Helper()
	stored := "testdata/seed-shingles.bin"
	seeds, _ := filepath.Glob("../shared/seeds/*.txt")
	var hashes []uint64
	if len(seeds) > 0 {
		set := map[uint64]bool{}
		for _, f := range seeds {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			ws := words(string(b))
			for i := 0; i+shingleWords <= len(ws); i++ {
				set[shingle(ws[i:i+shingleWords])] = true
			}
		}
		for h := range set {
			hashes = append(hashes, h)
		}
		sort.Slice(hashes, func(i, j int) bool { return hashes[i] < hashes[j] })
		buf := make([]byte, 8*len(hashes))
		for i, h := range hashes {
			binary.LittleEndian.PutUint64(buf[8*i:], h)
		}
		if *updateShingles {
			if err := os.WriteFile(stored, buf, 0o644); err != nil {
				t.Fatal(err)
			}
		} else if old, err := os.ReadFile(stored); err != nil || !bytes.Equal(old, buf) {
			t.Errorf("%s is out of date with ../shared/seeds; run go test . -update-shingles", stored)
		}
	} else {
		buf, err := os.ReadFile(stored)
		if err != nil {
			t.Fatalf("neither ../shared/seeds nor %s: %v", stored, err)
		}
		for i := 0; i+8 <= len(buf); i += 8 {
			hashes = append(hashes, binary.LittleEndian.Uint64(buf[i:]))
		}
	}
	set := make(map[uint64]bool, len(hashes))
	for _, h := range hashes {
		set[h] = true
	}
	if len(set) < 10000 {
		t.Fatalf("only %d seed shingles; the source documents are missing", len(set))
	}
	return set
}

// copiedRuns returns the runs of twelve words of text found in the seeds.
func copiedRuns(text string, seeds map[uint64]bool) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		ws := words(para)
		for i := 0; i+shingleWords <= len(ws); i++ {
			if seeds[shingle(ws[i:i+shingleWords])] {
				out = append(out, strings.Join(ws[i:i+shingleWords], " "))
				i += shingleWords - 1
			}
		}
	}
	return out
}

func TestNoSentenceCopiedFromSources(t *testing.T) {
	seeds := seedShingles(t)
	s := loadReal(t)
	// Titles of the cited documents may be quoted in full.
	var titles []string
	for _, c := range s.Cases {
		for _, src := range c.Sources {
			titles = append(titles, src.Doc.Title)
		}
	}
	sort.Slice(titles, func(i, j int) bool { return len(titles[i]) > len(titles[j]) })
	strip := func(text string) string {
		text = strings.ReplaceAll(text, "\u00ad", "")
		for _, title := range titles {
			text = strings.ReplaceAll(text, title, " ")
			// Titles are often cited without their parenthesised publisher.
			if i := strings.LastIndex(title, " ("); i > 0 {
				text = strings.ReplaceAll(text, title[:i], " ")
			}
		}
		return text
	}
	check := func(d *content.Doc) {
		for _, run := range copiedRuns(strip(d.Title+"\n"+d.Summary+"\n"+string(d.Body)), seeds) {
			t.Errorf("%s: tolv ord i följd är kopierade från källdokumenten: %q", d.File, run)
		}
	}
	for _, c := range s.Cases {
		check(&c.Doc)
	}
	for _, term := range s.Terms {
		check(&term.Doc)
	}
	for _, p := range s.Pages {
		check(&p.Doc)
	}
}

func TestCopyDetectorCatchesCopies(t *testing.T) {
	seeds := seedShingles(t)
	b, err := os.ReadFile("testdata/copy-probe.txt")
	if err != nil {
		t.Fatal(err)
	}
	if runs := copiedRuns(string(b), seeds); len(runs) == 0 {
		t.Error("a sentence copied from a seed was not detected")
	}
	if runs := copiedRuns("Det här är en helt egen mening som ingen källa innehåller, skriven med egna ord av redaktionen.", seeds); len(runs) != 0 {
		t.Errorf("false positive: %v", runs)
	}
}
