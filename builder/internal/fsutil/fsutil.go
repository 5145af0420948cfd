// Package fsutil holds small file-system helpers shared by the builder's
// packages, tools and tests.
package fsutil

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// CopyTree copies the file or folder from to to, creating folders as needed.
func CopyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		out := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
}

// Within reports whether the file at p, with every symbolic link on its
// way resolved, lies inside the folder realRoot (itself a real path, as
// filepath.EvalSymlinks returns it). The error is nil when it does, and
// says where p leads otherwise; a p that cannot be resolved returns the
// resolution error.
func Within(realRoot, p string) error {
	abs, err := filepath.Abs(p)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return err
	}
	if !IsInside(realRoot, real) {
		return &OutsideError{Path: p, Target: real}
	}
	return nil
}

// IsInside reports whether the cleaned path p is dir or below it.
func IsInside(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && !filepath.IsAbs(r) && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// OutsideError is a file whose real path lies outside the site root.
type OutsideError struct {
	Path, Target string
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("pekar utanför webbplatsens rot (till %s)", e.Target)
}

// RealRoot returns the real absolute path of the site root, for Within.
func RealRoot(root string) (string, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// RemoveStale removes the files in dir matching pattern (filepath.Match)
// that were last modified more than age ago: the temporary files of
// saves that a killed process left behind. A younger one may be another
// process's save in progress.
func RemoveStale(dir, pattern string, age time.Duration) {
	old, _ := filepath.Glob(filepath.Join(dir, pattern))
	for _, f := range old {
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > age {
			os.Remove(f)
		}
	}
}
