package serve

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/exempelbanken/portal/builder/output"
)

// TestChangedSince: the preview's one pass finds the same changed and
// removed pages as comparing the maps of every page (indexedPages and
// changedPages), for each kind of
// change to a built site, and makes no file that is made when read.
func TestChangedSince(t *testing.T) {
	page := func(s string) []byte { return []byte(`<main data-pagefind-body>` + s + `</main>`) }
	site := func() *output.Memory {
		m := output.NewMemory()
		for i := range 5 {
			m.Write(fmt.Sprintf("exempel/%d/index.html", i), page(fmt.Sprint(i)))
		}
		m.Write("404.html", []byte("<p>saknas</p>"))
		m.Write("css/main.css", []byte("body{}"))
		return m
	}
	base := site()
	hm := &hashMemo{m: map[string]hashed{}}
	basePages := indexedPages(base, hm)
	made := false
	for _, tt := range []struct {
		name    string
		edit    func(m *output.Memory)
		changed []string
		removed []string
	}{
		{"unchanged", func(m *output.Memory) {}, nil, nil},
		{"a page's text", func(m *output.Memory) { m.Write("exempel/1/index.html", page("ny")) }, []string{"exempel/1/index.html"}, nil},
		{"the same text again", func(m *output.Memory) { m.Write("exempel/1/index.html", page("1")) }, nil, nil},
		{"a new page", func(m *output.Memory) { m.Write("exempel/9/index.html", page("9")) }, []string{"exempel/9/index.html"}, nil},
		{"a removed page", func(m *output.Memory) { m.Delete("exempel/2/index.html") }, nil, []string{"exempel/2/index.html"}},
		{"a page no longer indexed", func(m *output.Memory) { m.Write("exempel/3/index.html", []byte("<p>3</p>")) }, nil, []string{"exempel/3/index.html"}},
		{"a page now made when read", func(m *output.Memory) {
			m.WriteLater([]string{"exempel/4/index.html"}, func() (map[string][]byte, error) {
				made = true
				return map[string][]byte{"exempel/4/index.html": page("4")}, nil
			})
		}, nil, []string{"exempel/4/index.html"}},
		{"several at once", func(m *output.Memory) {
			m.Write("exempel/0/index.html", page("noll"))
			m.Delete("exempel/1/index.html")
			m.Write("exempel/7/index.html", page("7"))
		}, []string{"exempel/0/index.html", "exempel/7/index.html"}, []string{"exempel/1/index.html"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := base.Clone()
			tt.edit(m)
			changed, removed := changedSince(basePages, m, hm)
			wantC, wantR := changedPages(basePages, indexedPages(m, hm))
			if !slices.Equal(changed, wantC) || !slices.Equal(removed, wantR) {
				t.Errorf("changedSince: %v, %v; changedPages: %v, %v", changed, removed, wantC, wantR)
			}
			if !slices.Equal(changed, tt.changed) || !slices.Equal(removed, tt.removed) {
				t.Errorf("changed %v, removed %v; want %v, %v", changed, removed, tt.changed, tt.removed)
			}
		})
	}
	if made {
		t.Error("a file made when read was made to find the changed pages")
	}
}

// changedPages, the reference for changedSince, lists the indexed pages
// of now that are new or differ from base, and the pages of base gone from
// now, each sorted.
func changedPages(base, now map[string]uint64) (changed, removed []string) {
	for name, h := range now {
		if bh, ok := base[name]; !ok || bh != h {
			changed = append(changed, name)
		}
	}
	for name := range base {
		if _, ok := now[name]; !ok {
			removed = append(removed, name)
		}
	}
	sort.Strings(changed)
	sort.Strings(removed)
	return changed, removed
}
