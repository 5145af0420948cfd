package cms

import (
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/exempelbanken/portal/builder/content"
)

// File is one file of /admin/.
type File struct {
	Name string // output path: admin/index.html
	Data []byte
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
</head>
<body>
{{- if .Missing}}
<main style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Webbredigeraren är inte installerad</h1>
<p>Den här byggda webbplatsen saknar webbredigeraren (Decap CMS). Kör <code>make</code> i portalens mapp, som installerar den, och bygg igen. Du kan alltid skriva exemplen i en textredigerare: se README.</p>
</main>
{{- else}}
<noscript>Webbredigeraren behöver JavaScript. Du kan också skriva exemplen i en textredigerare: se README.</noscript>
<script src="decap-cms.js"></script>
{{- end}}
</body>
</html>
`))

// Admin returns the files of /admin/ for the site: index.html,
// config.yml and Decap CMS's scripts. The page has no inline script, so
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
	files := []File{{Name: "admin/index.html", Data: []byte(idx.String())}, {Name: "admin/config.yml", Data: cfg}}
	return append(files, scripts...), derr
}
