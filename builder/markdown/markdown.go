// Package markdown renders the portal's markdown with goldmark: GFM tables,
// strikethrough, autolinks, footnotes, Swedish heading ids, [[wiki links]],
// links to .md files and automatic glossary links on a term's first mention.
// Raw HTML is never passed through and only http(s), mailto and tel links
// and site-relative links survive. A document over one of the limits in
// limits.go (nesting, footnotes, link definitions, delimiters) is refused
// before goldmark parses it, so no document can take long to render.
//
// A Renderer is safe for concurrent use; each Render call has its own state.
package markdown

import (
	"bytes"
	"fmt"
	stdhtml "html"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/sv"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Target is what a link resolves to. An empty URL marks a draft that is
// not part of this build.
type Target struct {
	URL   string
	Title string
}

// Resolver resolves link targets across the site. Implementations must be
// safe for concurrent use.
type Resolver interface {
	// Resolve finds a document by slug, title or alias, case-insensitively,
	// optionally prefixed by its section ("begrepp/psynk").
	Resolve(name string) (Target, bool)
	// ResolveFile finds a document by its file path relative to content/
	// ("exempel/minimili.md").
	ResolveFile(p string) (Target, bool)
	// Suggest returns the closest known name for an unresolved one, or "".
	Suggest(name string) string
}

// MediaFile is what a page may know of a file in the media folder
// (content/media, published at /media/).
type MediaFile struct {
	Width, Height int    // pixels; 0 for a file that is not an image
	Srcset        string // the image's srcset, or ""
}

// MediaResolver is implemented by a Resolver that knows the media folder:
// links and images to /media/ are then checked, and images get their
// size and srcset.
type MediaResolver interface {
	// Media looks up a site path such as "/media/bild.jpg".
	Media(p string) (MediaFile, bool)
}

// Input is one document to render.
type Input struct {
	File     string // for messages: content/exempel/x.md
	Dir      string // the document's folder below content/: "exempel"
	Source   []byte // the markdown body
	Line     int    // file line of the first body line
	SelfURL  string // the document's own URL; never linked from itself
	Glossary bool   // link glossary terms on first mention
	// BundleURL is the URL of a page bundle's page ("/exempel/x/"): its
	// relative links and images name the files beside its index.md,
	// published under this URL. "" for a document that is one file.
	BundleURL string
}

// Rendered is the result of rendering one document.
type Rendered struct {
	HTML  string     // exactly sized; shared by every page that shows it
	Links []string   // site URLs this document links to, in order, unique
	Terms []string   // glossary slugs linked automatically, in order
	Errs  *diag.List // the document's errors; nil when there are none
}

// Renderer converts markdown to HTML.
type Renderer struct {
	md       goldmark.Markdown
	plain    goldmark.Markdown // md without linkify, for sources it cannot change; or nil
	resolver Resolver
	glossary *Glossary
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithResolver sets the resolver for wiki links and .md links. Without one,
// every wiki link is reported as unresolved.
func WithResolver(r Resolver) Option { return func(x *Renderer) { x.resolver = r } }

// WithGlossary sets the glossary whose terms are linked on first mention.
func WithGlossary(g *Glossary) Option { return func(x *Renderer) { x.glossary = g } }

// New returns a Renderer.
func New(opts ...Option) *Renderer { return newRenderer(gfm, gfm[1:], opts...) }

// newRenderer returns a Renderer with the given GitHub Flavored Markdown
// extensions: gfm, or extension.GFM for tests. Sources whose HTML linkify
// cannot change (see needsLinkify) are rendered with the extensions
// noLinkify instead, unless it is nil.
func newRenderer(gfmExt, noLinkify []goldmark.Extender, opts ...Option) *Renderer {
	r := &Renderer{}
	for _, o := range opts {
		o(r)
	}
	r.md = r.goldmark(gfmExt)
	if noLinkify != nil {
		r.plain = r.goldmark(noLinkify)
	}
	return r
}

// goldmark returns the converter of r with the given extensions.
func (r *Renderer) goldmark(gfmExt []goldmark.Extender) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(append(gfmExt[:len(gfmExt):len(gfmExt)], extension.Footnote)...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(wikiParser{}, 199)),
			parser.WithASTTransformers(util.Prioritized(&transformer{r: r}, 1000)),
		),
		goldmark.WithRendererOptions(
			html.WithXHTML(),
			html.WithWriter(plainText{html.DefaultWriter}),
			renderer.WithNodeRenderers(util.Prioritized(nodeRenderers{}, 100)),
		),
	)
}

// needsLinkify reports whether rendering src without goldmark's linkify
// could change the HTML. Linkify links only text starting with "http:",
// "https:", "ftp:" or "www." and e-mail addresses. It is tried at every
// white space and '(' in a paragraph line, which splits the line's text
// into more text nodes; that renders the same except at the end of a line
// with two or more white-space characters, where linkify keeps all but the
// last in the text while without it all are trimmed.
func needsLinkify(src []byte) bool {
	if bytes.IndexByte(src, '@') >= 0 || bytes.Contains(src, []byte("http")) ||
		bytes.Contains(src, []byte("ftp:")) || bytes.Contains(src, []byte("www.")) {
		return true
	}
	// Be conservative: any other white space than ' ' and '\n', or two
	// spaces in a row.
	for _, c := range []byte{'\t', '\v', '\f', '\r'} {
		if bytes.IndexByte(src, c) >= 0 {
			return true
		}
	}
	return bytes.Contains(src, []byte("  "))
}

type nodeRenderers struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (nodeRenderers) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikiLink, wikiRenderer{}.render)
	reg.Register(KindGlossaryLink, renderGlossaryLink)
}

var stateKey = parser.NewContextKey()

// docState is the per-document rendering state, kept in the parser context.
type docState struct {
	in    Input
	out   *Rendered
	links map[string]bool
	used  map[string]bool
	src   []byte       // the source as parsed (wiki-link pipes escaped)
	noAt  text.Segment // a range of src without '@', for linkifyFilter
	*scratch
}

// Render renders in. Unresolved links are reported in Rendered.Errs with
// their file line; the HTML is still produced. A document over one of the
// limits (MaxNesting and the others) is reported in Rendered.Errs and not
// rendered: its HTML is empty.
func (r *Renderer) Render(in Input) (*Rendered, error) {
	out := &Rendered{Errs: &diag.List{}}
	if le := checkLimits(in.Source); le != nil {
		out.Errs.Addf(in.File, in.Line+le.line, "%s", le.msg)
		return out, nil
	}
	sh := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sh)
	st := &docState{in: in, out: out, links: map[string]bool{}, used: map[string]bool{}, scratch: sh}
	ctx := parser.NewContext(parser.WithIDs(newIDs()))
	ctx.Set(stateKey, st)
	st.src = escapeWikiPipes(in.Source)
	md := r.md
	if r.plain != nil && !needsLinkify(st.src) {
		md = r.plain
	}
	doc := md.Parser().Parse(text.NewReader(st.src), parser.WithContext(ctx))
	w := &sh.w
	w.b = w.b[:0]
	if err := md.Renderer().Render(w, st.src, doc); err != nil {
		return nil, fmt.Errorf("%s: markdown: %w", in.File, err)
	}
	out.HTML = string(w.b)
	if cap(w.b) > maxKeptBuffer {
		w.b = nil
	}
	if out.Errs.Len() == 0 {
		out.Errs = nil // nothing kept for a body without errors
	}
	// The links and terms in one array (the memo keeps every body's):
	// two windows, each with its own capacity.
	if len(out.Links) > 0 && len(out.Terms) > 0 {
		both := make([]string, 0, len(out.Links)+len(out.Terms))
		both = append(append(both, out.Links...), out.Terms...)
		out.Links, out.Terms = both[:len(out.Links):len(out.Links)], both[len(out.Links):]
	}
	return out, nil
}

// scratch is memory that Render reuses from one document to the next.
type scratch struct {
	w     htmlWriter
	sc    scanner
	found []match
	texts []*ast.Text
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxKeptBuffer is the largest HTML buffer kept for the next document.
const maxKeptBuffer = 1 << 20

// htmlWriter is a util.BufWriter that appends to a byte slice. It buffers
// nothing, so Flush has nothing to do.
type htmlWriter struct{ b []byte }

func (w *htmlWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *htmlWriter) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}

func (w *htmlWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}

func (w *htmlWriter) WriteRune(r rune) (int, error) {
	n := len(w.b)
	w.b = utf8.AppendRune(w.b, r)
	return len(w.b) - n, nil
}

func (w *htmlWriter) Available() int { return cap(w.b) - len(w.b) }
func (w *htmlWriter) Buffered() int  { return 0 }
func (w *htmlWriter) Flush() error   { return nil }

// escapeWikiPipes escapes the | of [[target|text]] as \| so that a wiki
// link inside a table cell is not split into two cells; the wiki-link
// parser reads \| as |. Lines keep their numbers. It runs in O(len(src)):
// the next "]]" and the next newline are found once and reused until
// passed, not searched again for every "[[".
func escapeWikiPipes(src []byte) []byte {
	if !bytes.Contains(src, []byte("[[")) || !bytes.Contains(src, []byte("|")) {
		return src
	}
	out := make([]byte, 0, len(src)+16)
	closeAt, nlAt := -2, -2 // absolute offsets; -1: none left; -2: not yet searched
	next := func(at *int, from int, sep []byte) int {
		if *at == -1 || (*at >= from) {
			return *at
		}
		if j := bytes.Index(src[from:], sep); j >= 0 {
			*at = from + j
		} else {
			*at = -1
		}
		return *at
	}
	for i := 0; i < len(src); i++ {
		if src[i] == '[' && i+1 < len(src) && src[i+1] == '[' {
			end, nl := -1, -1
			if c := next(&closeAt, i+2, []byte("]]")); c >= 0 {
				end = c - (i + 2)
			}
			if c := next(&nlAt, i+2, []byte("\n")); c >= 0 {
				nl = c - (i + 2)
			}
			if end >= 0 && (nl < 0 || end < nl) {
				out = appendWikiLink(out, src[i+2:i+2+end])
				i += end + 3
				continue
			}
		}
		out = append(out, src[i])
	}
	return out
}

// appendWikiLink appends [[inner]] to out with every unescaped "|" in
// inner escaped, so that a table cell does not end inside the link.
func appendWikiLink(out, inner []byte) []byte {
	out = append(out, '[', '[')
	for j, c := range inner {
		if c == '|' && (j == 0 || inner[j-1] != '\\') {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return append(out, ']', ']')
}

func (st *docState) line(offset int) int {
	if offset < 0 || offset > len(st.src) {
		return st.in.Line
	}
	return st.in.Line + bytes.Count(st.src[:offset], []byte("\n"))
}

func (st *docState) addLink(u string) {
	if u == "" || st.links[u] || u == st.in.SelfURL {
		return
	}
	st.links[u] = true
	st.out.Links = append(st.out.Links, u)
}

type transformer struct{ r *Renderer }

// Transform resolves wiki links and .md links, drops unsafe link targets,
// records internal links and links glossary terms.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*docState)
	if st == nil {
		return
	}
	src := reader.Source()
	var unlink []ast.Node
	// The same walk collects the text that glossary terms are looked for
	// in: every text node outside the nodes glossaryOpaque names. (Links
	// made plain text below become ast.String nodes, which are not
	// searched either way.)
	glossary := st.in.Glossary && t.r.glossary != nil
	texts := st.texts[:0]
	opaque := 0
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if glossary && glossaryOpaque(n) {
			if entering {
				opaque++
			} else {
				opaque--
			}
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Text:
			if glossary && opaque == 0 {
				texts = append(texts, v)
			}
		case *WikiLink:
			t.resolveWiki(st, v)
		case *ast.Link:
			dest, ok := t.rewrite(st, string(v.Destination), nodeOffset(v, src))
			if !ok {
				unlink = append(unlink, v)
				return ast.WalkContinue, nil
			}
			v.Destination = []byte(dest)
		case *ast.AutoLink:
			if !safeExternal(string(v.URL(src))) {
				unlink = append(unlink, v)
			}
		case *ast.Image:
			if !t.image(st, v, src) {
				unlink = append(unlink, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unlink {
		replaceWithText(n, src)
	}
	if glossary {
		t.linkTerms(st, texts, src)
	}
	clear(texts)
	st.texts = texts[:0]
}

// glossaryOpaque reports whether glossary terms are left alone inside n:
// headings, links, images, code, raw HTML and links already made.
func glossaryOpaque(n ast.Node) bool {
	switch n.(type) {
	case *ast.Heading, *ast.Link, *ast.AutoLink, *ast.Image, *ast.CodeSpan, *ast.CodeBlock,
		*ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *WikiLink, *GlossaryLink,
		*east.FootnoteLink, *east.FootnoteBacklink:
		return true
	}
	return false
}

func (t *transformer) resolveWiki(st *docState, v *WikiLink) {
	name := string(v.Target)
	if t.r.resolver != nil {
		if tg, ok := t.r.resolver.Resolve(name); ok {
			// A target without URL is a draft left out of the build: the
			// link shows as plain text until the draft is published.
			v.URL, v.Title, v.Resolved = tg.URL, tg.Title, true
			st.addLink(tg.URL)
			return
		}
	}
	msg := fmt.Sprintf("okänd länk [[%s]]", name)
	if t.r.resolver != nil {
		if s := t.r.resolver.Suggest(name); s != "" {
			msg += fmt.Sprintf(" (menade du [[%s]]?)", s)
		}
	}
	st.out.Errs.Addf(st.in.File, st.line(v.Offset), "%s", msg)
}

// rewrite returns the destination to keep for a markdown link, resolving
// links to .md files; ok is false when the link must become plain text.
//
// A link to a .md file ("minimili.md", "../begrepp/psynk.md", also with
// backslashes from Windows: `..\begrepp\psynk.md`) becomes the
// URL of the page made from it. A query and a fragment are kept after
// that URL ("minimili.md?x#resultat" → "/exempel/minimili/?x#resultat");
// an empty one ("minimili.md#") is dropped. The file must exist (as a
// published page or a draft) whatever follows it; otherwise the link is
// reported with the document's line and the closest file, if any.
func (t *transformer) rewrite(st *docState, dest string, offset int) (string, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return dest, true
	}
	if safeExternal(stdhtml.UnescapeString(dest)) {
		return dest, true
	}
	if hasScheme(dest) || strings.HasPrefix(dest, "//") {
		return "", false
	}
	p, frag, _ := strings.Cut(dest, "#")
	p, query, _ := strings.Cut(p, "?")
	if strings.HasSuffix(strings.ToLower(p), ".md") {
		clean := p[:len(p)-len(".md")] + ".md" // "x.MD" names the file x.md
		if d, err := url.PathUnescape(clean); err == nil {
			clean = d // goldmark percent-encodes "kök.md" as "k%C3%B6k.md"
		}
		// A path copied from Windows (`..\begrepp\psynk.md`) names the
		// same file.
		clean = strings.ReplaceAll(clean, `\`, "/")
		if !strings.HasPrefix(clean, "/") {
			clean = path.Join(st.in.Dir, clean)
		}
		clean = strings.TrimPrefix(strings.TrimPrefix(path.Clean(clean), "/"), "content/")
		if t.r.resolver != nil {
			if tg, ok := t.r.resolver.ResolveFile(clean); ok {
				st.addLink(tg.URL)
				u := tg.URL
				if query != "" {
					u += "?" + query
				}
				if frag != "" {
					u += "#" + frag
				}
				return u, true
			}
		}
		msg := fmt.Sprintf("länken till %q leder ingenstans: filen content/%s finns inte", dest, clean)
		if s := t.suggestFile(st, clean); s != "" {
			msg += fmt.Sprintf(" (menade du %s?)", s)
		}
		st.out.Errs.Addf(st.in.File, st.line(offset), "%s", msg)
		return dest, true
	}
	if strings.HasPrefix(p, "/media/") {
		t.checkMedia(st, dest, p, offset)
		return dest, true
	}
	if strings.HasPrefix(p, "/") {
		st.addLink(p)
		return dest, true
	}
	if st.in.BundleURL != "" && p != "" {
		return t.bundleFile(st, dest, p, offset), true
	}
	if _, ok := t.r.resolver.(MediaResolver); ok && p != "" {
		st.out.Errs.Addf(st.in.File, st.line(offset), "länken %q är relativ och leder ingenstans: lägg filen i content/media/ och länka till /media/%s, eller länka till en sida med [[slug]]", dest, path.Base(p))
	}
	return dest, true
}

// bundleFile resolves a relative path in a page bundle to the URL of the
// file beside its index.md, reporting one that is not there.
func (t *transformer) bundleFile(st *docState, dest, p string, offset int) string {
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	u := path.Join(st.in.BundleURL, p)
	if !strings.HasPrefix(u, st.in.BundleURL) {
		st.out.Errs.Addf(st.in.File, st.line(offset), "%q leder ut ur exemplets mapp: lägg filen bredvid %s eller i content/media/", dest, path.Base(st.in.File))
		return dest
	}
	if mr, ok := t.r.resolver.(MediaResolver); ok {
		if _, ok := mr.Media(u); !ok {
			st.out.Errs.Addf(st.in.File, st.line(offset), "%q finns inte: lägg filen bredvid %s (%s)", dest, st.in.File, path.Join(path.Dir(st.in.File), p))
		}
	}
	return (&url.URL{Path: u}).EscapedPath()
}

// checkMedia reports a link or image to /media/ whose file is not in
// content/media.
func (t *transformer) checkMedia(st *docState, dest, p string, offset int) (MediaFile, bool) {
	mr, ok := t.r.resolver.(MediaResolver)
	if !ok {
		return MediaFile{}, true
	}
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	m, ok := mr.Media(p)
	if !ok {
		st.out.Errs.Addf(st.in.File, st.line(offset), "%q finns inte: lägg filen i content/media/%s", dest, strings.TrimPrefix(p, "/media/"))
	}
	return m, ok
}

// image checks an image: a file of content/media (or an https address is
// refused: a page loads nothing from other sites), with alt text; it gets
// its width, height and srcset, and loads lazily. It returns false for an
// image that must not be shown.
func (t *transformer) image(st *docState, v *ast.Image, src []byte) bool {
	dest := string(v.Destination)
	offset := nodeOffset(v, src)
	if !strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") {
		if (hasScheme(dest) || strings.HasPrefix(dest, "//")) && !safeExternal(dest) {
			return false // javascript:, data: and the like: shown as text
		}
		if st.in.BundleURL != "" && !hasScheme(dest) && !strings.HasPrefix(dest, "//") {
			// A file beside the bundle's index.md.
			p, _, _ := strings.Cut(dest, "?")
			dest = t.bundleFile(st, dest, p, offset)
			v.Destination = []byte(dest)
			return t.sized(st, v, src, dest, offset)
		}
		if _, ok := t.r.resolver.(MediaResolver); ok {
			if safeExternal(dest) {
				st.out.Errs.Addf(st.in.File, st.line(offset), "bilden %q ligger på en annan webbplats, och portalens sidor hämtar inget därifrån: spara den i content/media/ (om licensen tillåter) och skriv /media/<namn>", dest)
			} else {
				st.out.Errs.Addf(st.in.File, st.line(offset), "bilden %q är relativ och leder ingenstans: lägg den i content/media/ och skriv /media/%s", dest, path.Base(dest))
			}
		}
		return false
	}
	return t.sized(st, v, src, dest, offset)
}

// sized checks an image's alt text and gives a site image its width,
// height, srcset and lazy loading.
func (t *transformer) sized(st *docState, v *ast.Image, src []byte, dest string, offset int) bool {
	if strings.TrimSpace(string(nodeText(v, src))) == "" {
		st.out.Errs.Addf(st.in.File, st.line(offset), "bilden %s saknar alt-text: skriv vad bilden visar, ![Barn som leker på skolgården](%s); den läses upp av skärmläsare", dest, dest)
	}
	p, _, _ := strings.Cut(dest, "?")
	if d, err := url.PathUnescape(p); err == nil {
		p = d
	}
	var m MediaFile
	ok := false
	if strings.HasPrefix(p, "/media/") {
		m, ok = t.checkMedia(st, dest, p, offset)
	} else if mr, isMR := t.r.resolver.(MediaResolver); isMR {
		m, ok = mr.Media(p) // a bundle's file, reported already if missing
	}
	if ok && m.Width > 0 {
		v.SetAttributeString("width", []byte(strconv.Itoa(m.Width)))
		v.SetAttributeString("height", []byte(strconv.Itoa(m.Height)))
		if m.Srcset != "" {
			v.SetAttributeString("srcset", []byte(m.Srcset))
			v.SetAttributeString("sizes", []byte("(min-width: 48rem) 46rem, 100vw"))
		}
	}
	v.SetAttributeString("loading", []byte("lazy"))
	v.SetAttributeString("decoding", []byte("async"))
	return true
}

// suggestFile returns the closest known name to the missing file clean
// ("exempel/minimil.md"): a file name when that file is in the same folder
// as the link's document ("minimili.md"), or a content path when it is
// in the folder the link named ("/begrepp/psynk.md"), else a wiki link
// ("[[psynk]]"); or "" when nothing is close.
func (t *transformer) suggestFile(st *docState, clean string) string {
	if t.r.resolver == nil {
		return ""
	}
	dir, file := path.Split(clean)
	name := t.r.resolver.Suggest(strings.TrimSuffix(file, path.Ext(file)))
	if name == "" {
		return ""
	}
	if _, ok := t.r.resolver.ResolveFile(dir + name + ".md"); ok {
		if dir == st.in.Dir+"/" {
			return name + ".md"
		}
		return "/" + dir + name + ".md"
	}
	return "[[" + name + "]]"
}

// hasScheme reports whether u starts with a URL scheme, ignoring the ASCII
// whitespace and control characters browsers strip ("java\tscript:"), also
// when percent-encoded.
func hasScheme(u string) bool {
	u = stdhtml.UnescapeString(u)
	if d, err := url.PathUnescape(u); err == nil {
		u = d
	}
	var b strings.Builder
	for _, r := range u {
		if r > ' ' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	if j := strings.IndexAny(s, "/?#"); j >= 0 && j < i {
		return false
	}
	return true
}

// safeExternal reports whether u is an absolute http(s), mailto or tel URL.
func safeExternal(u string) bool {
	if strings.ContainsAny(u, "\t\n\r\x00") {
		return false
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto", "tel":
		return true
	}
	return false
}

// nodeOffset returns the source offset of inline node n, for the line of a
// message: that of its first text, else the start of the block it is in
// (an empty link in emphasis, "*[]()*", has neither text nor a block
// parent), else -1.
func nodeOffset(n ast.Node, src []byte) int {
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeInline {
			continue // inline nodes have no lines (Lines panics)
		}
		if lines := p.Lines(); lines != nil && lines.Len() > 0 {
			return lines.At(0).Start
		}
		break
	}
	return -1
}

// replaceWithText replaces a link or image by its text content.
func replaceWithText(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	var txt []byte
	switch v := n.(type) {
	case *ast.AutoLink:
		txt = v.Label(src)
	default:
		txt = nodeText(n, src)
	}
	parent.ReplaceChild(parent, n, ast.NewString(txt))
}

func nodeText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Text:
			b.Write(v.Segment.Value(src))
			if v.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(v.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.Bytes()
}

// linkTerms wraps the first mention of each glossary term in a GlossaryLink,
// skipping the document's own term. texts are the document's text nodes
// outside glossaryOpaque nodes (headings, links, code), in document order.
func (t *transformer) linkTerms(st *docState, texts []*ast.Text, src []byte) {
	g := t.r.glossary
	for _, tx := range coalesce(texts) {
		t.linkInText(st, g, tx, src)
	}
}

// coalesce merges runs of adjacent text nodes that cover contiguous source
// on one line (inline parsers such as linkify split text at every space),
// so that multi-word terms can match. It returns the remaining nodes.
// It reuses the memory of texts.
func coalesce(texts []*ast.Text) []*ast.Text {
	out := texts[:0]
	for _, tx := range texts {
		if n := len(out); n > 0 {
			prev := out[n-1]
			if prev.NextSibling() == ast.Node(tx) && prev.Segment.Stop == tx.Segment.Start &&
				!prev.SoftLineBreak() && !prev.HardLineBreak() && !prev.IsRaw() && !tx.IsRaw() {
				prev.Segment = prev.Segment.WithStop(tx.Segment.Stop)
				prev.SetSoftLineBreak(tx.SoftLineBreak())
				prev.SetHardLineBreak(tx.HardLineBreak())
				tx.Parent().RemoveChild(tx.Parent(), tx)
				continue
			}
		}
		out = append(out, tx)
	}
	return out
}

// match is a mention of a term to link, by byte range in a text node.
type match struct {
	start, end int
	phrase     *phrase
}

func (t *transformer) linkInText(st *docState, g *Glossary, tx *ast.Text, src []byte) {
	seg := tx.Segment
	matches := st.found[:0]
	g.scan(seg.Value(src), &st.sc, func(p *phrase, start, end int) {
		// A term the author already linked by hand is not linked again.
		if !st.used[p.term.Slug] && !st.links[p.term.URL] && p.term.URL != st.in.SelfURL {
			st.used[p.term.Slug] = true
			matches = append(matches, match{start, end, p})
		}
	})
	st.found = matches
	if len(matches) == 0 {
		return
	}
	parent := tx.Parent()
	soft, hard := tx.SoftLineBreak(), tx.HardLineBreak()
	cur := tx
	pos := 0
	for _, m := range matches {
		before := text.NewSegment(seg.Start+pos, seg.Start+m.start)
		inner := text.NewSegment(seg.Start+m.start, seg.Start+m.end)
		if before.Len() > 0 {
			parent.InsertBefore(parent, cur, ast.NewTextSegment(before))
		}
		link := &GlossaryLink{Term: m.phrase.term, html: m.phrase.html}
		link.AppendChild(link, ast.NewTextSegment(inner))
		parent.InsertBefore(parent, cur, link)
		st.out.Terms = append(st.out.Terms, m.phrase.term.Slug)
		st.addLink(m.phrase.term.URL)
		pos = m.end
	}
	rest := ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Stop))
	rest.SetSoftLineBreak(soft)
	rest.SetHardLineBreak(hard)
	parent.ReplaceChild(parent, cur, rest)
}

// ids generates heading ids as Swedish slugs, unique within a document:
// the first heading with slug x gets "x", later ones "x-1", "x-2" and so
// on, skipping any id already taken (a heading literally named "x 1").
// It remembers, per slug, the lowest suffix that may still be free, so a
// document with n headings costs O(n) probes in all, not O(n²).
type ids struct {
	used   map[string]bool
	next   map[string]int // slug → lowest suffix not yet known to be taken
	probes int            // suffixed ids tried, for tests
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate implements parser.IDs.
func (x *ids) Generate(value []byte, _ ast.NodeKind) []byte {
	base := sv.Slugify(string(value))
	if base == "" {
		base = "avsnitt"
	}
	id := base
	if x.used[id] {
		if x.next == nil {
			x.next = map[string]int{}
		}
		// Every suffix below next[base] is taken (ids are never freed), so
		// starting there finds the same id as probing from 1 would.
		i := max(x.next[base], 1)
		for {
			id = base + "-" + strconv.Itoa(i)
			x.probes++
			if !x.used[id] {
				break
			}
			i++
		}
		x.next[base] = i + 1
	}
	x.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (x *ids) Put(value []byte) { x.used[string(value)] = true }
