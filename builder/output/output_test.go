package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	for in, ok := range map[string]bool{"index.html": true, "a/b.css": true, "/a/b": true, "../x": false, "a/../../x": false, "a/./b": false, "": false, `a\b`: false} {
		_, err := CleanPath(in)
		if (err == nil) != ok {
			t.Errorf("CleanPath(%q) err = %v, want ok=%v", in, err, ok)
		}
	}
}

func TestDiskCommitSwapsAtomically(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	for i, content := range []string{"ett", "två"} {
		d, err := NewDisk(pub)
		if err != nil {
			t.Fatal(err)
		}
		d.Durable = i == 1 // both paths
		if err := d.Write("index.html", []byte(content)); err != nil {
			t.Fatal(err)
		}
		if err := d.Write("a/b/c.txt", []byte("c")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			// Before commit the published folder does not exist yet.
			if _, err := os.Stat(pub); !os.IsNotExist(err) {
				t.Fatalf("public exists before commit: %v", err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(pub, "index.html"))
		if string(b) != content {
			t.Errorf("index.html = %q, want %q", b, content)
		}
	}
	assertOnly(t, dir, "public")
}

func TestDiskRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	d, err := NewDisk("public")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Write("a/b/index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "public/a/b/index.html")); err != nil || string(b) != "x" {
		t.Errorf("got %q %v", b, err)
	}
}

func TestDiskAbortKeepsOld(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	os.MkdirAll(pub, 0o755)
	os.WriteFile(filepath.Join(pub, "index.html"), []byte("gammal"), 0o644)
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	d.Write("index.html", []byte("ny"))
	if err := d.Write("../utanför", []byte("x")); err == nil {
		t.Error("write outside the build was allowed")
	}
	d.Abort()
	b, _ := os.ReadFile(filepath.Join(pub, "index.html"))
	if string(b) != "gammal" {
		t.Errorf("old site changed: %q", b)
	}
	assertOnly(t, dir, "public")
}

func TestLeftoversAreCleaned(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	// A killed build leaves a temporary folder; a killed fallback swap
	// leaves the old site beside a missing public/.
	os.MkdirAll(filepath.Join(dir, ".public-bygge-123"), 0o755)
	os.MkdirAll(filepath.Join(dir, ".public-gammal"), 0o755)
	os.WriteFile(filepath.Join(dir, ".public-gammal", "index.html"), []byte("räddad"), 0o644)
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()
	b, err := os.ReadFile(filepath.Join(pub, "index.html"))
	if err != nil || string(b) != "räddad" {
		t.Errorf("old site not restored: %q %v", b, err)
	}
	assertOnly(t, dir, "public")
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestMemory(t *testing.T) {
	m := NewMemory()
	m.Write("b.html", []byte("b"))
	m.Write("/a.html", []byte("a"))
	if m.Len() != 2 || strings.Join(m.Names(), ",") != "a.html,b.html" || !m.Equal("a.html", []byte("a")) {
		t.Errorf("memory = %v", m.Names())
	}
	m.Delete("a.html")
	if _, ok := m.Get("a.html"); ok {
		t.Error("delete failed")
	}
}
