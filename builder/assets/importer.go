package assets

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bep/godartsass/v2"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

// sassScheme is the URL scheme of the stylesheets the portal hands Dart
// Sass: "portal:/assets/scss/_tokens.scss" is that file below the site
// root. Dart Sass reads no file itself (a file: URL would let it follow
// any import on the file system); every import goes through a
// confinedImporter.
const sassScheme = "portal:"

// confinedImporter resolves Sass imports (@use, @forward, @import,
// meta.load-css) to files below the site's assets/ folder and its
// node_modules/, and refuses everything else: absolute paths, file: URLs,
// "../" out of assets/, and symbolic links whose target lies outside
// those folders.
type confinedImporter struct {
	root     string // the site root, absolute
	entryDir string // the folder of the entry stylesheet, slash-separated and root-relative
	allowed  []string
}

var _ godartsass.ImportResolver = (*confinedImporter)(nil)

// errOutside is the message for an import outside the allowed folders.
var errOutside = errors.New("importer får bara läsa filer i assets/ och node_modules/")

func newConfinedImporter(root, entry string) (*confinedImporter, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	real, err := fsutil.RealRoot(abs)
	if err != nil {
		return nil, err
	}
	return &confinedImporter{
		root:     abs,
		entryDir: path.Dir(filepath.ToSlash(entry)),
		allowed:  []string{filepath.Join(real, "assets"), filepath.Join(real, "node_modules")},
	}, nil
}

// CanonicalizeURL implements godartsass.ImportResolver. url is either
// relative to the entry stylesheet (as written in it), or already
// resolved by Dart Sass against the portal: URL of the stylesheet that
// imports it. Bare names not found beside the importer are looked up in
// node_modules/, as Sass load paths would.
func (c *confinedImporter) CanonicalizeURL(url string) (string, error) {
	var rel string
	switch {
	case strings.HasPrefix(url, sassScheme):
		rel = strings.TrimPrefix(strings.TrimPrefix(url, sassScheme), "/")
	case strings.HasPrefix(url, "sass:"):
		return "", nil // built-in modules are Dart Sass's own
	case strings.Contains(url, ":") || strings.HasPrefix(url, "/") || strings.HasPrefix(url, `\`):
		return "", fmt.Errorf("%w (fick %q)", errOutside, url)
	default:
		rel = path.Join(c.entryDir, url)
	}
	rel = path.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%w (fick %q)", errOutside, url)
	}
	found, err := c.find(rel)
	if err != nil || found != "" {
		return found, err
	}
	// A bare name: node_modules, like a load path.
	if !strings.HasPrefix(url, sassScheme) && !strings.HasPrefix(url, ".") {
		return c.find(path.Join("node_modules", path.Clean(url)))
	}
	return "", nil
}

// find returns the portal: URL of the file Sass would load for rel (a
// root-relative path without or with extension), or "" if there is none.
func (c *confinedImporter) find(rel string) (string, error) {
	dir, base := path.Split(rel)
	var candidates []string
	switch path.Ext(base) {
	case ".scss", ".css", ".sass":
		candidates = []string{dir + "_" + base, rel}
	default:
		for _, ext := range []string{".scss", ".sass", ".css"} {
			candidates = append(candidates, dir+"_"+base+ext, rel+ext)
		}
		candidates = append(candidates, rel+"/_index.scss", rel+"/index.scss")
	}
	for _, cand := range candidates {
		full := filepath.Join(c.root, filepath.FromSlash(cand))
		fi, err := os.Stat(full)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if err := c.check(cand, full); err != nil {
			return "", err
		}
		return sassScheme + "/" + cand, nil
	}
	return "", nil
}

// check refuses a file whose real path is not inside an allowed folder.
func (c *confinedImporter) check(rel, full string) error {
	// Relative to the working directory when the site root is (-root .):
	// compared with the absolute allowed folders only once absolute.
	abs, err := filepath.Abs(full)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return err
	}
	for _, a := range c.allowed {
		if fsutil.IsInside(a, real) {
			return nil
		}
	}
	if abs != real {
		return fmt.Errorf("%w, inte %s (som pekar på %s)", errOutside, rel, real)
	}
	return fmt.Errorf("%w, inte %s", errOutside, rel)
}

// Load implements godartsass.ImportResolver for a URL CanonicalizeURL
// returned.
func (c *confinedImporter) Load(url string) (godartsass.Import, error) {
	rel := strings.TrimPrefix(strings.TrimPrefix(url, sassScheme), "/")
	full := filepath.Join(c.root, filepath.FromSlash(rel))
	if err := c.check(rel, full); err != nil {
		return godartsass.Import{}, err
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return godartsass.Import{}, err
	}
	syntax := godartsass.SourceSyntaxSCSS
	switch path.Ext(rel) {
	case ".css":
		syntax = godartsass.SourceSyntaxCSS
	case ".sass":
		syntax = godartsass.SourceSyntaxSASS
	}
	return godartsass.Import{Content: string(b), SourceSyntax: syntax}, nil
}

// fileOfURL returns the root-relative file a Sass span URL names, or "".
func fileOfURL(u string) string {
	if !strings.HasPrefix(u, sassScheme) {
		return ""
	}
	return strings.TrimPrefix(strings.TrimPrefix(u, sassScheme), "/")
}
