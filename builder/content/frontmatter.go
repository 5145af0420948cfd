package content

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/sv"
	yaml "go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest content file the builder reads: about 75
// times the longest real case, and small enough that no file keeps
// goldmark busy for more than a second or so.
const MaxFileSize = 1 << 20

// splitFile checks raw file bytes and splits them into front matter and body.
// It strips a UTF-8 BOM and turns CRLF into LF. fmLine is the file line of
// the first front matter line and bodyLine that of the first body line.
func splitFile(file string, raw []byte) (fm []byte, fmLine int, body []byte, bodyLine int, err error) {
	if len(raw) > MaxFileSize {
		return nil, 0, nil, 0, diag.Errorf(file, 0, "filen är för stor (%s byte; högst %s byte)",
			sv.FormatInt(int64(len(raw))), sv.FormatInt(MaxFileSize))
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return nil, 0, nil, 0, diag.Errorf(file, lineAt(raw, i), "filen innehåller en NUL-byte; är det verkligen en textfil?")
	}
	if !utf8.Valid(raw) {
		i := invalidUTF8(raw)
		return nil, 0, nil, 0, diag.Errorf(file, lineAt(raw, i), "ogiltig UTF-8 (byte 0x%02x); spara filen som UTF-8", raw[i])
	}
	if bytes.Contains(raw, []byte("\r")) {
		raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
		raw = bytes.ReplaceAll(raw, []byte("\r"), []byte("\n"))
	}
	if fm, body, bodyLine, ok := splitSimple(raw); ok {
		fmLine = 2
		return fm, fmLine, body, bodyLine, checkFrontMatterSize(file, fm, fmLine)
	}
	fm, fmLine, body, bodyLine, err = splitFrontMatter(file, raw)
	if err == nil {
		err = checkFrontMatterSize(file, fm, fmLine)
	}
	return fm, fmLine, body, bodyLine, err
}

// MaxFrontMatter is the most bytes of front matter a file may have: about
// twenty times the longest real one. Its fields reach every list and
// facet page that shows the document, so they are bounded apart from the
// body.
const MaxFrontMatter = 64 << 10

// checkFrontMatterSize reports front matter over MaxFrontMatter, at its
// first line.
func checkFrontMatterSize(file string, fm []byte, fmLine int) error {
	if len(fm) <= MaxFrontMatter {
		return nil
	}
	return diag.Errorf(file, fmLine, "front matter är för stor (%s byte; högst %s byte): korta fälten och lägg längre text i brödtexten",
		sv.FormatInt(int64(len(fm))), sv.FormatInt(MaxFrontMatter))
}

// splitFrontMatter splits checked, LF-only file bytes with adrg/frontmatter,
// as splitFile documents.
func splitFrontMatter(file string, raw []byte) (fm []byte, fmLine int, body []byte, bodyLine int, err error) {
	var captured []byte
	format := frontmatter.NewFormat("---", "---", func(data []byte, _ any) error {
		captured = append([]byte(nil), data...)
		return nil
	})
	rest, perr := frontmatter.MustParse(bytes.NewReader(raw), nil, format)
	if perr != nil {
		if !errors.Is(perr, frontmatter.ErrNotFound) {
			return nil, 0, nil, 0, diag.Errorf(file, 0, "kan inte läsa front matter: %v", perr)
		}
		// Tell "no front matter" from "front matter never closed".
		if open := firstNonBlankLine(raw); open > 0 && strings.TrimSpace(lineText(raw, open)) == "---" {
			return nil, 0, nil, 0, diag.Errorf(file, open, "front matter avslutas aldrig: lägg till en rad med bara --- efter sista fältet")
		}
		return nil, 0, nil, 0, diag.Errorf(file, 1, "front matter saknas: filen ska börja med en rad ---, fälten (title: ...) och en rad ---")
	}
	open := firstNonBlankLine(raw)
	consumed := len(raw) - len(rest)
	bodyLine = 1 + bytes.Count(raw[:consumed], []byte("\n"))
	return captured, open + 1, rest, bodyLine, nil
}

// splitSimple splits raw the way adrg/frontmatter does in splitFile, for
// the common file that starts with a line "---" and has a closing line that
// is "---" after trimming white space: fm is the bytes between those lines
// and body what follows the closing line (both share raw's memory; fm is
// capped so appending to it never touches body). ok is false for every
// other file, which splitFile leaves to adrg/frontmatter.
func splitSimple(raw []byte) (fm, body []byte, bodyLine int, ok bool) {
	const open = "---\n"
	if len(raw) < len(open) || string(raw[:len(open)]) != open {
		return nil, nil, 0, false
	}
	line := 2
	for start := len(open); start < len(raw); line++ {
		end := len(raw)
		if i := bytes.IndexByte(raw[start:], '\n'); i >= 0 {
			end = start + i + 1
		}
		if l := raw[start:end]; len(l) >= 3 && string(bytes.TrimSpace(l)) == "---" {
			if raw[end-1] != '\n' {
				line-- // the closing line is the last and has no newline
			}
			return raw[len(open):start:start], raw[end:], line + 1, true
		}
		start = end
	}
	return nil, nil, 0, false
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// lineAt returns the 1-based line of byte offset i.
func lineAt(b []byte, i int) int { return 1 + bytes.Count(b[:i], []byte("\n")) }

func firstNonBlankLine(b []byte) int {
	for n, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			return n + 1
		}
	}
	return 0
}

func lineText(b []byte, line int) string {
	lines := strings.SplitN(string(b), "\n", line+1)
	if line-1 < len(lines) {
		return lines[line-1]
	}
	return ""
}

var yamlLineRe = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// parseYAML parses front matter or a YAML file into a mapping node. Line
// numbers in errors are shifted by offset (the file line of the first YAML
// line minus one).
//
// Simple documents are parsed by fastYAML, which builds the same tree;
// everything else, errors included, goes through yaml.v3.
func parseYAML(file string, data []byte, offset int) (*node, *diag.Error) {
	if root, ok := fastYAML(data); ok {
		shiftLines(root, offset)
		return root, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			if m[1] != "" {
				line, _ = strconv.Atoi(m[1])
			}
			msg = msg[len(m[0]):]
		}
		if i := tabIndentLine(data); i > 0 {
			if line == 0 || line >= i {
				line = i
			}
			return nil, diag.Errorf(file, line+offset, "ogiltig YAML: tabbar får inte användas för indrag i YAML; använd mellanslag (YAML-tolken: %s)", msg)
		}
		if sv, l := explainYAML(msg, data, line); sv != "" {
			line = l
			msg = sv + " (YAML-tolken: " + msg + ")"
		}
		if line > 0 {
			line += offset
		}
		return nil, diag.Errorf(file, line, "ogiltig YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return &node{Kind: yaml.MappingNode, Line: 1}, nil
	}
	root := fromYAML(doc.Content[0])
	shiftLines(root, offset)
	if root.Kind != yaml.MappingNode {
		return nil, diag.Errorf(file, root.Line, "front matter ska vara fält med namn och värde (title: ...), inte %s", kindName(root))
	}
	return root, nil
}

func tabIndentLine(data []byte) int {
	for n, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if strings.HasPrefix(trimmed, "\t") {
			return n + 1
		}
	}
	return 0
}

// node is a YAML node with what the builder reads of yaml.Node: half its
// size, which counts when every case's front matter is parsed. fastYAML
// builds it; fromYAML converts yaml.v3's.
type node struct {
	Kind    yaml.Kind
	Style   yaml.Style
	Tag     string
	Value   string
	Line    int
	Column  int
	Content []*node
}

// fromYAML converts a yaml.v3 node tree. Anchors, aliases' targets and
// comments are left out: the builder reports an alias as one and does not
// read the others.
func fromYAML(y *yaml.Node) *node {
	n := &node{Kind: y.Kind, Style: y.Style, Tag: y.Tag, Value: y.Value, Line: y.Line, Column: y.Column}
	if y.Content != nil {
		n.Content = make([]*node, len(y.Content))
		for i, c := range y.Content {
			n.Content[i] = fromYAML(c)
		}
	}
	return n
}

// decode decodes a scalar as yaml.v3 decodes it into v.
func (n *node) decode(v any) error {
	return (&yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value, Line: n.Line, Column: n.Column}).Decode(v)
}

func shiftLines(n *node, offset int) {
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset)
	}
}

// frontMatter is a document's front matter: its fields, or the text to
// parse them from again when first asked for. The preview's cache keeps a
// case's text alone (Cache.put): a case that resolves as it did in the
// last load (resolveMemo) never reads its fields, and kept parsed they
// were a third of the heap the collector scans on every cycle.
type frontMatter struct {
	file string
	text []byte // the front matter: a part of the file's bytes, never changed
	line int    // the file line of its first line
	// former is whether it has former_slugs, which every load reads
	// (checkFormerSlugs).
	former bool
	f      *fields // nil: not parsed yet
}

// newFrontMatter returns the front matter text of file, starting at the
// file line fmLine, with its parsed fields f.
func newFrontMatter(file string, text []byte, fmLine int, f *fields) frontMatter {
	return frontMatter{file: file, text: text, line: fmLine, former: f.find("former_slugs") >= 0, f: f}
}

// fields returns m's fields, reporting to errs. Fields the cache did not
// keep are parsed again from the text, whose own errors were reported when
// the file was read.
func (m *frontMatter) fields(errs *diag.List) *fields {
	if m.f == nil {
		m.f = parseFrontMatter(m.file, m.text, m.line, &diag.List{})
		if m.f == nil { // not after a first parse without errors
			m.f = &fields{file: m.file, line: m.line - 1}
		}
	}
	m.f.errs = errs
	return m.f
}

// parseFrontMatter parses the front matter text of file, starting at the
// file line fmLine; nil after an error, which goes to errs.
func parseFrontMatter(file string, text []byte, fmLine int, errs *diag.List) *fields {
	if f, ok := fastFields(file, text, fmLine-1, errs); ok {
		return f
	}
	node, perr := parseYAML(file, text, fmLine-1)
	if perr != nil {
		errs.Add(perr)
		return nil
	}
	f := newFields(file, node, errs)
	if node.Line == 0 || len(node.Content) == 0 {
		f.line = fmLine - 1 // the opening ---
	}
	return f
}

// fields is a decoded YAML mapping with positions, read field by field.
// Unknown keys are reported by checkUnknown.
type fields struct {
	file string
	line int        // line of the mapping itself
	ents []fieldEnt // the keys in file order, without duplicates
	idx  map[string]int32
	errs *diag.List
}

// fieldEnt is one key of a mapping: its value and the key's line.
type fieldEnt struct {
	key  string
	val  *node
	line int
}

// fieldsIndexFrom is the number of keys from which fields keeps a map from
// key to entry; smaller mappings (all real front matter) are searched.
const fieldsIndexFrom = 32

func newFields(file string, m *node, errs *diag.List) *fields {
	f := &fields{file: file, line: m.Line, ents: make([]fieldEnt, 0, len(m.Content)/2), errs: errs}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			errs.Addf(file, k.Line, "fältnamn måste vara text")
			continue
		}
		if j := f.find(k.Value); j >= 0 {
			errs.Addf(file, k.Line, "fältet %q förekommer två gånger (första gången på rad %d)", k.Value, f.ents[j].line)
			continue
		}
		f.add(fieldEnt{k.Value, v, k.Line})
	}
	return f
}

// add appends a key that is not there yet.
func (f *fields) add(e fieldEnt) {
	f.ents = append(f.ents, e)
	switch {
	case f.idx != nil:
		f.idx[e.key] = int32(len(f.ents) - 1)
	case len(f.ents) >= fieldsIndexFrom:
		f.idx = make(map[string]int32, 2*len(f.ents))
		for i, e := range f.ents {
			f.idx[e.key] = int32(i)
		}
	}
}

// find returns the index of key in f.ents, or -1.
func (f *fields) find(key string) int {
	if f.idx != nil {
		if i, ok := f.idx[key]; ok {
			return int(i)
		}
		return -1
	}
	for i := range f.ents {
		if f.ents[i].key == key {
			return i
		}
	}
	return -1
}

// get returns the value of key and whether the key is there.
func (f *fields) get(key string) (*node, bool) {
	if i := f.find(key); i >= 0 {
		return f.ents[i].val, true
	}
	return nil, false
}

// checkUnknown reports every key that is not in known, with a suggestion.
func (f *fields) checkUnknown(known []string, what string) {
	for _, e := range f.ents {
		k := e.key
		if slices.Contains(known, k) {
			continue
		}
		msg := fmt.Sprintf("okänt fält %q i %s", k, what)
		if s := suggestKey(k, known); s != "" {
			msg += fmt.Sprintf(" (fälten heter som i README, på engelska: menade du %q?)", s)
		} else if s := sv.Suggest(k, known); s != "" {
			msg += fmt.Sprintf(" (menade du %q?)", s)
		} else {
			msg += fmt.Sprintf("; tillåtna fält: %s", strings.Join(known, ", "))
		}
		f.errs.Addf(f.file, e.line, "%s", msg)
	}
}

// present reports whether key has a non-null value.
func (f *fields) present(key string) bool {
	v, ok := f.get(key)
	return ok && !isNull(v)
}

// lineOf returns the line of key, or of the mapping when key is absent.
func (f *fields) lineOf(key string) int {
	if i := f.find(key); i >= 0 {
		return f.ents[i].line
	}
	return f.line
}

func isNull(n *node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "en lista"
	case yaml.MappingNode:
		return "fält med underfält"
	case yaml.AliasNode:
		return "en YAML-referens"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "ett tal (" + n.Value + ")"
	case "!!bool":
		return "ett sant/falskt-värde (" + n.Value + ")"
	case "!!timestamp":
		return "ett datum (" + n.Value + ")"
	case "!!null":
		return "inget värde"
	}
	return fmt.Sprintf("texten %q", n.Value)
}

// str reads a text field. required reports a missing or empty value.
func (f *fields) str(key string, required bool) (string, int) {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		if required {
			f.errs.Addf(f.file, f.lineOf(key), "obligatoriskt fält %q saknas", key)
		}
		return "", f.lineOf(key)
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		hint := ""
		if v.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (skriv %s: \"%s\" om värdet ska vara text)", key, v.Value)
		}
		f.errs.Addf(f.file, v.Line, "%s: förväntade text, fick %s%s", key, kindName(v), hint)
		return "", v.Line
	}
	s := strings.TrimSpace(v.Value)
	if s == "" && required {
		f.errs.Addf(f.file, v.Line, "%s får inte vara tomt", key)
	}
	return s, v.Line
}

// item is a list element with its line.
type item struct {
	Value string
	Line  int
}

// list reads a list of text; a single text value is accepted as a list of one.
func (f *fields) list(key string, required bool) []item {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		if required {
			f.errs.Addf(f.file, f.lineOf(key), "obligatoriskt fält %q saknas", key)
		}
		return nil
	}
	var nodes []*node
	switch {
	case v.Kind == yaml.SequenceNode:
		nodes = v.Content
	case v.Kind == yaml.ScalarNode:
		nodes = []*node{v}
	default:
		f.errs.Addf(f.file, v.Line, "%s: förväntade en lista av text, fick %s", key, kindName(v))
		return nil
	}
	var out []item
	for _, n := range nodes {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			f.errs.Addf(f.file, n.Line, "%s: förväntade text, fick %s", key, kindName(n))
			continue
		}
		s := strings.TrimSpace(n.Value)
		if s == "" {
			f.errs.Addf(f.file, n.Line, "%s: tomt värde i listan", key)
			continue
		}
		out = append(out, item{s, n.Line})
	}
	if required && len(out) == 0 && len(nodes) == 0 {
		f.errs.Addf(f.file, v.Line, "%s får inte vara en tom lista", key)
	}
	return out
}

// year reads a four-digit year.
func (f *fields) year(key string) int {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		return 0
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!int" {
		n, err := strconv.Atoi(v.Value)
		if err == nil && n >= 1800 && n <= 2200 {
			return n
		}
	}
	f.errs.Addf(f.file, v.Line, "%s: förväntade ett årtal med fyra siffror (till exempel 2015), fick %s", key, kindName(v))
	return 0
}

// integer reads a non-negative whole number.
func (f *fields) integer(key string) (int64, bool) {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		return 0, false
	}
	if v.Kind == yaml.ScalarNode {
		switch v.Tag {
		case "!!int":
			if n, err := strconv.ParseInt(strings.ReplaceAll(v.Value, "_", ""), 0, 64); err == nil && n >= 0 {
				return n, true
			}
		case "!!float":
			if x, err := strconv.ParseFloat(v.Value, 64); err == nil && x >= 0 && x == float64(int64(x)) && x < 1e18 {
				return int64(x), true
			}
		}
	}
	f.errs.Addf(f.file, v.Line, "%s: förväntade ett belopp i kronor som heltal utan mellanslag (till exempel 12500000), fick %s", key, kindName(v))
	return 0, false
}

// boolean reads true/false.
func (f *fields) boolean(key string) bool {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		return false
	}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
		b, _ := strconv.ParseBool(strings.ToLower(v.Value))
		return b
	}
	f.errs.Addf(f.file, v.Line, "%s: förväntade true eller false, fick %s", key, kindName(v))
	return false
}

// date reads a YYYY-MM-DD date.
func (f *fields) date(key string, required bool) time.Time {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		if required {
			f.errs.Addf(f.file, f.lineOf(key), "obligatoriskt fält %q saknas (datum som ÅÅÅÅ-MM-DD)", key)
		}
		return time.Time{}
	}
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!timestamp" || v.Tag == "!!str") {
		if t, err := time.Parse("2006-01-02", strings.TrimSpace(v.Value)); err == nil {
			return t
		}
	}
	if v.Kind == yaml.ScalarNode {
		f.errs.Addf(f.file, v.Line, "%s: ogiltigt datum %q; skriv ÅÅÅÅ-MM-DD, till exempel 2015-07-03", key, v.Value)
	} else {
		f.errs.Addf(f.file, v.Line, "%s: ogiltigt datum, fick %s; skriv ÅÅÅÅ-MM-DD, till exempel 2015-07-03", key, kindName(v))
	}
	return time.Time{}
}

// partialDate reads an optional year, month or day ("2014", "2017-03",
// "2015-07-03"); a bad value is an error at its line and reads as zero.
func (f *fields) partialDate(key string) PartialDate {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		return PartialDate{}
	}
	if d, ok := ParsePartialDate(v.Value); ok && v.Kind == yaml.ScalarNode {
		return d
	}
	f.errs.Addf(f.file, v.Line, "%s: ogiltigt datum %q; skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03)", key, v.Value)
	return PartialDate{}
}

// sources reads a list of citations {source: id, pages?} of the source
// register (content/kallor.yaml); resolve checks the ids. The old inline
// form {title, page} is an error that says how to cite instead.
func (f *fields) sources(key string) []Source {
	v, ok := f.get(key)
	if !ok || isNull(v) {
		return nil
	}
	nodes := []*node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	}
	var out []Source
	for _, n := range nodes {
		if n.Kind != yaml.MappingNode {
			f.errs.Addf(f.file, n.Line, "%s: förväntade en källa som {source: id, pages: \"5–6\"}, fick %s", key, kindName(n))
			continue
		}
		sf := newFields(f.file, n, f.errs)
		if _, old := sf.get("title"); old {
			f.errs.Addf(f.file, n.Line, "%s: källor anges nu med id ur content/kallor.yaml, som {source: id, pages: \"5\"}, inte med title och page", key)
			continue
		}
		sf.checkUnknown([]string{"source", "pages"}, "en källa")
		var s Source
		s.Line = n.Line
		s.ID, _ = sf.str("source", true)
		if p, ok := sf.get("pages"); ok && !isNull(p) {
			if p.Kind == yaml.ScalarNode && (p.Tag == "!!int" || p.Tag == "!!str") && strings.TrimSpace(p.Value) != "" {
				s.Pages = strings.TrimSpace(p.Value)
			} else {
				f.errs.Addf(f.file, p.Line, "pages: förväntade sidor (5 eller \"6–7\"), fick %s", kindName(p))
			}
		}
		if s.ID != "" {
			out = append(out, s)
		}
	}
	return out
}

// safeURL reports whether u is an absolute http(s) URL.
func safeURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}

// SplitFile splits a document file into its front matter (YAML, without
// the --- lines) and its body, as Load does: a BOM is dropped and CRLF
// becomes LF. The error is positioned (*diag.Error).
func SplitFile(file string, raw []byte) (fm, body []byte, err error) {
	fm, _, body, _, err = splitFile(file, raw)
	return fm, body, err
}
