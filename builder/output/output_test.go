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

// TestDiskMakeDirsAndWrite creates directories ahead of, and at the same
// time as, the files written into them, and checks modes, contents and
// that a directory that cannot be made is reported by Write.
func TestDiskMakeDirsAndWrite(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	dirs := []string{"exempel/a/", "exempel/b/", "begrepp/c/", "../utanför/", "exempel/a/"}
	done := make(chan struct{})
	go func() { d.MakeDirs(dirs); close(done) }()
	for _, name := range []string{"exempel/a/index.html", "exempel/b/index.html", "sok/index.html"} {
		if err := d.Write(name, []byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	if err := d.Write("exempel/a/index.html/x", []byte("x")); err == nil {
		t.Error("writing below a file succeeded")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(pub, "begrepp/c")); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o755&^umask() {
		t.Errorf("begrepp/c: %v %v", fi, err)
	}
	for _, name := range []string{"exempel/a/index.html", "exempel/b/index.html", "sok/index.html"} {
		b, err := os.ReadFile(filepath.Join(pub, name))
		if err != nil || string(b) != name {
			t.Errorf("%s = %q, %v", name, b, err)
		}
		if fi, _ := os.Stat(filepath.Join(pub, name)); fi.Mode().Perm() != 0o644&^umask() {
			t.Errorf("%s mode %v", name, fi.Mode())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "utanför")); err == nil {
		t.Error("MakeDirs created a directory outside the site")
	}
}

func umask() os.FileMode {
	f, err := os.CreateTemp("", "umask")
	if err != nil {
		return 0o022
	}
	defer os.Remove(f.Name())
	f.Close()
	os.Chmod(f.Name(), 0o777)
	probe := filepath.Join(filepath.Dir(f.Name()), filepath.Base(f.Name())+"-d")
	os.Mkdir(probe, 0o777)
	defer os.Remove(probe)
	fi, err := os.Stat(probe)
	if err != nil {
		return 0o022
	}
	return 0o777 &^ fi.Mode().Perm()
}
