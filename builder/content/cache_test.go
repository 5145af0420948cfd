package content

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestCacheSkipsSettledFiles: a file whose stamp is the settled one it was
// read with is not read again; one rewritten with the same size and
// modification time is (its change time moved), and a file modified too
// recently is read every time.
func TestCacheSkipsSettledFiles(t *testing.T) {
	defer func(d time.Duration) { settleTime = d }(settleTime)
	settleTime = 0
	root := t.TempDir()
	file := filepath.Join(root, "a.md")
	write := func(title string) {
		if err := os.WriteFile(file, []byte("---\ntitle: "+title+"\n---\nText.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := NewCache()
	var changed *changedSet
	parse := func() (string, int64) {
		before := docReads.Load()
		p := &parsed{sec: SectionPage, file: "a.md"}
		parseOne(root, p, c, changed, false)
		if p.errs.Len() > 0 || p.doc == nil {
			t.Fatalf("parse: %v", p.errs)
		}
		// A file without errors keeps no error list in the cache.
		if e, ok := c.getAny("a.md", false); !ok || e.errs != nil {
			t.Fatalf("cache entry %v, errors %v: want one without a list", ok, e.errs)
		}
		return p.doc.(*Page).Title, docReads.Load() - before
	}
	write("Ett")
	if title, reads := parse(); title != "Ett" || reads != 1 {
		t.Fatalf("first: %q, %d reads", title, reads)
	}
	if title, reads := parse(); title != "Ett" || reads != 0 {
		t.Errorf("unchanged: %q, %d reads, want none", title, reads)
	}
	// A watcher's report: a file it does not name is taken as it was,
	// one it names (or a folder of it) is read.
	write("Fem")
	changed = newChangedSet([]string{"b.md", "annat/a.md"})
	if title, reads := parse(); title != "Ett" || reads != 0 {
		t.Errorf("not reported: %q, %d reads, want the cached one and none", title, reads)
	}
	changed = newChangedSet([]string{"a.md"})
	if title, reads := parse(); title != "Fem" || reads != 1 {
		t.Errorf("reported: %q, %d reads", title, reads)
	}
	folder := newChangedSet([]string{"content/exempel/", "b.md"})
	if !folder.has("content/exempel/x/index.md") || !folder.has("content/exempel/x.md") || folder.has("content/begrepp/x.md") || folder.has("content/exempel2.md") {
		t.Error("a reported folder does not cover exactly the files in it")
	}
	changed = nil
	write("Ett")
	parse()
	settleTime = time.Hour
	write("Tre")
	parse()
	if title, reads := parse(); title != "Tre" || reads != 1 {
		t.Errorf("not settled: %q, %d reads, want 1", title, reads)
	}
	settleTime = 0
	parse()
	if runtime.GOOS == "windows" {
		return // no change time: a rewrite that restores the modification time is missed there
	}
	fi, _ := os.Stat(file)
	time.Sleep(10 * time.Millisecond) // a later change time, whatever the clock's tick
	write("Sju")
	os.Chtimes(file, fi.ModTime(), fi.ModTime())
	if title, reads := parse(); title != "Sju" || reads != 1 {
		t.Errorf("same size and time: %q, %d reads", title, reads)
	}
}
