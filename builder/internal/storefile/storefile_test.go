package storefile

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRoundTrip: what Write writes Read reads back, and a file that is
// damaged anywhere, cut short, of another magic or missing reads as none.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		read func(file, magic string) (*Decoder, bool)
	}{{"Read", Read}, {"Map", Map}} {
		t.Run(tc.name, func(t *testing.T) { testRoundTrip(t, tc.read) })
	}
}

// testRoundTrip writes a file and reads it back with read; each damaged
// version is a file of its own (a mapped file is never rewritten in
// place).
func testRoundTrip(t *testing.T, read func(file, magic string) (*Decoder, bool)) {
	dir := filepath.Join(t.TempDir(), "lager")
	file := filepath.Join(dir, "a.bin")
	err := Write(file, "test-1\n", func(e *Encoder) {
		e.Uint(3)
		e.Str("förskola")
		e.Bytes([]byte{0, 1, 2})
		e.Str("")
	})
	if err != nil {
		t.Fatal(err)
	}
	d, ok := read(file, "test-1\n")
	if !ok {
		t.Fatal("not read back")
	}
	if n, s, b, e := d.Count(), d.Str(), d.Bytes(), d.Str(); n != 3 || s != "förskola" || string(b) != "\x00\x01\x02" || e != "" || !d.Ok() {
		t.Errorf("read %d %q %v %q, ok %v", n, s, b, e, d.Ok())
	}
	good, _ := os.ReadFile(file)
	for i, bad := range [][]byte{good[:len(good)-1], flip(good, len(good)/2), flip(good, 0), nil} {
		f := filepath.Join(dir, fmt.Sprintf("skadad-%d.bin", i))
		os.WriteFile(f, bad, 0o644)
		if _, ok := read(f, "test-1\n"); ok {
			t.Errorf("damaged file %d read", i)
		}
	}
	if _, ok := read(file, "test-2\n"); ok {
		t.Error("a file of another magic read")
	}
	if _, ok := read(file+".saknas", "test-1\n"); ok {
		t.Error("a missing file read")
	}
	// More fields asked for than written: damaged, not a panic.
	d, _ = read(file, "test-1\n")
	d.Count()
	d.Str()
	d.Bytes()
	d.Str()
	if d.Str(); d.Ok() || !d.Err() {
		t.Error("reading past the end went unnoticed")
	}
	// A file replaced (Write renames a new one over it) leaves what was
	// read from the old one as it was.
	d, _ = read(file, "test-1\n")
	d.Count()
	s := d.Str()
	Write(file, "test-1\n", func(e *Encoder) { e.Uint(1); e.Str("skola") })
	if s != "förskola" {
		t.Errorf("a string read before the file was replaced is now %q", s)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

// TestPath: one file per site root and store, none without a cache folder.
func TestPath(t *testing.T) {
	a, b := Path("/cache", "sidor", "/sajt/a"), Path("/cache", "sidor", "/sajt/b")
	if a == b || a != Path("/cache", "sidor", "/sajt/a/") || filepath.Dir(a) != filepath.FromSlash("/cache/sidor") {
		t.Errorf("paths %q and %q", a, b)
	}
	if Path("", "sidor", "/sajt/a") != "" {
		t.Error("a path without a cache folder")
	}
	if s := Segment(a, 3); filepath.Dir(s) != filepath.Dir(a) || s != strings.TrimSuffix(a, ".bin")+"-3.bin" || Segment(a, 4) == s {
		t.Errorf("segment 3 of %q is %q", a, s)
	}
}

// TestPrune: files nothing wrote for maxAge go, except the stores of the
// site being built (marked as used) and the unpacked themes; the rest
// stay, and a second prune of the same site within the interval does
// nothing.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-40*24*time.Hour), now.Add(-2*24*time.Hour)
	here, gone := filepath.Join(dir, "sajt"), filepath.Join(dir, "flyttad")
	files := map[string]time.Time{
		Path(dir, "sidor", here):                          old,    // this site's store, unchanged for long
		Segment(Path(dir, "innehall", here), 3):           old,    // and a segment of one
		Path(dir, "sidor", gone):                          old,    // a site moved away
		Segment(Path(dir, "innehall", gone), 3):           old,    // its segment
		Path(dir, "sokindex", gone):                       recent, // recent: kept
		filepath.Join(dir, "css", "0cbf720d.css"):         old,    // a stylesheet of long-replaced styles
		filepath.Join(dir, "data", "4995.xlsx"):           recent,
		filepath.Join(dir, "tema-5855db27", "a.txt"):      old, // an unpacked theme
		filepath.Join(dir, "tema-5855db27", "x", "b.txt"): old,
	}
	for f, mod := range files {
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(f, mod, mod)
	}
	gonePaths := []string{Path(dir, "sidor", gone), Segment(Path(dir, "innehall", gone), 3), filepath.Join(dir, "css", "0cbf720d.css")}
	if n := Prune(dir, here, 30*24*time.Hour, 24*time.Hour, now); n != len(gonePaths) {
		t.Errorf("%d files removed, want %d", n, len(gonePaths))
	}
	for f := range files {
		st, err := os.Stat(f)
		if want := !slices.Contains(gonePaths, f); (err == nil) != want {
			t.Errorf("%s: kept %v, want %v", f, err == nil, want)
		}
		// The site's own stores are marked as used.
		if own := strings.Contains(f, filepath.Base(strings.TrimSuffix(Path(dir, "x", here), ".bin"))); err == nil && own != st.ModTime().Equal(now) {
			t.Errorf("%s: time %v, now %v (the site's own: %v)", f, st.ModTime(), now, own)
		}
	}
	// Within the interval nothing is looked at; after it, again.
	stale := Path(dir, "sidor", gone)
	os.WriteFile(stale, []byte("x"), 0o644)
	os.Chtimes(stale, old, old)
	if n := Prune(dir, here, 30*24*time.Hour, 24*time.Hour, now.Add(time.Hour)); n != 0 {
		t.Errorf("a second prune within the day removed %d files", n)
	}
	if n := Prune(dir, here, 30*24*time.Hour, 24*time.Hour, now.Add(25*time.Hour)); n != 1 {
		t.Errorf("a prune a day later removed %d files, want 1", n)
	}
	if Prune("", here, time.Hour, time.Hour, now) != 0 {
		t.Error("a prune without a cache folder")
	}
	// Each site keeps its own day: another site's build prunes at once,
	// and a month later the first site's mark goes with its files.
	os.WriteFile(stale, []byte("x"), 0o644)
	os.Chtimes(stale, old, old)
	other := filepath.Join(dir, "annan")
	if n := Prune(dir, other, 30*24*time.Hour, 24*time.Hour, now.Add(26*time.Hour)); n != 1 {
		t.Errorf("another site's first prune removed %d files, want 1", n)
	}
	Prune(dir, other, 30*24*time.Hour, 24*time.Hour, now.Add(60*24*time.Hour))
	marks, _ := filepath.Glob(filepath.Join(dir, ".rensat-*"))
	if len(marks) != 1 {
		t.Errorf("marks left: %v", marks)
	}
}
