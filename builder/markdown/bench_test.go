package markdown

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// benchSite is a generated site of 1,000 cases with the repository's real
// glossary, made once per test binary.
type benchSite struct {
	inputs []Input
	terms  []*GlossaryTerm
	res    Resolver
}

var (
	benchOnce sync.Once
	benchData *benchSite
	benchErr  error
)

// siteResolver resolves by slug, title or alias (case-insensitively) and by
// file, like the site's resolver but without suggestions.
type siteResolver struct {
	names map[string]Target
	files map[string]Target
}

func (r *siteResolver) Resolve(name string) (Target, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	if _, rest, ok := strings.Cut(name, "/"); ok {
		name = rest
	}
	t, ok := r.names[name]
	return t, ok
}

func (r *siteResolver) ResolveFile(p string) (Target, bool) { t, ok := r.files[p]; return t, ok }
func (r *siteResolver) Suggest(string) string               { return "" }

// loadBenchSite generates (once) and loads the benchmark site.
func loadBenchSite(tb testing.TB) *benchSite {
	tb.Helper()
	benchOnce.Do(func() {
		root := sitetest.RepoRoot(tb)
		dir, err := os.MkdirTemp("", "exempelbanken-md-bench-")
		if err != nil {
			benchErr = err
			return
		}
		defer os.RemoveAll(dir)
		if err := corpus.FromRepo(dir, root, 1000, 1); err != nil {
			benchErr = err
			return
		}
		s, err := content.Load(dir)
		if err != nil {
			benchErr = err
			return
		}
		bs := &benchSite{}
		res := &siteResolver{names: map[string]Target{}, files: map[string]Target{}}
		add := func(d *content.Doc, names []string) {
			t := Target{URL: d.URL(), Title: d.Title}
			for _, n := range append([]string{d.Slug, d.Title}, names...) {
				if _, taken := res.names[strings.ToLower(n)]; !taken {
					res.names[strings.ToLower(n)] = t
				}
			}
			res.files[strings.TrimPrefix(d.File, "content/")] = t
			bs.inputs = append(bs.inputs, Input{File: d.File, Dir: d.Section.Dir(), Source: d.Body,
				Line: d.BodyLine, SelfURL: d.URL(), Glossary: true})
		}
		for _, c := range s.Cases {
			add(&c.Doc, nil)
		}
		for _, t := range s.Terms {
			add(&t.Doc, t.Aliases)
			bs.terms = append(bs.terms, &GlossaryTerm{Slug: t.Slug, URL: t.URL(), Title: t.Title,
				Summary: t.Summary, Names: append([]string{t.Title}, t.Aliases...)})
		}
		for _, p := range s.Pages {
			add(&p.Doc, nil)
		}
		bs.res = res
		benchData = bs
	})
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	return benchData
}

// bytes is the size of every document's markdown source.
func (bs *benchSite) bytes() int64 {
	var n int64
	for _, in := range bs.inputs {
		n += int64(len(in.Source))
	}
	return n
}

// BenchmarkRender renders every document of a generated 1,000-case site
// with wiki links and glossary linking, as the site build does, on one
// goroutine. One op is the whole site.
func BenchmarkRender(b *testing.B) {
	bs := loadBenchSite(b)
	r := New(WithResolver(bs.res), WithGlossary(NewGlossary(bs.terms)))
	b.SetBytes(bs.bytes())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range bs.inputs {
			if _, err := r.Render(in); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkGlossaryScan measures only the glossary matcher over the text of
// every document of the benchmark site.
func BenchmarkGlossaryScan(b *testing.B) {
	bs := loadBenchSite(b)
	g := NewGlossary(bs.terms)
	b.SetBytes(bs.bytes())
	b.ReportAllocs()
	b.ResetTimer()
	var sc scanner
	for i := 0; i < b.N; i++ {
		for _, in := range bs.inputs {
			g.scan(in.Source, &sc, func(*phrase, int, int) {})
		}
	}
}
