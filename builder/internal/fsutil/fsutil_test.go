package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIsInside(t *testing.T) {
	sep := string(filepath.Separator)
	root := filepath.Join(sep+"srv", "sajt")
	for _, tt := range []struct {
		p    string
		want bool
	}{
		{root, true},
		{filepath.Join(root, "content", "x.md"), true},
		{filepath.Join(root, "..", "sajt", "a"), true},
		{filepath.Join(root, ".."), false},
		{filepath.Join(root, "..", "sajt2", "a"), false},
		{root + "2", false},
		{filepath.Join(root, "..x"), true}, // a name that starts with two dots
		{sep, false},
	} {
		if got := IsInside(root, filepath.Clean(tt.p)); got != tt.want {
			t.Errorf("IsInside(%q, %q) = %v, want %v", root, tt.p, got, tt.want)
		}
	}
}

func TestWithin(t *testing.T) {
	root, err := RealRoot(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	outside, _ := RealRoot(t.TempDir())
	os.WriteFile(filepath.Join(root, "a.md"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(outside, "b.md"), []byte("b"), 0o644)
	if err := os.Symlink("a.md", filepath.Join(root, "in.md")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	os.Symlink(filepath.Join(outside, "b.md"), filepath.Join(root, "out.md"))
	os.Symlink(outside, filepath.Join(root, "dir"))
	for _, tt := range []struct {
		name    string
		outside bool
	}{{"a.md", false}, {"in.md", false}, {"out.md", true}, {filepath.Join("dir", "b.md"), true}} {
		err := Within(root, filepath.Join(root, tt.name))
		var oe *OutsideError
		if got := errors.As(err, &oe); got != tt.outside {
			t.Errorf("%s: %v, want outside %v", tt.name, err, tt.outside)
		}
	}
	if err := Within(root, filepath.Join(root, "saknas.md")); err == nil || errors.As(err, new(*OutsideError)) {
		t.Errorf("missing file: %v", err)
	}
}

// TestRemoveStale removes only the old files that match.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{".lager-gammal", ".lager-ny", "gammal.bin"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(filepath.Join(dir, ".lager-gammal"), old, old)
	os.Chtimes(filepath.Join(dir, "gammal.bin"), old, old)
	RemoveStale(dir, ".lager-*", time.Hour)
	var left []string
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != ".lager-ny gammal.bin" {
		t.Errorf("left %v, want .lager-ny and gammal.bin", left)
	}
}
