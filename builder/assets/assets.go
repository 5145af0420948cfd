// Package assets compiles the site's stylesheet with Dart Sass (through
// godartsass and the binary the npm package sass-embedded ships), and
// fingerprints CSS and JavaScript so they can be cached forever.
package assets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/bep/godartsass/v2"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

// Sass is a long-lived Dart Sass process. It is safe for concurrent use.
type Sass struct {
	mu  sync.Mutex
	bin string
	t   *godartsass.Transpiler
}

// NewSass starts Dart Sass from bin.
func NewSass(bin string) (*Sass, error) {
	t, err := godartsass.Start(godartsass.Options{DartSassEmbeddedFilename: bin})
	if err != nil {
		return nil, fmt.Errorf("starta Dart Sass (%s): %w", bin, err)
	}
	return &Sass{bin: bin, t: t}, nil
}

// Close stops the Dart Sass process.
func (s *Sass) Close() error {
	if s == nil || s.t == nil {
		return nil
	}
	return s.t.Close()
}

// Compile compiles the SCSS file entry (relative to root) to compressed CSS.
// Sass errors are returned as *diag.Error with the file and line.
func (s *Sass) Compile(root, entry string) ([]byte, error) {
	full := filepath.Join(root, filepath.FromSlash(entry))
	imp, err := newConfinedImporter(root, entry)
	if err != nil {
		return nil, diag.Errorf(entry, 0, "kan inte läsa stilmallen: %v", err)
	}
	if err := imp.check(entry, full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, diag.Errorf(entry, 0, "stilmallen pekar utanför webbplatsens rot: %v", err)
	}
	src, err := os.ReadFile(full)
	if err != nil {
		return nil, diag.Errorf(entry, 0, "kan inte läsa stilmallen: %v", err)
	}
	s.mu.Lock()
	if s.t.IsShutDown() {
		t, err := godartsass.Start(godartsass.Options{DartSassEmbeddedFilename: s.bin})
		if err != nil {
			s.mu.Unlock()
			return nil, err
		}
		s.t = t
	}
	t := s.t
	s.mu.Unlock()
	res, err := t.Execute(godartsass.Args{
		Source:         string(src),
		URL:            sassScheme + "/" + filepath.ToSlash(entry),
		OutputStyle:    godartsass.OutputStyleCompressed,
		ImportResolver: imp,
	})
	if err != nil {
		var se godartsass.SassError
		if errors.As(err, &se) {
			return nil, sassError(root, entry, src, se)
		}
		return nil, diag.Errorf(entry, 0, "Sass: %v", err)
	}
	return []byte(res.CSS), nil
}

// sassError maps a Sass failure to the file and line it points at.
func sassError(root, entry string, src []byte, se godartsass.SassError) error {
	file, text := entry, src
	if f := fileOfURL(se.Span.Url); f != "" && f != filepath.ToSlash(entry) {
		if b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f))); err == nil {
			file, text = f, b
		}
	}
	line := 0
	if off := se.Span.Start.Offset; off >= 0 && off <= len(text) && (se.Span.Url != "" || se.Span.Text != "") {
		line = 1 + strings.Count(string(text[:off]), "\n")
	}
	return &diag.Error{File: file, Line: line, Msg: "Sass: " + se.Message, Err: se}
}

// Fingerprint returns name with a content hash before its extension:
// ("css/main.css", data) → "css/main.3f2a9c1b0d.css".
func Fingerprint(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

// SourceHash hashes the names and contents of every file below dir, for
// caching compiled output. A symbolic link counts with its target, so a
// stylesheet that links elsewhere is compiled (and checked), never taken
// from the cache of one that did not.
func SourceHash(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if e.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			fmt.Fprintf(h, "link\x00%s\x00", target)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

// File is a static file to publish.
type File struct {
	Name string // output path
	Data []byte
}

// Static reads every file below dir (relative to root), keeping paths.
// Hidden files are skipped. A symbolic link to a file is followed only
// when the file is inside the site root; one that leads outside is an
// error.
func Static(root, dir string) ([]File, error) {
	base := filepath.Join(root, filepath.FromSlash(dir))
	realRoot, rootErr := fsutil.RealRoot(root)
	var out []File
	err := filepath.WalkDir(base, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == base {
				return fs.SkipDir
			}
			return err
		}
		if strings.HasPrefix(e.Name(), ".") && p != base {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 && rootErr == nil {
			if err := fsutil.Within(realRoot, p); err != nil {
				return fmt.Errorf("%s: %w", filepath.ToSlash(p), err)
			}
			if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		} else if e.IsDir() || !e.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(base, p)
		out = append(out, File{Name: filepath.ToSlash(r), Data: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return out, nil
}
