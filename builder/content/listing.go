package content

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/exempelbanken/portal/builder/diag"
)

// listing is a Cache's last listDocs, kept when it found no errors.
type listing struct {
	root  string
	files map[Section][]string
	set   map[string]bool
}

// list returns the document files below root (listDocs). With a cache and
// a watcher's report (changed) that cannot have changed the listing, it
// is the cache's last one, and no folder is read.
func (c *Cache) list(root string, changed *changedSet, errs *diag.List) map[Section][]string {
	if c != nil && changed != nil {
		c.mu.Lock()
		l := c.listing
		c.mu.Unlock()
		if l != nil && l.root == root && l.still(changed) {
			out := make(map[Section][]string, len(l.files))
			for sec, fs := range l.files {
				out[sec] = slices.Clone(fs)
			}
			return out
		}
	}
	listReads.Add(1)
	var mine diag.List
	files := listDocs(root, &mine)
	if c != nil {
		var l *listing
		if mine.Len() == 0 {
			l = &listing{root: root, files: make(map[Section][]string, len(files)), set: map[string]bool{}}
			for sec, fs := range files {
				l.files[sec] = slices.Clone(fs)
				for _, f := range fs {
					l.set[f] = true
				}
			}
		}
		c.mu.Lock()
		c.listing = l
		c.mu.Unlock()
	}
	errs.Merge(&mine)
	return files
}

// still reports whether no path in changed can have changed the listing,
// as listDocs makes it. Below a section's folder:
//   - a document file the listing has must still be a regular file;
//   - an entry it does not have must not exist, or be a file listDocs
//     passes over (hidden, an editor's backup, not .md);
//   - a bundle's index.md must be as the listing has it (there or not);
//   - a bundle's other files do not count.
//
// Anything else (a new or removed document, a folder, the section folder
// itself) needs a new listing. Paths outside the sections (vocabularies,
// data, layouts) are not listed.
func (l *listing) still(changed *changedSet) bool {
	for p := range changed.paths {
		if p == "content" || p == "" || p == "." {
			return false
		}
		var rel string
		for _, sec := range []Section{SectionCase, SectionTerm, SectionPage} {
			dir := "content/" + sec.Dir()
			if p == dir {
				return false
			}
			if r, ok := strings.CutPrefix(p, dir+"/"); ok {
				rel = r
			}
		}
		if rel == "" {
			continue
		}
		parts := strings.Split(rel, "/")
		if len(parts) > 2 || len(parts) == 2 && parts[1] != "index.md" {
			continue // a bundle's attachment
		}
		fi, err := os.Lstat(filepath.Join(l.root, filepath.FromSlash(p)))
		exists := err == nil
		switch {
		case l.set[p]:
			if !exists || !fi.Mode().IsRegular() {
				return false
			}
		case l.set[p+"/index.md"]:
			return false // a bundle's folder itself
		case !exists:
		case len(parts) == 2:
			return false // a new bundle
		default:
			name := parts[0]
			passed := strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
				!strings.EqualFold(path.Ext(name), ".md")
			if !fi.Mode().IsRegular() || !passed || controlChar(name) >= 0 {
				return false
			}
		}
	}
	return true
}
