package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// snapshot lists every path below dir (and dir's siblings) with the
// contents of files, to show that a refused build touched nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		b.WriteString(p + "\n")
		if e.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		return nil
	})
	return b.String()
}

// TestNewDiskRefuses: an output folder that the portal did not make, and
// the places a site must never go, are refused with a *TargetError before
// anything is moved, deleted or made.
func TestNewDiskRefuses(t *testing.T) {
	base := t.TempDir()
	home := filepath.Join(base, "hem")
	root := filepath.Join(home, "sajt")
	for _, d := range []string{"content/exempel", "layouts", "assets/scss", "docs", "tom", "byggd"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "content/exempel/a.md"), []byte("---\ntitle: A\n---\n"), 0o644)
	os.WriteFile(filepath.Join(root, "docs/rapport.txt"), []byte("mitt arbete"), 0o644)
	os.WriteFile(filepath.Join(root, "byggd", Marker), nil, 0o644)
	os.WriteFile(filepath.Join(root, "byggd", "index.html"), []byte("gammal"), 0o644)
	os.WriteFile(filepath.Join(root, "fil.txt"), []byte("en fil"), 0o644)
	os.Symlink(filepath.Join(root, "content"), filepath.Join(base, "genväg"))
	os.Symlink(filepath.Join(root, "byggd"), filepath.Join(root, "länk"))
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)

	tests := []struct {
		name, out string
		want      string // "" when the build may go ahead
	}{
		{"new folder", filepath.Join(root, "public"), ""},
		{"empty folder", filepath.Join(root, "tom"), ""},
		{"earlier build", filepath.Join(root, "byggd"), ""},
		{"folder of the user's", filepath.Join(root, "docs"), "filen .exempelbanken-utdata saknas"},
		{"a file", filepath.Join(root, "fil.txt"), "finns redan och är ingen mapp"},
		{"a link", filepath.Join(root, "länk"), "är en symbolisk länk"},
		{"site root", root, "är webbplatsens rot"},
		{"above the site root", filepath.Dir(root), "din hemmapp"},
		{"content", filepath.Join(root, "content"), "ligger i webbplatsens content/"},
		{"in content", filepath.Join(root, "content/public"), "ligger i webbplatsens content/"},
		{"in content through a link", filepath.Join(base, "genväg", "ut"), "ligger i webbplatsens content/"},
		{"layouts", filepath.Join(root, "layouts"), "ligger i webbplatsens layouts/"},
		{"in assets", filepath.Join(root, "assets/scss/ut"), "ligger i webbplatsens assets/"},
		{"home", home, "är din hemmapp"},
		{"above home", base, "innehåller din hemmapp"},
		{"filesystem root", string(filepath.Separator), "filsystemets rot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshot(t, base)
			d, err := NewDisk(tt.out, SourceRoot(root))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				d.Abort()
				return
			}
			var te *TargetError
			if !errors.As(err, &te) {
				if d != nil {
					d.Abort()
				}
				t.Fatalf("err = %v, want a *TargetError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), tt.out+": ") {
				t.Errorf("err = %q, want %q after the folder's name", err, tt.want)
			}
			t.Logf("%v", err)
			if after := snapshot(t, base); after != before {
				t.Errorf("a refused build changed the files:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestLockOneBuildAtATime: a second build of the same folder waits, says
// so, and goes ahead when the first is done; neither sees the other's
// folders.
func TestLockOneBuildAtATime(t *testing.T) {
	pub := filepath.Join(t.TempDir(), "public")
	d1, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	d1.Write("index.html", []byte("ett"))
	waited := make(chan string, 1)
	second := make(chan *Disk)
	go func() {
		d2, err := NewDisk(pub, OnWait(func(lock string) { waited <- lock }))
		if err != nil {
			t.Error(err)
		}
		second <- d2
	}()
	select {
	case lock := <-waited:
		if filepath.Base(lock) != ".public-lås" {
			t.Errorf("lock file %s", lock)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second build did not wait for the lock")
	}
	select {
	case <-second:
		t.Fatal("the second build went ahead while the first held the lock")
	case <-time.After(50 * time.Millisecond):
	}
	if err := d1.Commit(); err != nil {
		t.Fatal(err)
	}
	d2 := <-second
	if d2 == nil {
		t.FailNow()
	}
	if _, err := os.Stat(d1.Dir()); err == nil && d1.Dir() == d2.Dir() {
		t.Errorf("both builds write %s", d2.Dir())
	}
	d2.Write("index.html", []byte("två"))
	if err := d2.Prune(); err != nil {
		t.Fatal(err)
	}
	if err := d2.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := files(t, pub); len(got) != 1 || got["index.html"] != "två" {
		t.Errorf("public holds %v", got)
	}
	// Abort releases the lock too.
	d3, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	d3.Abort()
	done := make(chan struct{})
	go func() {
		if d, err := NewDisk(pub, OnWait(func(string) { t.Error("waited for an aborted build") })); err == nil {
			d.Abort()
		}
		close(done)
	}()
	<-done
}

// TestFallbackSwap: without an atomic exchange, Commit takes two renames;
// a build killed between them leaves the old site beside public/, and the
// next build puts it back before anything else.
func TestFallbackSwap(t *testing.T) {
	exchange = func(a, b string) error { return errors.New("no exchange") }
	defer func() { exchange = renameExchange }()
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	build := func(content string) error {
		d, err := NewDisk(pub)
		if err != nil {
			t.Fatal(err)
		}
		d.Write("index.html", []byte(content))
		d.Prune()
		return d.Commit()
	}
	for _, c := range []string{"ett", "två", "tre"} {
		if err := build(c); err != nil {
			t.Fatal(err)
		}
		if got := files(t, pub); got["index.html"] != c || len(got) != 1 {
			t.Fatalf("public holds %v, want %s", got, c)
		}
	}
	assertOnly(t, dir, ".public-förteckning", ".public-lås", ".public-reserv", "public")

	betweenRenames = func() bool { return false } // killed here
	defer func() { betweenRenames = func() bool { return true } }()
	if err := build("fyra"); err == nil {
		t.Fatal("the interrupted swap reported success")
	}
	if _, err := os.Stat(pub); err == nil {
		t.Fatal("the test hook did not interrupt the swap")
	}
	betweenRenames = func() bool { return true }
	d, err := NewDisk(pub)
	if err != nil {
		t.Fatal(err)
	}
	if got := files(t, pub); got["index.html"] != "tre" {
		t.Errorf("after an interrupted swap the next build left public = %v, want the old site", got)
	}
	d.Abort()
	if err := build("fem"); err != nil {
		t.Fatal(err)
	}
	if got := files(t, pub); got["index.html"] != "fem" {
		t.Errorf("public holds %v", got)
	}
	assertOnly(t, dir, ".public-förteckning", ".public-lås", ".public-reserv", "public")
}

// TestListTreeMatchesWalk: the system's fast listing (getdents on Linux)
// and the portable walk agree.
func TestListTreeMatchesWalk(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"a/b/c", "d", ".dold"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	for _, f := range []string{"x.html", "a/y.html", "a/b/c/z.html", ".dold/w"} {
		os.WriteFile(filepath.Join(root, f), []byte(f), 0o644)
	}
	os.Symlink("a", filepath.Join(root, "länk"))
	fast, slow := map[string]uint8{}, map[string]uint8{}
	listTree(root, fast, func(string) ([]child, bool) { return nil, false })
	walkTree(root, slow)
	if len(fast) != 10 || len(fast) != len(slow) {
		t.Errorf("listTree found %d entries, walkTree %d, want 10", len(fast), len(slow))
	}
	for p, k := range slow {
		if fast[p] != k {
			t.Errorf("%s: listTree kind %d, walkTree %d", p, fast[p], k)
		}
	}
}
