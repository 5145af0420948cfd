package site

import (
	"bytes"
	"os"
	"testing"

	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

// TestFastExecutorMatchesHTMLTemplate builds the real content, the hostile
// site and a generated corpus twice, with pages executed by htmlexec and by
// html/template alone, and requires every file to be byte-identical and
// htmlexec to have rendered the pages itself.
func TestFastExecutorMatchesHTMLTemplate(t *testing.T) {
	gen := t.TempDir()
	if err := corpus.FromRepo(gen, sitetest.RepoRoot(t), 300, 7); err != nil {
		t.Fatal(err)
	}
	plain := func(plain bool) func(*Options) { return func(o *Options) { o.HTMLTemplateOnly = plain } }
	sites := []struct {
		name  string
		build func(t *testing.T, htmlTemplateOnly bool) (*output.Memory, *Result)
	}{
		{"real content", func(t *testing.T, p bool) (*output.Memory, *Result) { return build(t, "", plain(p)) }},
		{"hostile", func(t *testing.T, p bool) (*output.Memory, *Result) { return build(t, hostile, plain(p)) }},
		{"generated", func(t *testing.T, p bool) (*output.Memory, *Result) {
			return buildRoot(t, Options{Root: gen, Theme: os.DirFS(sitetest.RepoRoot(t)), HTMLTemplateOnly: p})
		}},
	}
	for _, s := range sites {
		t.Run(s.name, func(t *testing.T) {
			fast, res := s.build(t, false)
			t.Logf("fallbacks %d of %d", res.Fallbacks, res.Pages)
			if res.Fallbacks != 0 {
				t.Errorf("html/template executed %d of %d pages; htmlexec should render them all", res.Fallbacks, res.Pages)
			}
			slow, slowRes := s.build(t, true)
			if slowRes.Fallbacks < slowRes.Pages {
				t.Errorf("with HTMLTemplateOnly html/template executed %d of %d pages", slowRes.Fallbacks, slowRes.Pages)
			}
			if len(fast.Names()) != len(slow.Names()) {
				t.Fatalf("%d files with htmlexec, %d without", len(fast.Names()), len(slow.Names()))
			}
			for _, name := range slow.Names() {
				want, _ := slow.Get(name)
				got, ok := fast.Get(name)
				if !ok || !bytes.Equal(got, want) {
					t.Errorf("%s differs: %s", name, firstDiff(string(got), string(want)))
				}
			}
		})
	}
}
