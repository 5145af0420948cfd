package cms

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/sv"
)

// File is one file of /admin/.
type File struct {
	Name string // output path: admin/index.html
	Data []byte
	// Make, when set, makes Data (which is nil): the link picker's list
	// of every page (lankar.json), the costly one, which a build makes at
	// once and a preview when it is first read.
	Make func() ([]byte, error)
}

// ErrNoDecap is reported (as a warning: the site builds without it) when
// Decap CMS's scripts are not installed.
var ErrNoDecap = errors.New("webbredigeraren (npm-paketet decap-cms) saknas: kör `make`, packa upp decap-cms bredvid programmet portal eller ange mappen i DECAP_CMS_DIR; /admin/ förklarar det för den som öppnar sidan")

// decapDir finds the folder holding decap-cms.js: DECAP_CMS_DIR, then
// node_modules/decap-cms/dist below root and its parents, then a
// decap-cms folder beside the portal executable.
func decapDir(root string) (string, error) {
	has := func(dir string) bool {
		fi, err := os.Stat(filepath.Join(dir, "decap-cms.js"))
		return err == nil && fi.Mode().IsRegular()
	}
	if d := os.Getenv("DECAP_CMS_DIR"); d != "" {
		if has(d) {
			return d, nil
		}
		return "", fmt.Errorf("DECAP_CMS_DIR=%s: decap-cms.js finns inte där", d)
	}
	if abs, err := filepath.Abs(root); err == nil {
		for dir := abs; ; dir = filepath.Dir(dir) {
			if d := filepath.Join(dir, "node_modules", "decap-cms", "dist"); has(d) {
				return d, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if d := filepath.Join(filepath.Dir(exe), "decap-cms"); has(d) {
			return d, nil
		}
	}
	return "", ErrNoDecap
}

var (
	scriptsMu    sync.Mutex
	scriptsCache = map[string][]File{}
)

// decapScripts reads decap-cms.js and the chunks it loads on demand
// (<n>.decap-cms.js), once per folder and process: they are 6 MB and do
// not change while the preview server runs.
func decapScripts(dir string) ([]File, error) {
	scriptsMu.Lock()
	defer scriptsMu.Unlock()
	if fs, ok := scriptsCache[dir]; ok {
		return fs, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, "decap-cms.js") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: "admin/" + name, Data: b})
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Name, b.Name) })
	scriptsCache[dir] = out
	return out, nil
}

var indexTmpl = template.Must(template.New("admin").Parse(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Redigera – {{.Title}}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
<link rel="stylesheet" href="admin.css">
</head>
<body>
{{- if .Missing}}
<main class="eb-saknas">
<h1>Webbredigeraren är inte installerad</h1>
<p>Den här byggda webbplatsen saknar webbredigeraren (Decap CMS). Kör <code>make</code> i portalens mapp, som installerar den, och bygg igen. Du kan alltid skriva exemplen i en textredigerare: se README.</p>
</main>
{{- else}}
<noscript>Webbredigeraren behöver JavaScript. Du kan också skriva exemplen i en textredigerare: se README.</noscript>
<script src="decap-cms.js"></script>
<script src="lankar.js"></script>
{{- end}}
</body>
</html>
`))

// Admin returns the files of /admin/ for the site: index.html,
// config.yml, the link picker (lankar.js, and lankar.json by File.Make)
// and Decap CMS's scripts. The page has no inline script, so
// a Content-Security-Policy without 'unsafe-inline' covers it. (Decap's
// own preview pane is off, so it needs no stylesheet.) Without Decap installed
// the files are index.html (which says so) and config.yml, and err is
// ErrNoDecap, for the build to warn about.
func Admin(s *content.Site, root string) ([]File, error) {
	cfg, err := Config(s)
	if err != nil {
		return nil, err
	}
	dir, derr := decapDir(root)
	var scripts []File
	if derr == nil {
		scripts, derr = decapScripts(dir)
	}
	var idx strings.Builder
	if err := indexTmpl.Execute(&idx, map[string]any{"Title": s.Config.Title, "Missing": derr != nil}); err != nil {
		return nil, err
	}
	files := []File{{Name: "admin/index.html", Data: []byte(idx.String())}, {Name: "admin/config.yml", Data: cfg},
		{Name: "admin/admin.css", Data: adminCSS}, {Name: "admin/lankar.js", Data: linkPicker},
		{Name: "admin/lankar.json", Make: func() ([]byte, error) { return linkTargets(s) }}}
	return append(files, scripts...), derr
}

var (
	//go:embed admin/admin.css
	adminCSS []byte
	//go:embed admin/lankar.js
	linkPicker []byte
)

// linkTarget is one entry of admin/lankar.json, for the link picker.
type linkTarget struct {
	Title string `json:"title"`
	Slug  string `json:"slug"`
	Link  string `json:"link"` // what goes between [[ and ]]
	Kind  string `json:"kind"` // Exempel, Begrepp, Sida
}

// linkTargets lists every published case, term and page, in Swedish
// order by title, with the wiki link that reaches it: the slug, or
// section/slug where a case has the same slug (cases win).
func linkTargets(s *content.Site) ([]byte, error) {
	// Slugs taken by a section that wins: cases, then terms.
	type keyed struct {
		t   linkTarget
		key []byte // the title's collation key (TitleKey: read with the file)
	}
	taken := map[string]bool{}
	var out []keyed
	add := func(d *content.Doc, kind string) {
		link := d.Slug
		if taken[d.Slug] && d.Section != content.SectionCase {
			link = d.Section.Dir() + "/" + d.Slug
		}
		out = append(out, keyed{linkTarget{Title: d.Title, Slug: d.Slug, Link: link, Kind: kind}, d.TitleKey()})
	}
	mark := func(d *content.Doc) { taken[d.Slug] = true }
	for _, c := range s.Cases {
		add(&c.Doc, "Exempel")
		mark(&c.Doc)
	}
	for _, t := range s.Terms {
		add(&t.Doc, "Begrepp")
	}
	for _, t := range s.Terms {
		mark(&t.Doc)
	}
	for _, p := range s.Pages {
		add(&p.Doc, "Sida")
	}
	sv.SortStableKeyed(out, func(k keyed) []byte { return k.key }, func(k keyed) string { return k.t.Title })
	targets := make([]linkTarget, len(out))
	for i, k := range out {
		targets[i] = k.t
	}
	return json.Marshal(targets)
}
