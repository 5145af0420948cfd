package site

import (
	"github.com/exempelbanken/portal/builder/assets"
	"strings"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/markdown"
	"github.com/exempelbanken/portal/builder/sv"
)

// resolver resolves wiki links and .md links against the loaded site.
// Lookups are case-insensitive: by slug, then by title and alias. Cases win
// over terms, terms over pages; a section prefix ("begrepp/x") narrows it.
type resolver struct {
	site      *content.Site
	bySection map[string]map[string]markdown.Target // section → key → target
	byFile    map[string]markdown.Target            // "exempel/x.md" → target
	names     []string
	media     map[string]*assets.Media // "/media/x.jpg" → file
}

var _ markdown.MediaResolver = (*resolver)(nil)

// Media implements markdown.MediaResolver.
func (r *resolver) Media(p string) (markdown.MediaFile, bool) {
	m, ok := r.media[p]
	if !ok {
		return markdown.MediaFile{}, false
	}
	return markdown.MediaFile{Width: m.Width, Height: m.Height, Srcset: m.Srcset()}, true
}

var _ markdown.Resolver = (*resolver)(nil)

var sectionOrder = []string{"exempel", "begrepp", "sidor"}

func newResolver(s *content.Site, media []*assets.Media) *resolver {
	r := &resolver{site: s, bySection: map[string]map[string]markdown.Target{}, byFile: map[string]markdown.Target{},
		media: make(map[string]*assets.Media, len(media))}
	for _, m := range media {
		r.media[m.URL()] = m
	}
	for _, sec := range sectionOrder {
		r.bySection[sec] = map[string]markdown.Target{}
	}
	add := func(d *content.Doc, extra []string) {
		sec := d.Section.Dir()
		t := markdown.Target{URL: d.URL(), Title: d.Title}
		m := r.bySection[sec]
		m[d.Slug] = t
		r.names = append(r.names, d.Slug)
		for _, n := range append([]string{d.Title}, extra...) {
			k := sv.FoldLabel(n)
			if _, taken := m[k]; !taken {
				m[k] = t
			}
		}
		r.byFile[strings.TrimPrefix(d.File, "content/")] = t
		// File names as written (upper case, spaces) resolve too.
		r.byFile[sec+"/"+d.Slug+".md"] = t
	}
	for _, c := range s.Cases {
		add(&c.Doc, nil)
	}
	for _, t := range s.Terms {
		add(&t.Doc, t.Aliases)
	}
	for _, p := range s.Pages {
		add(&p.Doc, nil)
	}
	return r
}

// Resolve implements markdown.Resolver.
func (r *resolver) Resolve(name string) (markdown.Target, bool) {
	name = strings.TrimSpace(name)
	if sec, rest, ok := strings.Cut(name, "/"); ok {
		if m, known := r.bySection[sec]; known {
			return lookup(m, rest)
		}
	}
	for _, sec := range sectionOrder {
		if t, ok := r.bySection[sec][strings.ToLower(name)]; ok {
			return t, true
		}
	}
	for _, sec := range sectionOrder {
		if t, ok := lookup(r.bySection[sec], name); ok {
			return t, true
		}
	}
	slug := sv.Slugify(name)
	if sec, rest, ok := strings.Cut(name, "/"); ok {
		return markdown.Target{}, r.site.IsDraft(sec, sv.Slugify(rest))
	}
	for _, sec := range sectionOrder {
		if r.site.IsDraft(sec, slug) {
			return markdown.Target{Title: name}, true
		}
	}
	return markdown.Target{}, false
}

func lookup(m map[string]markdown.Target, name string) (markdown.Target, bool) {
	if t, ok := m[strings.ToLower(name)]; ok {
		return t, true
	}
	if t, ok := m[sv.FoldLabel(name)]; ok {
		return t, true
	}
	t, ok := m[sv.Slugify(name)]
	return t, ok
}

// ResolveFile implements markdown.Resolver.
func (r *resolver) ResolveFile(p string) (markdown.Target, bool) {
	if t, ok := r.byFile[p]; ok {
		return t, true
	}
	dir, file := pathSplit(p)
	slug := sv.Slugify(strings.TrimSuffix(file, ".md"))
	if t, ok := r.byFile[dir+slug+".md"]; ok {
		return t, true
	}
	return markdown.Target{}, r.site.IsDraft(strings.TrimSuffix(dir, "/"), slug)
}

func pathSplit(p string) (string, string) {
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// Suggest implements markdown.Resolver.
func (r *resolver) Suggest(name string) string {
	return sv.Suggest(sv.Slugify(name), r.names)
}
