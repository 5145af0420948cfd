package site

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/htmlexec"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/sv"
)

// layouts are the page templates every site has in layouts/. Each defines
// the blocks "main" (and optionally "head"), executed inside base.html.
var layouts = []string{"home", "case", "case-list", "facet-term", "facet-index",
	"glossary-index", "glossary-term", "compare", "page", "search", "404", "source-index", "source", "data", "overview"}

// optionalLayouts may be missing; their pages are then not built.
var optionalLayouts = map[string]bool{"search": true, "compare": true, "source-index": true, "source": true, "data": true, "overview": true}

// templates holds one parsed template set per layout.
type templates struct {
	sets  map[string]*template.Template
	cards map[*content.Case]template.HTML // filled by renderCards
	hash  uint64                          // of every layout file read, for page memos
	// facets tells, per layout, whether its templates (base and partials
	// included) mention .Site.Facets or .Site.FacetNav, so that only those
	// pages are rendered again when facet counts change.
	facets map[string]bool
	// navOnly tells, per layout, that its templates show the facets only
	// through .Site.FacetNav (none mentions .Site.Facets): such a page
	// differs from one with another facet overview only where the
	// overview is printed, so the memo can splice the new one in.
	navOnly map[string]bool
	// shallowFacet tells, per layout, that its templates read a page's
	// Facet only for its name and address (facetRef), never its
	// values and their counts: such a page is keyed without them, so an
	// edit that moves a case from one status to another renders again
	// the pages of those two statuses, not those of every status.
	shallowFacet map[string]bool

	// funcs is every function the layouts can call, for htmlexec.
	funcs template.FuncMap
	// executors holds, per layout and entry template, the htmlexec.Executor
	// made once for it. Pages go through the Executor and fall back to
	// html/template for whatever it does not support.
	executors sync.Map // execKey → *execEntry
	// fallbacks counts executions left to html/template: those the
	// Executor does not support, and with plain all of them.
	fallbacks atomic.Int64
	// plain sends every execution to html/template
	// (Options.HTMLTemplateOnly).
	plain bool
}

type execKey struct{ layout, entry string }

// execEntry is the Executor of one entry template, made by the first page
// that needs it; ex stays nil when html/template cannot escape the entry.
type execEntry struct {
	once sync.Once
	ex   *htmlexec.Executor
}

// run executes entry of layout's template set into buf, through htmlexec
// when it can, else through html/template.
func (t *templates) run(buf *bytes.Buffer, layout, entry string, data any) error {
	set := t.sets[layout]
	if set == nil {
		return diag.Errorf("layouts/"+layout+".html", 0, "mallen saknas")
	}
	if !t.plain {
		key := execKey{layout, entry}
		v, ok := t.executors.Load(key)
		if !ok {
			v, _ = t.executors.LoadOrStore(key, new(execEntry))
		}
		e := v.(*execEntry)
		e.once.Do(func() {
			// html/template escapes an entry on its first execution, and
			// htmlexec needs it escaped. Executing it without data escapes
			// it and stops at the first field, so that even a layout's first
			// page (the only one, for some) is rendered by htmlexec. An
			// escaping error is left to the execution below to report.
			var escErr *template.Error
			if err := set.ExecuteTemplate(io.Discard, entry, nil); !errors.As(err, &escErr) {
				e.ex = htmlexec.New(set, t.funcs)
			}
		})
		if e.ex != nil {
			start := buf.Len()
			if err := e.ex.Execute(buf, entry, data); err == nil {
				return nil
			}
			buf.Truncate(start)
		}
	}
	t.fallbacks.Add(1)
	return set.ExecuteTemplate(buf, entry, data)
}

// card returns the HTML of a case's card, rendered once per build.
func (t *templates) card(c *content.Case) (template.HTML, error) {
	if h, ok := t.cards[c]; ok {
		return h, nil
	}
	return t.renderCard(new(bytes.Buffer), c)
}

// renderCard renders a case's card, using buf as scratch space.
func (t *templates) renderCard(buf *bytes.Buffer, c *content.Case) (template.HTML, error) {
	return t.partialIn(buf, "case-card", c)
}

// partial executes a template defined in layouts/partials.
func (t *templates) partial(name string, data any) (template.HTML, error) {
	return t.partialIn(new(bytes.Buffer), name, data)
}

// partialIn is partial with buf as scratch space (reset first); the
// result is a copy.
func (t *templates) partialIn(buf *bytes.Buffer, name string, data any) (template.HTML, error) {
	buf.Reset()
	if err := t.run(buf, "case", name, data); err != nil {
		return "", templateError(err)
	}
	return template.HTML(buf.String()), nil
}

var funcs = template.FuncMap{
	"sek":  func(n int64) string { return sv.FormatSEK(n) },
	"num":  func(n int) string { return sv.FormatInt(int64(n)) },
	"date": func(t time.Time) string { return sv.FormatDate(t) },
	"iso":  func(t time.Time) string { return t.Format("2006-01-02") },
	"count": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return sv.FormatInt(int64(n)) + " " + many
	},
	"join": strings.Join,
	"url":  urlOf,
	// Functions of a case take any (and check it), so that htmlexec can
	// call them without reflection.
	"period": func(v any) (string, error) {
		c, err := asCase("period", v)
		if err != nil {
			return "", err
		}
		switch {
		case c.Start > 0 && c.End > 0 && c.Start == c.End:
			return strconv.Itoa(c.Start), nil
		case c.Start > 0 && c.End > 0:
			return strconv.Itoa(c.Start) + "–" + strconv.Itoa(c.End), nil
		case c.Start > 0:
			return "Från " + strconv.Itoa(c.Start), nil
		case c.End > 0:
			return "Till " + strconv.Itoa(c.End), nil
		}
		return "", nil
	},
	"place": func(v any) (string, error) {
		c, err := asCase("place", v)
		if err != nil {
			return "", err
		}
		return placeOf(c), nil
	},
	// jsonld is a page's structured data, as whole <script> elements
	// (jsonld.go).
	"jsonld":    jsonLD,
	"add":       func(a, b int) int { return a + b },
	"lower":     strings.ToLower,
	"hasPrefix": strings.HasPrefix,
}

// asCase is v as a case, or an error for a layout that passed something
// else to fn.
func asCase(fn string, v any) (*content.Case, error) {
	c, ok := v.(*content.Case)
	if !ok || c == nil {
		return nil, fmt.Errorf("%s: väntade ett exempel, fick %T", fn, v)
	}
	return c, nil
}

// urlOf returns the page URL of a content value.
func urlOf(v any) string {
	switch x := v.(type) {
	case *content.Case:
		return x.URL()
	case *content.Term:
		return x.URL()
	case *content.Page:
		return x.URL()
	case *content.Kommun:
		return facetURL(facetKommun, x.Slug)
	case *content.Lan:
		return facetURL(facetLan, x.Slug)
	case *content.Value:
		if key, ok := vocabFacets[x.Vocab]; ok {
			return facetURL(key, x.Slug)
		}
	case content.Status:
		return facetURL(facetStatus, x.Slug())
	case *FacetValue:
		return x.URL
	}
	return ""
}

// placeOf describes where a case is: its municipalities, else its län,
// else "Hela Sverige" or the foreign place.
func placeOf(c *content.Case) string {
	var parts []string
	for _, k := range c.Municipalities {
		parts = append(parts, k.Name)
	}
	if len(parts) == 0 {
		for _, l := range c.ExplicitRegions {
			parts = append(parts, l.Name)
		}
	}
	switch {
	case len(parts) > 0:
	case c.International() && c.Place != "":
		parts = append(parts, c.Place+", "+c.Country)
	case c.International():
		parts = append(parts, c.Country)
	case c.Country == content.Sverige:
		parts = append(parts, "Hela Sverige")
	}
	return joinSv(parts)
}

// joinSv joins a list the Swedish way: "A, B och C".
func joinSv(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " och " + parts[len(parts)-1]
}

// loadTemplates parses layouts/base.html, layouts/partials/*.html and each
// layout. Parse errors are returned with file and line.
func loadTemplates(root string, errs *diag.List) *templates {
	layoutLoads.Add(1)
	dir := filepath.Join(root, "layouts")
	h := fnv.New64a()
	facets := false    // base.html or a partial shows facets
	deepFacet := false // base.html or a partial reads more of a .Facet than its name
	realRoot, rootErr := fsutil.RealRoot(root)
	read := func(name string) (string, bool) {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if rootErr == nil {
			var out *fsutil.OutsideError
			if err := fsutil.Within(realRoot, full); errors.As(err, &out) {
				errs.Addf("layouts/"+name, 0, "mallen %v", err)
				return "", false
			}
		}
		b, err := os.ReadFile(full)
		if err != nil {
			errs.Addf("layouts/"+name, 0, "kan inte läsa mallen: %v", err)
			return "", false
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
		return string(b), true
	}
	mentionsFacets := func(src string) bool {
		return strings.Contains(src, "Facets") || strings.Contains(src, "FacetNav")
	}
	allFacets := false // base.html or a partial mentions .Site.Facets itself
	t := &templates{sets: map[string]*template.Template{}, cards: map[*content.Case]template.HTML{}, facets: map[string]bool{}, navOnly: map[string]bool{}, shallowFacet: map[string]bool{}}
	t.funcs = template.FuncMap{"card": func(v any) (template.HTML, error) {
		c, err := asCase("card", v)
		if err != nil {
			return "", err
		}
		return t.card(c)
	}}
	for name, f := range funcs {
		t.funcs[name] = f
	}
	base := template.New("base.html").Funcs(t.funcs)
	src, ok := read("base.html")
	if !ok {
		return nil
	}
	if _, err := base.Parse(src); err != nil {
		errs.Add(templateError(err))
		return nil
	}
	facets, allFacets = mentionsFacets(src), strings.Contains(src, "Facets")
	deepFacet = readsFacetValues(src)
	partials, _ := filepath.Glob(filepath.Join(dir, "partials", "*.html"))
	sort.Strings(partials)
	for _, p := range partials {
		name := "partials/" + filepath.Base(p)
		src, ok := read(name)
		if !ok {
			continue
		}
		if _, err := base.New(name).Parse(src); err != nil {
			errs.Add(templateError(err))
		}
		facets = facets || mentionsFacets(src)
		allFacets = allFacets || strings.Contains(src, "Facets")
		deepFacet = deepFacet || readsFacetValues(src)
	}
	for _, l := range layouts {
		name := l + ".html"
		if optionalLayouts[l] {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				continue
			}
		}
		src, ok := read(name)
		if !ok {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			errs.Addf("layouts/"+name, 0, "%v", err)
			continue
		}
		if _, err := set.New(name).Parse(src); err != nil {
			errs.Add(templateError(err))
			continue
		}
		t.sets[l] = set
		t.facets[l] = facets || mentionsFacets(src)
		t.navOnly[l] = t.facets[l] && !allFacets && !strings.Contains(src, "Facets")
		t.shallowFacet[l] = !deepFacet && !readsFacetValues(src)
	}
	t.hash = h.Sum64()
	return t
}

// layoutLoads counts the times the layouts were read (for the tests).
var layoutLoads atomic.Int64

// facetRef finds each use of a field named Facet in a template, with
// the field read from it when that is one of the facet's names or its
// address.
var facetRef = regexp.MustCompile(`\.Facet\b(\.(?:Key|Name|Plural|Intro|URL|HasIndex)\b)?`)

// readsFacetValues reports whether a template may read more of a Facet
// than its names and address: its values, or the facet as a whole (given
// to a partial, a variable, with or range, which can reach the values).
// (.Site.Facets and .Site.FacetNav are other fields, covered by
// templates.facets.)
func readsFacetValues(src string) bool {
	for _, m := range facetRef.FindAllStringSubmatchIndex(src, -1) {
		if m[2] < 0 {
			return true
		}
	}
	return false
}

var tmplErrRe = regexp.MustCompile(`^(?:html/)?template: ([^:]+?):(\d+)(?::\d+)?: (.*)$`)
var tmplExecRe = regexp.MustCompile(`^(?:html/)?template: ([^:]+?):(\d+):\d+: (.*)$`)

// templateError maps a text/template or html/template error to the
// layout file and line it names. html/template's escaping errors carry
// both (*template.Error); text/template's parse and execution errors only
// in their text ("template: case.html:12:3: ..."), which is read with the
// two patterns above.
func templateError(err error) *diag.Error {
	var esc *template.Error
	if errors.As(err, &esc) {
		name, line := esc.Name, esc.Line
		if esc.Node != nil {
			// "case.html:12:3", the position of the node in its file
			loc, _ := (*parse.Tree)(nil).ErrorContext(esc.Node)
			if f, rest, ok := strings.Cut(loc, ":"); ok {
				l, _, _ := strings.Cut(rest, ":")
				if n, err := strconv.Atoi(l); err == nil {
					name, line = f, n
				}
			}
		}
		if name != "" && line > 0 {
			return &diag.Error{File: "layouts/" + name, Line: line, Msg: "mallfel: " + strings.TrimSpace(esc.Description), Err: err}
		}
	}
	msg := err.Error()
	for _, re := range []*regexp.Regexp{tmplExecRe, tmplErrRe} {
		if m := re.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[2])
			return &diag.Error{File: "layouts/" + m[1], Line: line, Msg: "mallfel: " + m[3], Err: err}
		}
	}
	return &diag.Error{File: "layouts", Msg: "mallfel: " + msg, Err: err}
}

// execute renders layout with data through base.html.
func (t *templates) execute(layout string, data any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	if err := t.executeTo(&buf, layout, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// executeTo renders layout with data through base.html into buf.
func (t *templates) executeTo(buf *bytes.Buffer, layout string, data any) error {
	if err := t.run(buf, layout, "base.html", data); err != nil {
		if d, ok := err.(*diag.Error); ok {
			return d
		}
		return templateError(fmt.Errorf("%w", err))
	}
	return nil
}
