// Package corpus generates large synthetic sites in the content contract,
// for benchmarks and scale tests: cases with realistic Swedish text drawn
// from a bank of sentences, the real glossary, vocabularies and data.
// The output is deterministic for a given seed and sentence bank.
package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

// Options configures Generate.
type Options struct {
	Cases     int    // number of cases
	Seed      uint64 // random seed
	Template  string // a site root whose site.yaml, vokabular.yaml, data, glossary and pages are reused
	Sentences []string
}

// Sentences extracts sentences of 8 to 40 words from text files (the seed
// documents, or markdown bodies), deduplicated, in a stable order.
func Sentences(files ...string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	split := regexp.MustCompile(`[.!?]\s+`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		text := string(b)
		if strings.HasSuffix(f, ".md") {
			if i := strings.Index(text[3:], "\n---"); strings.HasPrefix(text, "---") && i >= 0 {
				text = text[i+7:]
			}
		}
		for _, s := range split.Split(text, -1) {
			s = strings.Join(strings.Fields(s), " ")
			if strings.ContainsAny(s, "[]#|*<>{}") {
				continue
			}
			n := len(strings.Fields(s))
			if n < 8 || n > 40 || seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, s+".")
		}
	}
	return out, nil
}

// partialDate writes d as kallor.yaml has it: 2014, 2017-03 or 2015-07-03.
func partialDate(d content.PartialDate) string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Generate writes a complete site root into dir.
func Generate(dir string, o Options) error {
	if len(o.Sentences) < 10 {
		return fmt.Errorf("för få meningar (%d) att bygga text av", len(o.Sentences))
	}
	s, err := content.Load(o.Template)
	if err != nil {
		return fmt.Errorf("mallwebbplatsen %s: %w", o.Template, err)
	}
	for _, sub := range []string{"content/site.yaml", "content/vokabular.yaml", "content/data", "content/begrepp", "content/sidor"} {
		if err := fsutil.CopyTree(filepath.Join(o.Template, sub), filepath.Join(dir, sub)); err != nil {
			return err
		}
	}
	// The template's source register (its glossary cites it), and the one
	// source every generated case cites.
	register := "kallor:\n"
	for _, d := range s.Sources {
		dated := "date: " + strconv.Quote(partialDate(d.Date))
		if d.Date.IsZero() {
			dated = "accessed: " + strconv.Quote(partialDate(d.Accessed))
		}
		register += fmt.Sprintf("  - id: %s\n    title: %q\n    publisher: %q\n    %s\n    kind: %s\n", d.ID, d.Title, d.Publisher, dated, d.Kind)
	}
	register += "  - id: genererad-testkalla\n    title: Genererad testkälla\n    publisher: Exempelbankens testgenerator\n    date: 2020\n    kind: rapport\n"
	if err := os.WriteFile(filepath.Join(dir, "content", "kallor.yaml"), []byte(register), 0o644); err != nil {
		return err
	}
	// The real glossary and pages link to real cases; in the generated site
	// those links become plain text.
	termNames := map[string]bool{}
	for _, t := range s.Terms {
		termNames[strings.ToLower(t.Slug)] = true
		termNames[strings.ToLower(t.Title)] = true
		for _, a := range t.Aliases {
			termNames[strings.ToLower(a)] = true
		}
	}
	for _, p := range s.Pages {
		termNames[strings.ToLower(p.Slug)] = true
	}
	caseTitle := map[string]string{}
	for _, c := range s.Cases {
		caseTitle[c.Slug] = c.Title
	}
	for _, sub := range []string{"begrepp", "sidor"} {
		files, _ := filepath.Glob(filepath.Join(dir, "content", sub, "*.md"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			out := wikiRe.ReplaceAllStringFunc(string(b), func(m string) string {
				sm := wikiRe.FindStringSubmatch(m)
				if termNames[strings.ToLower(strings.TrimSpace(sm[1]))] {
					return m
				}
				if sm[3] != "" {
					return sm[3]
				}
				if t, ok := caseTitle[strings.TrimSpace(sm[1])]; ok {
					return t
				}
				return sm[1]
			})
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				return err
			}
		}
	}
	exDir := filepath.Join(dir, "content", "exempel")
	if err := os.MkdirAll(exDir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	var models, terms []*content.Term
	for _, t := range s.Terms {
		terms = append(terms, t)
		if t.IsModel() {
			models = append(models, t)
		}
	}
	tg, fa, ct := s.Vocab["target_group"].Values, s.Vocab["focus_area"].Values, s.Vocab["case_type"].Values
	kommuner := s.Kommuner
	nouns := []string{"Familjestöd", "Skolnärvaro", "Unga vuxna", "Trygg start", "Mötesplats", "Föräldrakraft", "Läsglädje",
		"Vägen till arbete", "Tidiga insatser", "Hälsolyftet", "Fritid för alla", "Språkbron", "Nya steg", "Stödteam",
		"Samverkan skola–socialtjänst", "Jobbspåret", "Öppen förskola", "Ungdomslotsen", "Kvarterskraft", "Hemmaplan"}
	status := content.Statuses
	slugs := make([]string, o.Cases)
	for i := range slugs {
		slugs[i] = fmt.Sprintf("exempel-%06d", i+1)
	}
	pick := func(n int) int { return r.IntN(n) }
	sentence := func() string { return o.Sentences[pick(len(o.Sentences))] }
	var buf bytes.Buffer
	for i := 0; i < o.Cases; i++ {
		buf.Reset()
		k := kommuner[zipf(r, len(kommuner))]
		title := fmt.Sprintf("%s i %s %d", nouns[pick(len(nouns))], k.Name, i+1)
		fmt.Fprintf(&buf, "---\ntitle: %q\nsummary: %q\nmunicipality:\n  - %s\n", title, sentence(), k.Name)
		if pick(10) == 0 {
			fmt.Fprintf(&buf, "  - %s\n", kommuner[pick(len(kommuner))].Name)
		}
		buf.WriteString("target_group:\n")
		for _, v := range distinct(r, len(tg), 1+pick(3)) {
			fmt.Fprintf(&buf, "  - %s\n", tg[v].Label)
		}
		buf.WriteString("investment_model:\n")
		for _, v := range distinct(r, len(models), 1+pick(2)) {
			fmt.Fprintf(&buf, "  - %s\n", models[v].Title)
		}
		if len(fa) > 0 {
			buf.WriteString("focus_area:\n")
			for _, v := range distinct(r, len(fa), 1+pick(3)) {
				fmt.Fprintf(&buf, "  - %s\n", fa[v].Label)
			}
		}
		if len(ct) > 0 {
			fmt.Fprintf(&buf, "case_type: %s\n", ct[pick(len(ct))].Label)
		}
		start := 2005 + pick(20)
		fmt.Fprintf(&buf, "status: %s\nstart: %d\n", status[pick(len(status))], start)
		if pick(3) == 0 {
			fmt.Fprintf(&buf, "end: %d\n", start+1+pick(5))
		}
		if pick(2) == 0 {
			fmt.Fprintf(&buf, "budget_sek: %d\n", (1+pick(400))*50000)
		}
		fmt.Fprintf(&buf, "owner: %s kommun\npartners:\n  - Region %s\n  - Civilsamhället i %s\n", k.Name, k.Lan.Seat, k.Name)
		if i > 0 && pick(3) == 0 {
			fmt.Fprintf(&buf, "related:\n  - %s\n", slugs[pick(i)])
		}
		fmt.Fprintf(&buf, "sources:\n  - source: genererad-testkalla\n    pages: %d\ndate: %d-%02d-%02d\n---\n\n", 1+pick(20), 2010+pick(16), 1+pick(12), 1+pick(28))
		para := func(n int) {
			for j := 0; j < n; j++ {
				if j > 0 {
					buf.WriteByte(' ')
				}
				buf.WriteString(sentence())
			}
			buf.WriteString("\n\n")
		}
		para(3)
		for _, h := range []string{"Bakgrund", "Insats", "Finansiering", "Resultat och lärdomar"} {
			fmt.Fprintf(&buf, "## %s\n\n", h)
			para(2 + pick(3))
			if pick(4) == 0 {
				t := terms[pick(len(terms))]
				fmt.Fprintf(&buf, "Läs mer om [[%s]]", t.Slug)
				if i > 0 {
					fmt.Fprintf(&buf, " och om [[%s]]", slugs[pick(i)])
				}
				buf.WriteString(".\n\n")
			}
		}
		if err := os.WriteFile(filepath.Join(exDir, slugs[i]+".md"), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var wikiRe = regexp.MustCompile(`\[\[([^\]|]+)(\|([^\]]+))?\]\]`)

// zipf picks an index with a skewed distribution: a few municipalities get
// many cases, as in reality.
func zipf(r *rand.Rand, n int) int {
	x := r.Float64()
	return int(float64(n) * x * x * x)
}

func distinct(r *rand.Rand, n, k int) []int {
	if k > n {
		k = n
	}
	p := r.Perm(n)[:k]
	sort.Ints(p)
	return p
}

// FromRepo writes a site of n cases into dir, using the repository at root
// as template and its sentence bank (see SeedFiles).
func FromRepo(dir, root string, n int, seed uint64) error {
	files, _ := SeedFiles(root)
	sentences, err := Sentences(files...)
	if err != nil {
		return err
	}
	return Generate(dir, Options{Cases: n, Seed: seed, Template: root, Sentences: sentences})
}

// SeedFiles returns the source documents in ../shared/seeds next to root,
// or the markdown files of root's own content when they are not there.
func SeedFiles(root string) ([]string, string) {
	seeds, _ := filepath.Glob(filepath.Join(root, "..", "shared", "seeds", "*.txt"))
	if len(seeds) > 0 {
		sort.Strings(seeds)
		return seeds, "../shared/seeds"
	}
	var own []string
	for _, d := range []string{"exempel", "begrepp", "sidor"} {
		m, _ := filepath.Glob(filepath.Join(root, "content", d, "*.md"))
		own = append(own, m...)
	}
	sort.Strings(own)
	return own, "content/"
}
