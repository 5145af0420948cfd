package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

func TestCleanPath(t *testing.T) {
	for in, ok := range map[string]bool{"index.html": true, "a/b.css": true, "/a/b": true, "../x": false, "a/../../x": false,
		"a/./b": false, "": false, `a\b`: false, "/": false, "//a": false, "a//b": false, "a/": false, ".": false, "..": false,
		"a/.": false, "a/..": false, "./a": false, ".a/b..": true, "exempel/å/index.html": true} {
		c, err := CleanPath(in)
		if (err == nil) != ok {
			t.Errorf("CleanPath(%q) err = %v, want ok=%v", in, err, ok)
		}
		if want, wantOK := cleanPathByClean(in); c != want || ok != wantOK {
			t.Errorf("CleanPath(%q) = %q, %v; path.Clean says %q, %v", in, c, err, want, wantOK)
		}
	}
	// A valid path comes back as part of the name, not a copy.
	name := "exempel/minimili/index.html"
	if n := testing.AllocsPerRun(100, func() { CleanPath(name) }); n != 0 {
		t.Errorf("CleanPath allocates %v times", n)
	}
}

// cleanPathByClean is CleanPath by its definition: the path as
// path.Clean leaves it, without backslashes.
func cleanPathByClean(name string) (string, bool) {
	c := path.Clean("/" + name)[1:]
	if c == "" || c != strings.TrimPrefix(name, "/") || strings.Contains(name, `\`) {
		return "", false
	}
	return c, true
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"index.html", "/a/b", "a/../b", "a//b", "./a", "a/", `a\b`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		c, err := CleanPath(name)
		want, ok := cleanPathByClean(name)
		if c != want || (err == nil) != ok {
			t.Errorf("CleanPath(%q) = %q, %v; path.Clean says %q, %v", name, c, err, want, ok)
		}
	})
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
	// The previous site waits beside public/ for the next build.
	assertOnly(t, dir, ".public-förteckning", ".public-lås", ".public-reserv", "public")
	if b, _ := os.ReadFile(filepath.Join(dir, ".public-reserv", "index.html")); string(b) != "ett" {
		t.Errorf("spare holds %q, want the previous site", b)
	}
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
	os.WriteFile(filepath.Join(pub, Marker), nil, 0o644)
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
	assertOnly(t, dir, ".public-lås", "public")
}

func TestLeftoversAreCleaned(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	// A killed build leaves a temporary folder; a killed fallback swap
	// leaves the old site beside a missing public/.
	for _, p := range []string{".public-bygge-123", ".public-gammal"} {
		os.MkdirAll(filepath.Join(dir, p), 0o755)
		os.WriteFile(filepath.Join(dir, p, Marker), nil, 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".public-gammal", "index.html"), []byte("räddad"), 0o644)
	// Look-alikes without the marker are the user's and stay as they are.
	os.MkdirAll(filepath.Join(dir, ".public-bygge-mitt"), 0o755)
	os.WriteFile(filepath.Join(dir, ".public-bygge-mitt", "viktig.txt"), []byte("min"), 0o644)
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	d.Abort()
	b, err := os.ReadFile(filepath.Join(pub, "index.html"))
	if err != nil || string(b) != "räddad" {
		t.Errorf("old site not restored: %q %v", b, err)
	}
	// The killed build's folder became the spare.
	assertOnly(t, dir, ".public-bygge-mitt", ".public-lås", ".public-reserv", "public")
	if b, err := os.ReadFile(filepath.Join(dir, ".public-bygge-mitt", "viktig.txt")); string(b) != "min" {
		t.Errorf("a folder without the marker was touched: %q %v", b, err)
	}
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
	if a, _ := m.Get("a.html"); m.Len() != 2 || strings.Join(m.Names(), ",") != "a.html,b.html" || !bytes.Equal(a, []byte("a")) {
		t.Errorf("memory = %v", m.Names())
	}
	m.Delete("a.html")
	if _, ok := m.Get("a.html"); ok {
		t.Error("delete failed")
	}
}

// TestMemoryWriteLater: files of WriteLater are listed at once, made on
// the first read of any of them and only once (a clone shares them), and
// a failure to make them is each name's error.
func TestMemoryWriteLater(t *testing.T) {
	m := NewMemory()
	made := 0
	m.WriteLater([]string{"data/a.json", "data/index.html"}, func() (map[string][]byte, error) {
		made++
		return map[string][]byte{"data/a.json": []byte("{}"), "data/index.html": []byte("<p>")}, nil
	})
	m.Write("index.html", []byte("start"))
	c := m.Clone()
	if made != 0 || m.Len() != 3 || strings.Join(m.Names(), ",") != "data/a.json,data/index.html,index.html" {
		t.Fatalf("made %d times, names %v", made, m.Names())
	}
	if !m.Later("data/a.json") || m.Later("index.html") {
		t.Error("Later wrong")
	}
	each := func() string {
		var names []string
		m.Each(func(name string, data []byte) { names = append(names, name+"="+string(data)) })
		slices.Sort(names)
		return strings.Join(names, ",")
	}
	if got := each(); got != "index.html=start" {
		t.Errorf("Each visits %s, want only the file written", got)
	}
	if b, ok := c.Get("data/index.html"); !ok || string(b) != "<p>" {
		t.Errorf("clone: %q %v", b, ok)
	}
	if b, ok := m.Get("data/a.json"); !ok || string(b) != "{}" || made != 1 {
		t.Errorf("got %q %v, made %d times", b, ok, made)
	}
	m.Write("data/a.json", []byte("[]"))
	if b, _ := m.Get("data/a.json"); string(b) != "[]" || m.Later("data/a.json") {
		t.Errorf("Write does not replace a later file: %q", b)
	}
	if got := each(); got != "data/a.json=[],index.html=start" {
		t.Errorf("after Write, Each visits %s", got)
	}
	f := NewMemory()
	f.WriteLater([]string{"x.xlsx"}, func() (map[string][]byte, error) { return nil, fmt.Errorf("trasig") })
	if _, err := f.Open("x.xlsx"); err == nil || err.Error() != "trasig" {
		t.Errorf("error %v", err)
	}
	if _, err := f.Open("y.xlsx"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
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

// files lists the regular files below root with their contents, except
// the Marker, which must be there.
func files(t *testing.T, root string) map[string]string {
	t.Helper()
	if !isOurs(root) {
		t.Errorf("%s has no %s", root, Marker)
	}
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == Marker {
			return nil
		}
		if e.Type()&os.ModeSymlink != 0 {
			out[rel] = "<länk>"
			return nil
		}
		b, _ := os.ReadFile(p)
		out[rel] = string(b)
		return nil
	})
	return out
}

func inode(t *testing.T, p string) uint64 { return sitetest.Inode(t, p) }

// TestDiskReusesSpare: the third build overwrites the first build's files
// in place (same inodes), replaces whatever stands in the way (a directory
// where a file goes, a file where a directory goes, links pointing out of
// the site), and publishes exactly what it wrote.
func TestDiskReusesSpare(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	outside := filepath.Join(dir, "utanför")
	os.MkdirAll(outside, 0o755)
	os.WriteFile(filepath.Join(outside, "viktig.txt"), []byte("orörd"), 0o644)
	build := func(write map[string]string, between func(d *Disk)) *Disk {
		t.Helper()
		d, err := NewDisk(pub)
		if err != nil {
			t.Fatal(err)
		}
		if between != nil {
			between(d)
		}
		for _, name := range []string{"a.html", "f", "f/index.html", "g", "g/index.html", "x/index.html", "y/index.html", "stale/index.html", "link", "sd/index.html"} {
			if data, ok := write[name]; ok {
				if err := d.Write(name, []byte(data)); err != nil {
					t.Fatalf("write %s: %v", name, err)
				}
			}
		}
		if err := d.Prune(); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d1 := build(map[string]string{"a.html": "1", "f/index.html": "1", "g": "1", "x/index.html": "1", "stale/index.html": "1"}, func(d *Disk) {
		os.MkdirAll(filepath.Join(d.Dir(), "pagefind"), 0o755) // a search indexer's files
		os.WriteFile(filepath.Join(d.Dir(), "pagefind", "p.js"), []byte("1"), 0o644)
	})
	if d1.reused {
		t.Fatal("the first build reused a tree")
	}
	first := inode(t, filepath.Join(pub, "a.html"))
	build(map[string]string{"a.html": "2"}, nil)
	// Links planted in the spare must not lead writes out of the site.
	spare := filepath.Join(dir, ".public-reserv")
	os.Symlink(filepath.Join(outside, "viktig.txt"), filepath.Join(spare, "link"))
	os.Symlink(outside, filepath.Join(spare, "sd"))
	d3 := build(map[string]string{"a.html": "3", "f": "3", "g/index.html": "3", "x/index.html": "3", "y/index.html": "3",
		"link": "3", "sd/index.html": "3"}, nil)
	if !d3.reused {
		t.Fatal("the third build did not reuse the spare")
	}
	want := map[string]string{"a.html": "3", "f": "3", "g/index.html": "3", "x/index.html": "3", "y/index.html": "3",
		"link": "3", "sd/index.html": "3"}
	got := files(t, pub)
	if len(got) != len(want) {
		t.Errorf("public holds %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if inode(t, filepath.Join(pub, "a.html")) != first {
		t.Error("a.html was created anew, not overwritten in place")
	}
	if b, _ := os.ReadFile(filepath.Join(outside, "viktig.txt")); string(b) != "orörd" {
		t.Errorf("a write followed a link out of the site: %q", b)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 1 {
		t.Errorf("a write went through a linked directory: %v", ents)
	}
}

// TestDiskCommitNeedsPrune: a reused tree that was never pruned could
// publish pages of an older site, so Commit refuses it.
func TestDiskCommitNeedsPrune(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	for i := 0; i < 2; i++ {
		d, _ := NewDisk(pub)
		d.Write("gammal.html", []byte("x"))
		d.Prune()
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := NewDisk(pub)
	if !d.reused {
		t.Fatal("no spare reused")
	}
	d.Write("index.html", []byte("ny"))
	if err := d.Commit(); err == nil {
		t.Fatal("Commit of an unpruned reused tree succeeded")
	}
	if got := files(t, pub); len(got) != 1 || got["gammal.html"] != "x" {
		t.Errorf("public changed: %v", got)
	}
}

// TestWriteFileReplaces: a shorter file written over a longer one leaves
// nothing of the old contents.
func TestWriteFileReplaces(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.html")
	for _, s := range []string{"en lång gammal text", "kort", "", "längre än kort"} {
		if _, err := writeFile(p, []byte(s), false); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); string(b) != s {
			t.Errorf("after writing %q the file holds %q", s, b)
		}
	}
}

// TestDiskWriteTwice: a path written twice in one build holds the second
// contents, whether the file is new or came with the spare.
func TestDiskWriteTwice(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	for build := range 3 {
		d, err := NewDisk(pub)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"en längre första text", "kort"} {
			if err := d.Write("a/index.html", []byte(s)); err != nil {
				t.Fatal(err)
			}
			if err := d.Write(fmt.Sprintf("ny%d.html", build), []byte(s)); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Prune(); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		got := files(t, pub)
		want := map[string]string{"a/index.html": "kort", fmt.Sprintf("ny%d.html", build): "kort"}
		if len(got) != len(want) || got["a/index.html"] != "kort" || got[fmt.Sprintf("ny%d.html", build)] != "kort" {
			t.Errorf("build %d: public holds %v, want %v", build, got, want)
		}
	}
}

// TestDiskSkipsUnchanged: a build leaves alone the files of the spare that
// it would write with the same contents, by the inventory, and writes
// every other one: changed contents, files changed by hand since (also
// with the old modification time put back, where the system reports the
// change time), and everything when the inventory is missing or damaged.
// buildSite builds the files of write into pub with a Disk, and checks
// that pub then holds them and nothing else.
func buildSite(t *testing.T, pub string, write map[string]string) *Disk {
	t.Helper()
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range slices.Sorted(maps.Keys(write)) {
		if err := d.Write(name, []byte(write[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Prune(); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := files(t, pub); !maps.Equal(got, write) {
		t.Fatalf("public holds %v, want %v", got, write)
	}
	return d
}

// TestDiskListsFoldersByInventory: a Disk reads only the folders of the
// spare that something was added to or removed from since the build that
// wrote it (their stamps are not the inventory's); what was added by hand
// is still found and pruned.
func TestDiskListsFoldersByInventory(t *testing.T) {
	if _, ok := dirStamp(t.TempDir()); !ok {
		t.Skip("no stamps of folders on this system: every folder is read")
	}
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	spare := filepath.Join(dir, ".public-reserv")
	site := map[string]string{"index.html": "start", "a/index.html": "a", "a/b/index.html": "b", "a/b/c/index.html": "c",
		"d/index.html": "d", "d/e.css": "e"}
	build := func(step string, read int64) {
		t.Helper()
		before := dirsRead.Load()
		buildSite(t, pub, site) // fails on any file left by hand
		if n := dirsRead.Load() - before; n != read {
			t.Errorf("%s: %d folders read, want %d", step, n, read)
		}
	}
	build("new", 0)
	build("new again", 0)
	build("the spare as it was left", 1) // the root only
	// By hand: a file added to a/b/ of the spare, one to d/ of the
	// published site (the spare after the next build), a folder to a/.
	os.WriteFile(filepath.Join(spare, "a", "b", "extra.html"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(pub, "d", "extra.html"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(spare, "a", "ny"), 0o755)
	build("files and a folder added to the spare", 4) // root, a, a/b, a/ny
	build("a file added to the published site", 2)    // root, d
	build("the spare as it was left", 1)
	// A file removed by hand, and one this build no longer writes.
	os.Remove(filepath.Join(spare, "a", "b", "c", "index.html"))
	delete(site, "d/e.css")
	build("a file removed from the spare", 2) // root, a/b/c
	build("the spare pruned", 1)
	build("both trees as written", 1)
	// Without a readable inventory every folder is read.
	os.WriteFile(filepath.Join(dir, ".public-förteckning"), []byte("skräp"), 0o644)
	build("no inventory", 5)
}

func TestDiskSkipsUnchanged(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	spare := filepath.Join(dir, ".public-reserv")
	build := func(write map[string]string) *Disk { t.Helper(); return buildSite(t, pub, write) }
	site := map[string]string{"a.html": "1", "b/index.html": "samma", "c.html": "x", "d.html": "d", "e.html": "e"}
	for range 2 {
		if d := build(site); d.Unchanged() != 0 {
			t.Fatalf("a build into a new folder left %d files unchanged", d.Unchanged())
		}
	}
	before, _ := fileStamp(filepath.Join(spare, "b", "index.html"))
	// By hand, in the spare: c.html changed, and its time put back
	// (Windows reports no change time: there the stamp is size and
	// modification time alone); d.html changed (same size); e.html
	// replaced by another file.
	tamper(t, filepath.Join(spare, "c.html"), "y", runtime.GOOS != "windows")
	tamper(t, filepath.Join(spare, "d.html"), "D", false)
	os.Remove(filepath.Join(spare, "e.html"))
	os.WriteFile(filepath.Join(spare, "e.html"), []byte("e"), 0o644)
	site["a.html"] = "2"
	d := build(site) // checks that every file holds what was written
	after, _ := fileStamp(filepath.Join(pub, "b", "index.html"))
	if d.Unchanged() != 1 || before != after {
		t.Errorf("%d files left unchanged (want 1: b/index.html); its stamp %v, before %v", d.Unchanged(), after, before)
	}
	// The next build reuses what the first two left: only b/ and c.html,
	// d.html, e.html as the second build wrote them.
	if d := build(site); d.Unchanged() != 4 {
		t.Errorf("%d files left unchanged, want 4", d.Unchanged())
	}
	// Without a readable inventory everything is written.
	inv := filepath.Join(dir, ".public-förteckning")
	b, err := os.ReadFile(inv)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	os.WriteFile(inv, b, 0o644)
	if d := build(site); d.Unchanged() != 0 {
		t.Errorf("a damaged inventory left %d files unchanged", d.Unchanged())
	}
	// Nor without one: the build after it finds the spare that the build
	// before wrote, and no record of it either.
	os.Remove(inv)
	for range 2 {
		if d := build(site); d.Unchanged() != 0 {
			t.Errorf("a missing inventory left %d files unchanged", d.Unchanged())
		}
	}
	if d := build(site); d.Unchanged() != len(site) {
		t.Errorf("%d files left unchanged, want all %d", d.Unchanged(), len(site))
	}
}

// tamper overwrites the file at p with s, as an editor would, and with
// keepTime puts its modification time back.
func tamper(t *testing.T, p, s string, keepTime bool) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // past the file system's clock tick
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if keepTime {
		os.Chtimes(p, fi.ModTime(), fi.ModTime())
	}
}

// TestDiskKeep: Keep puts a file of the last build in the new one without
// its contents, from the spare or else from the published site, only
// while the inventory vouches for the copy; otherwise it reports false and
// the caller writes the file.
func TestDiskKeep(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	body := []byte("<p>samma sida</p>")
	size, sum := len(body), Checksum(body)
	build := func(step string, keep bool, wantKept bool) {
		t.Helper()
		d, err := NewDisk(pub)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Write("index.html", []byte(step)); err != nil {
			t.Fatal(err)
		}
		if keep {
			if d.Keep("b/index.html", size+1, sum, false) || d.Keep("b/index.html", size, sum^1, false) || d.Keep("saknas.html", size, sum, false) {
				t.Errorf("%s: Keep vouched for a file of another length or checksum, or none", step)
			}
			kept := d.Keep("b/index.html", size, sum, false)
			if kept != wantKept {
				t.Errorf("%s: Keep = %v, want %v", step, kept, wantKept)
			}
			if !kept {
				d.Write("b/index.html", body)
			}
		} else if err := d.Write("b/index.html", body); err != nil {
			t.Fatal(err)
		}
		if err := d.Prune(); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := files(t, pub); got["b/index.html"] != string(body) || len(got) != 2 {
			t.Errorf("%s: public holds %v", step, got)
		}
	}
	build("first", false, false)
	build("second: copied from public", true, true)
	tamper(t, filepath.Join(pub, "b", "index.html"), "<p>ändrad sida!</p>", false)
	build("third: from the spare", true, true)
	// The spare is now the tampered site: the published copy is used.
	build("fourth: copied from public again", true, true)
	tamper(t, filepath.Join(pub, "b", "index.html"), "<p>ändrad sida!</p>", false)
	tamper(t, filepath.Join(dir, ".public-reserv", "b", "index.html"), "<p>ändrad sida!</p>", false)
	build("fifth: neither holds it", true, false)
}
