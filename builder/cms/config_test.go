package cms

import (
	"slices"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	yaml "go.yaml.in/yaml/v3"
)

// TestConfigCoversContract: every front-matter key the contract takes has
// a widget (a new key without one fails here), the lists to choose from
// are the site's own, and the configuration is the same bytes each time.
func TestConfigCoversContract(t *testing.T) {
	s, err := content.Load(realSite(t))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Config(s)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Config(s)
	if string(raw) != string(again) {
		t.Fatal("Config is not deterministic")
	}
	var c config
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("config.yml is not YAML: %v", err)
	}
	if c.Locale != "sv" || c.Backend.Name != "proxy" || c.Backend.ProxyURL != APIPath {
		t.Fatalf("locale/backend: %+v", c)
	}
	for i, sec := range []content.Section{content.SectionCase, content.SectionTerm, content.SectionPage} {
		col := c.Collections[i]
		if col.Folder != "content/"+sec.Dir() {
			t.Fatalf("collection %d: folder %s", i, col.Folder)
		}
		var want []string
		for _, k := range content.Keys(sec) {
			if !slices.Contains(content.RetiredKeys, k) {
				want = append(want, k)
			}
		}
		got := col.fieldNames()
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: widgets %v\ncontract %v", col.Name, got, want)
		}
	}
	options := func(name string) []string {
		for _, f := range c.Collections[0].Fields {
			if f.Name == name {
				var out []string
				for _, o := range f.Options {
					out = append(out, o.Value)
				}
				return out
			}
		}
		t.Fatalf("no field %s", name)
		return nil
	}
	if n := len(options("municipality")); n != 290 {
		t.Errorf("municipality: %d options, want 290", n)
	}
	if n := len(options("region")); n != 21 {
		t.Errorf("region: %d options, want 21", n)
	}
	if got := options("target_group"); len(got) != len(s.Vocab["target_group"].Values) || !slices.Contains(got, "Målgrupp ej angiven") {
		t.Errorf("target_group: %v", got)
	}
	models := options("investment_model")
	for _, term := range s.Terms {
		if term.IsModel() != slices.Contains(models, term.Title) {
			t.Errorf("investment_model options and the glossary disagree on %q", term.Title)
		}
	}
	if !strings.Contains(string(raw), "value: jamlikt-norra-hisingen-2017") {
		t.Error("the source register is not among the options")
	}
	s.Config.CMS = &content.CMSConfig{Backend: "gitlab", Repo: "kommun/exempelbanken", Branch: "main", EditorialWorkflow: true}
	raw, _ = Config(s)
	for _, want := range []string{"name: gitlab", "repo: kommun/exempelbanken", "local_backend:\n  url: /api/v1", "publish_mode: editorial_workflow"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("with a cms block: missing %q", want)
		}
	}
}
