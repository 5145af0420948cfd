package content_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/internal/storefile"
)

// loadCounting loads root with the cache c and returns the site and the
// document files read.
func loadCounting(t *testing.T, root string, c *content.Cache) (*content.Site, int64) {
	t.Helper()
	before := content.DocReads.Load()
	s, err := content.Load(root, content.WithCache(c))
	if err != nil {
		t.Fatalf("%s: %v", root, err)
	}
	return s, content.DocReads.Load() - before
}

// TestCacheStoreRoundTrip: the entries Save writes read back as they were
// parsed, for the real content and a generated site; a load from them
// reads no document file and gives the same site; another program's key
// reads nothing.
func TestCacheStoreRoundTrip(t *testing.T) {
	defer content.SetSettleTime(0)()
	for name, root := range map[string]string{"real": sitetest.RepoRoot(t), "generated": generated(t, 300)} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "innehall.bin")
			c1 := content.OpenCache(file, "program")
			s1, reads := loadCounting(t, root, c1)
			if reads == 0 {
				t.Fatal("the first load read no file")
			}
			if err := c1.Save(); err != nil {
				t.Fatal(err)
			}
			c2 := content.OpenCache(file, "program")
			diff, n := content.DiffCaches(c1, c2)
			if diff != "" {
				t.Fatal(diff)
			}
			if n < len(s1.Cases)+len(s1.Terms)+len(s1.Pages) {
				t.Fatalf("%d entries kept for %d documents", n, len(s1.Cases)+len(s1.Terms)+len(s1.Pages))
			}
			s2, reads := loadCounting(t, root, c2)
			if reads != 0 {
				t.Errorf("a load from the kept entries read %d files", reads)
			}
			if !reflect.DeepEqual(s1, s2) {
				t.Error("the site loaded from the kept entries differs from the one parsed")
			}
			if got := content.CacheLen(content.OpenCache(file, "another program")); got != 0 {
				t.Errorf("another program's key: %d entries", got)
			}
		})
	}
}

// segments returns the bytes of file's segment files, "" for a missing one.
func segments(file string) []string {
	var out []string
	for i := range 16 {
		b, _ := os.ReadFile(storefile.Segment(file, i))
		out = append(out, string(b))
	}
	return out
}

// TestCacheStoreWritesChangedSegments: after one document changed, Save
// writes its segment only; a damaged segment costs the files it kept a
// new reading, and nothing else; a removed document leaves its segment.
func TestCacheStoreWritesChangedSegments(t *testing.T) {
	defer content.SetSettleTime(0)()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(generated(t, 120))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "innehall.bin")
	c := content.OpenCache(file, "p")
	loadCounting(t, root, c)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	before := segments(file)

	// Nothing changed: nothing written.
	c = content.OpenCache(file, "p")
	loadCounting(t, root, c)
	c.Save()
	if !reflect.DeepEqual(segments(file), before) {
		t.Error("a load without changes wrote segments")
	}

	// One case changed: one segment written, and it is read again.
	cases, _ := filepath.Glob(filepath.Join(root, "content/exempel/*.md"))
	raw, err := os.ReadFile(cases[3])
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cases[3], append(raw, "\nEtt nytt stycke.\n"...), 0o644)
	c = content.OpenCache(file, "p")
	s, reads := loadCounting(t, root, c)
	if reads != 1 {
		t.Errorf("after one change %d files read, want 1", reads)
	}
	c.Save()
	after := segments(file)
	changed := 0
	for i := range after {
		if after[i] != before[i] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("after one change %d segments written, want 1", changed)
	}
	var edited *content.Case
	for _, cs := range s.Cases {
		if filepath.Join(root, filepath.FromSlash(cs.File)) == cases[3] {
			edited = cs
		}
	}
	if edited == nil || !bytes.HasSuffix(edited.Body, []byte("Ett nytt stycke.\n")) {
		t.Error("the edited case's body is not the new one")
	}

	// A damaged segment: its files are read again, the others are not.
	damaged := ""
	for i, b := range after {
		if len(b) > 100 && damaged == "" {
			damaged = storefile.Segment(file, i)
			bad := []byte(b)
			bad[len(bad)/2] ^= 0xff
			os.WriteFile(damaged, bad, 0o644)
		}
	}
	c = content.OpenCache(file, "p")
	fresh, _ := loadCounting(t, root, nil)
	s, reads = loadCounting(t, root, c)
	if reads == 0 || reads >= int64(len(fresh.Cases)) {
		t.Errorf("with one of 16 segments damaged %d of %d files read", reads, len(fresh.Cases)+len(fresh.Terms)+len(fresh.Pages))
	}
	if !reflect.DeepEqual(s, fresh) {
		t.Error("the site loaded with a damaged segment differs from a fresh load")
	}
}

// TestCacheStoreKeepsDraftsSetting: entries parsed with drafts replace
// those parsed without, so that builds with -drafts find theirs.
func TestCacheStoreKeepsDraftsSetting(t *testing.T) {
	defer content.SetSettleTime(0)()
	root := generated(t, 40)
	file := filepath.Join(t.TempDir(), "innehall.bin")
	for i, drafts := range []bool{false, true, true} {
		c := content.OpenCache(file, "p")
		before := content.DocReads.Load()
		if _, err := content.Load(root, content.WithCache(c), content.WithDrafts(drafts)); err != nil {
			t.Fatal(err)
		}
		reads := content.DocReads.Load() - before
		if i == 2 && reads != 0 {
			t.Errorf("the second load with drafts read %d files", reads)
		}
		if i == 1 && reads == 0 {
			t.Error("the first load with drafts read nothing")
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
}
