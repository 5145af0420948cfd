package content

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/exempelbanken/portal/builder/diag"
	yaml "go.yaml.in/yaml/v3"
)

// This file holds a fast parser for the small YAML subset that front matter
// is written in. yaml.v3 spends most of the content phase building its
// token and event streams; for the simple documents below this parser builds
// the same tree (as node, see fromYAML) directly from the lines.
//
// The contract is strict: fastYAML either returns exactly the root node
// yaml.Unmarshal into a yaml.Node would produce, as fromYAML converts it
// (doc.Content[0]: the same Kind, Style, Tag, Value, Line, Column and
// Content, and yaml.v3's has no anchors and no comments), or it declines and the caller parses with yaml.v3, so errors
// and anything unusual keep yaml.v3's behaviour and messages. It declines on
// anything it is not certain about, among them: comments, tabs, CR and other
// control or line-break characters, anchors, aliases, tags, directives,
// document markers, multi-line, literal and folded scalars, flow mappings,
// nested flow sequences, explicit (?) and quoted keys, keys outside
// [A-Za-z_][A-Za-z0-9_-]*, duplicate keys, merge keys (<<), empty list items,
// sequences of sequences, and every input yaml.v3 might reject.
// TestFastYAMLMatchesYAMLv3 and FuzzFrontMatterYAML check the contract.
//
// Accepted documents are block mappings (at any consistent indentation) of
//
//	key: plain, 'single' or "double" quoted scalar on one line
//	key: [flow, "sequence", of, 'scalars']
//	key:                 (null)
//	key:
//	  - block sequence items: scalars or compact mappings (- title: x)
//	key:
//	  nested: mapping

// maxFastKey is the longest key the fast parser accepts; yaml.v3 limits
// simple keys to 1024 characters.
const maxFastKey = 128

// maxFastKeys is the most keys of one mapping the fast parser takes (real
// front matter has about 15); larger mappings go to yaml.v3, so that the
// search for duplicate keys stays linear in the document.
const maxFastKeys = 64

// maxFastDepth bounds nesting; deeper documents go to yaml.v3.
const maxFastDepth = 16

type fastParser struct {
	src    string
	pos    int // offset of the start of the current line
	end    int // offset of the '\n' ending the current line, or len(src)
	line   int // 1-based number of the current line
	indent int // leading spaces of the current line
	eof    bool
	depth  int

	// colOff and colN cache the last column computed on the line that
	// starts at colPos, so the columns of many items on one line are
	// counted in one pass, not each from the start of the line.
	colPos, colOff, colN int
	colScanned           int // bytes counted by col, for the linearity test

	// The tree is built here first and copied into exactly sized node
	// and Content arrays at the end; the parser with these buffers is reused.
	nodes []fnode
	kids  []int32 // children of every container, by node index
	stack []int32 // children of the containers being built
	remap []int32 // buildFields: node index to output index, -1 if left out
}

// fnode is a node under construction; its children are
// kids[first:first+n].
type fnode struct {
	kind      yaml.Kind
	style     yaml.Style
	tag       string
	value     string
	line, col int
	first, n  int32
}

var fastParsers = sync.Pool{New: func() any { return new(fastParser) }}

// fastYAML parses data with the fast parser. ok is false when data is
// outside the subset described above; root is then nil.
func fastYAML(data []byte) (root *node, ok bool) {
	p, m, ok := fastParse(data)
	if !ok {
		return nil, false
	}
	defer p.release()
	return p.build(m), true
}

// fastFields parses front matter as fastYAML does and returns what
// newFields makes of the root mapping, with lines shifted by offset as
// parseYAML shifts them. It builds nodes for the values only: the root and
// its keys are garbage as soon as newFields has read them.
func fastFields(file string, data []byte, offset int, errs *diag.List) (*fields, bool) {
	p, m, ok := fastParse(data)
	if !ok {
		return nil, false
	}
	defer p.release()
	f := &fields{file: file, line: p.nodes[m].line + offset, errs: errs}
	f.ents = p.buildFields(m, offset)
	if len(f.ents) >= fieldsIndexFrom {
		f.idx = make(map[string]int32, 2*len(f.ents))
		for i, e := range f.ents {
			f.idx[e.key] = int32(i)
		}
	}
	return f, true
}

// fastParse runs the parser on data. When ok, the caller must release p;
// root is the index of the root mapping.
func fastParse(data []byte) (p *fastParser, root int32, ok bool) {
	if len(data) == 0 || !fastChars(data) {
		return nil, 0, false
	}
	p = fastParsers.Get().(*fastParser)
	*p = fastParser{src: string(data), nodes: p.nodes[:0], kids: p.kids[:0], stack: p.stack[:0], remap: p.remap[:0]}
	p.setLine(0, 1)
	if p.skipBlank() && !p.eof && p.isKeyAt(p.pos+p.indent) {
		if root, ok = p.mapping(p.pos + p.indent); ok && p.eof {
			return p, root, true
		}
	}
	p.release()
	return nil, 0, false
}

// build copies the tree into nodes and returns the one of node root.
func (p *fastParser) build(root int32) *node {
	out := make([]node, len(p.nodes))
	var ptrs []*node
	if len(p.kids) > 0 {
		ptrs = make([]*node, len(p.kids))
		for i, k := range p.kids {
			ptrs[i] = &out[k]
		}
	}
	for i := range p.nodes {
		f, n := &p.nodes[i], &out[i]
		n.Kind, n.Style, n.Tag, n.Value, n.Line, n.Column = f.kind, f.style, f.tag, f.value, f.line, f.col
		if f.n > 0 {
			n.Content = ptrs[f.first : f.first+f.n : f.first+f.n]
		}
	}
	return &out[root]
}

// buildFields copies the values of the root mapping's keys into nodes,
// adding offset to every line, and returns the keys as newFields would.
func (p *fastParser) buildFields(root int32, offset int) []fieldEnt {
	r := p.nodes[root]
	rootKids := p.kids[r.first : r.first+r.n]
	remap := slices.Grow(p.remap[:0], len(p.nodes))[:len(p.nodes)]
	p.remap = remap
	clear(remap)
	remap[root] = -1
	for i := 0; i < len(rootKids); i += 2 {
		remap[rootKids[i]] = -1
	}
	n := 0
	for i, o := range remap {
		if o == 0 {
			remap[i] = int32(n)
			n++
		}
	}
	out := make([]node, n)
	var ptrs []*node
	if k := len(p.kids) - len(rootKids); k > 0 {
		ptrs = make([]*node, k)
	}
	used := 0
	for i := range p.nodes {
		o := remap[i]
		if o < 0 {
			continue
		}
		f, nd := &p.nodes[i], &out[o]
		nd.Kind, nd.Style, nd.Tag, nd.Value, nd.Line, nd.Column = f.kind, f.style, f.tag, f.value, f.line+offset, f.col
		if f.n > 0 {
			c := ptrs[used : used+int(f.n) : used+int(f.n)]
			for j, kid := range p.kids[f.first : f.first+f.n] {
				c[j] = &out[remap[kid]]
			}
			nd.Content = c
			used += int(f.n)
		}
	}
	ents := make([]fieldEnt, len(rootKids)/2)
	for i := range ents {
		k := &p.nodes[rootKids[2*i]]
		ents[i] = fieldEnt{k.value, &out[remap[rootKids[2*i+1]]], k.line + offset}
	}
	return ents
}

// release returns p to the pool, dropping its references to the document.
func (p *fastParser) release() {
	if cap(p.nodes) > 4096 {
		return // an outsize document: let its buffers go
	}
	clear(p.nodes)
	p.src = ""
	fastParsers.Put(p)
}

// fastChars reports whether data is valid UTF-8 without the characters
// yaml.v3 treats specially or rejects: control characters other than LF
// (tab and CR included), DEL, C1 controls (NEL is a YAML line break), the
// line and paragraph separators, BOMs and the non-characters U+FFFE/U+FFFF.
func fastChars(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return false
		case r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			return false
		}
		i += n
	}
	return true
}

// setLine makes the line starting at offset pos, numbered line, current.
func (p *fastParser) setLine(pos, line int) {
	p.pos, p.line = pos, line
	if pos >= len(p.src) {
		p.eof, p.end, p.indent = true, len(p.src), 0
		return
	}
	if i := strings.IndexByte(p.src[pos:], '\n'); i >= 0 {
		p.end = pos + i
	} else {
		p.end = len(p.src)
	}
	n := 0
	for pos+n < p.end && p.src[pos+n] == ' ' {
		n++
	}
	p.indent = n
}

// nextLine moves to the next line.
func (p *fastParser) nextLine() {
	if p.eof {
		return
	}
	p.setLine(p.end+1, p.line+1)
}

// skipBlank moves past blank lines. It fails on a comment line.
func (p *fastParser) skipBlank() bool {
	for !p.eof {
		if p.pos+p.indent < p.end {
			return p.src[p.pos+p.indent] != '#'
		}
		p.nextLine()
	}
	return true
}

// advance moves to the next non-blank line after the current one.
func (p *fastParser) advance() bool {
	p.nextLine()
	return p.skipBlank()
}

// col returns the 1-based column (in characters, as yaml.v3 counts) of
// offset off on the current line.
func (p *fastParser) col(off int) int {
	if p.colN == 0 || p.colPos != p.pos || off < p.colOff {
		p.colPos, p.colOff, p.colN = p.pos, p.pos, 1
	}
	p.colScanned += off - p.colOff
	p.colN += utf8.RuneCountInString(p.src[p.colOff:off])
	p.colOff = off
	return p.colN
}

// node adds a node and returns its index.
func (p *fastParser) node(kind yaml.Kind, tag, value string, line, col int) int32 {
	p.nodes = append(p.nodes, fnode{kind: kind, tag: tag, value: value, line: line, col: col})
	return int32(len(p.nodes) - 1)
}

// content makes the children pushed on the stack since start the children
// of node n (none leaves Content nil, as yaml.v3 does).
func (p *fastParser) content(n int32, start int) {
	kids := p.stack[start:]
	p.nodes[n].first, p.nodes[n].n = int32(len(p.kids)), int32(len(kids))
	p.kids = append(p.kids, kids...)
	p.stack = p.stack[:start]
}

func isKeyStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isKeyChar(c byte) bool {
	return isKeyStart(c) || c >= '0' && c <= '9' || c == '-'
}

// keyEnd returns the offset of the ':' ending a simple key that starts at
// off on the current line, or -1 when there is none. The ':' must be
// followed by a space or the end of the line.
func (p *fastParser) keyEnd(off int) int {
	if off >= p.end || !isKeyStart(p.src[off]) {
		return -1
	}
	i := off + 1
	for i < p.end && isKeyChar(p.src[i]) {
		i++
	}
	if i == p.end || p.src[i] != ':' || i-off > maxFastKey {
		return -1
	}
	if i+1 < p.end && p.src[i+1] != ' ' {
		return -1
	}
	return i
}

func (p *fastParser) isKeyAt(off int) bool { return p.keyEnd(off) >= 0 }

// isSeqEntry reports whether the current line is "- ..." at its indentation.
func (p *fastParser) isSeqEntry() bool {
	i := p.pos + p.indent
	return i < p.end && p.src[i] == '-' && (i+1 == p.end || p.src[i+1] == ' ')
}

// mapping parses a block mapping whose first key starts at offset keyOff on
// the current line; its indentation is the key's column. It returns at the
// first non-blank line indented less, or at the end.
func (p *fastParser) mapping(keyOff int) (int32, bool) {
	if p.depth++; p.depth > maxFastDepth {
		return 0, false
	}
	defer func() { p.depth-- }()
	ind := keyOff - p.pos // the line up to the key is ASCII
	m := p.node(yaml.MappingNode, "!!map", "", p.line, ind+1)
	start := len(p.stack)
	for {
		colon := p.keyEnd(keyOff)
		if colon < 0 {
			return 0, false
		}
		key := p.src[keyOff:colon]
		if len(p.stack)-start >= 2*maxFastKeys {
			return 0, false // checking for duplicates would grow quadratically
		}
		for i := start; i < len(p.stack); i += 2 {
			if p.nodes[p.stack[i]].value == key {
				return 0, false // duplicate: leave it to yaml.v3 and newFields
			}
		}
		tag, ok := resolvePlain(key)
		if !ok {
			return 0, false
		}
		k := p.node(yaml.ScalarNode, tag, key, p.line, ind+1)
		v, ok := p.value(colon, ind)
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, k, v)
		if p.eof || p.indent < ind {
			break
		}
		if p.indent > ind {
			return 0, false
		}
		keyOff = p.pos + ind
	}
	p.content(m, start)
	return m, true
}

// value parses the value after the ':' at offset colon of a key in a
// mapping indented ind, and moves to the next non-blank line after it.
func (p *fastParser) value(colon, ind int) (int32, bool) {
	i := colon + 1
	for i < p.end && p.src[i] == ' ' {
		i++
	}
	if i < p.end {
		v, ok := p.inline(i)
		if !ok || !p.advance() {
			return 0, false
		}
		return v, true
	}
	// Nothing after the colon: a block below, or null (positioned just
	// after the colon, as yaml.v3 does).
	nullLine, nullCol := p.line, p.col(colon)+1
	if !p.advance() {
		return 0, false
	}
	switch {
	case p.eof || p.indent < ind:
	case p.indent == ind:
		if p.isSeqEntry() {
			return p.sequence(true)
		}
	default:
		if p.isSeqEntry() {
			return p.sequence(false)
		}
		return p.mapping(p.pos + p.indent)
	}
	return p.node(yaml.ScalarNode, "!!null", "", nullLine, nullCol), true
}

// sequence parses a block sequence whose first "- " is on the current line.
// An indentless sequence (a mapping value at the key's own indentation)
// ends at a line of that indentation that is not "- ".
func (p *fastParser) sequence(indentless bool) (int32, bool) {
	if p.depth++; p.depth > maxFastDepth {
		return 0, false
	}
	defer func() { p.depth-- }()
	ind := p.indent
	s := p.node(yaml.SequenceNode, "!!seq", "", p.line, ind+1)
	start := len(p.stack)
	for {
		i := p.pos + ind + 1
		for i < p.end && p.src[i] == ' ' {
			i++
		}
		if i == p.end {
			return 0, false // "-" alone: the item is below or null
		}
		if c := p.src[i]; c == '-' && (i+1 == p.end || p.src[i+1] == ' ') {
			return 0, false // a sequence in a sequence
		}
		var item int32
		var ok bool
		if p.isKeyAt(i) {
			item, ok = p.mapping(i)
		} else if item, ok = p.inline(i); ok {
			ok = p.advance()
		}
		if !ok {
			return 0, false
		}
		p.stack = append(p.stack, item)
		if p.eof || p.indent < ind {
			break
		}
		if p.indent > ind {
			return 0, false
		}
		if !p.isSeqEntry() {
			if indentless {
				break
			}
			return 0, false
		}
	}
	p.content(s, start)
	return s, true
}

// isIndicator reports whether c cannot start a plain scalar.
func isIndicator(c byte) bool {
	switch c {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return true
	}
	return false
}

// inline parses a scalar or flow sequence starting at offset i and ending
// the current line.
func (p *fastParser) inline(i int) (int32, bool) {
	var n int32
	var j int
	var ok bool
	switch c := p.src[i]; c {
	case '"', '\'':
		n, j, ok = p.quoted(i)
	case '[':
		n, j, ok = p.flow(i)
	default:
		if isIndicator(c) && (c != '-' || i+1 == p.end || p.src[i+1] == ' ') {
			return 0, false
		}
		for j = i; j < p.end; j++ {
			switch p.src[j] {
			case ':':
				if j+1 == p.end || p.src[j+1] == ' ' {
					return 0, false // a mapping in a scalar's place
				}
			case '#':
				if p.src[j-1] == ' ' {
					return 0, false // a comment
				}
			}
		}
		v := strings.TrimRight(p.src[i:p.end], " ")
		tag, ok := resolvePlain(v)
		if !ok {
			return 0, false
		}
		return p.node(yaml.ScalarNode, tag, v, p.line, p.col(i)), true
	}
	if !ok {
		return 0, false
	}
	for j < p.end && p.src[j] == ' ' {
		j++
	}
	if j != p.end {
		return 0, false
	}
	return n, true
}

// quoted parses a single- or double-quoted scalar starting at offset i and
// closed on the same line; j is the offset after the closing quote.
func (p *fastParser) quoted(i int) (n int32, j int, ok bool) {
	q := p.src[i]
	style := yaml.DoubleQuotedStyle
	if q == '\'' {
		style = yaml.SingleQuotedStyle
	}
	var buf []byte // nil until an escape is seen
	from := i + 1
	for j = i + 1; ; j++ {
		if j >= p.end {
			return 0, 0, false // not closed on this line
		}
		c := p.src[j]
		if c == q {
			if q == '\'' && j+1 < p.end && p.src[j+1] == '\'' {
				buf = append(append(buf, p.src[from:j]...), '\'')
				j++
				from = j + 1
				continue
			}
			break
		}
		if c == '\\' && q == '"' {
			buf = append(buf, p.src[from:j]...)
			var w int
			if buf, w, ok = unescape(buf, p.src[j+1:p.end]); !ok {
				return 0, 0, false
			}
			j += w
			from = j + 1
		}
	}
	v := p.src[from:j]
	if buf != nil {
		v = string(append(buf, v...))
	}
	n = p.node(yaml.ScalarNode, "!!str", v, p.line, p.col(i))
	p.nodes[n].style = style
	return n, j + 1, true
}

// yamlEscapes are the one-character escapes of double-quoted YAML scalars
// and what they stand for.
var yamlEscapes = map[byte]rune{
	'0': 0, 'a': '\a', 'b': '\b', 't': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r',
	'e': 0x1b, ' ': ' ', '"': '"', '\'': '\'', '\\': '\\',
	'N': 0x85, '_': 0xa0, 'L': 0x2028, 'P': 0x2029,
}

// unescape appends the character of the double-quoted escape at the start
// of s (after the backslash) to buf, as yaml.v3 decodes it; w is the length
// of the escape without the backslash.
func unescape(buf []byte, s string) (_ []byte, w int, ok bool) {
	if s == "" {
		return nil, 0, false
	}
	if r, ok := yamlEscapes[s[0]]; ok {
		return utf8.AppendRune(buf, r), 1, true
	}
	code := 0
	switch s[0] {
	case 'x':
		code = 2
	case 'u':
		code = 4
	case 'U':
		code = 8
	default:
		return nil, 0, false
	}
	if len(s) < 1+code {
		return nil, 0, false
	}
	v := 0
	for _, c := range []byte(s[1 : 1+code]) {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 + int(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 + int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v = v<<4 + int(c-'A') + 10
		default:
			return nil, 0, false
		}
	}
	if (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff {
		return nil, 0, false
	}
	return utf8.AppendRune(buf, rune(v)), 1 + code, true
}

// flow parses a flow sequence of scalars starting at offset i ('[') and
// closed on the same line; j is the offset after the ']'.
func (p *fastParser) flow(i int) (n int32, j int, ok bool) {
	s := p.node(yaml.SequenceNode, "!!seq", "", p.line, p.col(i))
	p.nodes[s].style = yaml.FlowStyle
	start := len(p.stack)
	j = i + 1
	skip := func() {
		for j < p.end && p.src[j] == ' ' {
			j++
		}
	}
	skip()
	if j < p.end && p.src[j] == ']' {
		return s, j + 1, true
	}
	for {
		if j >= p.end {
			return 0, 0, false
		}
		var item int32
		switch c := p.src[j]; {
		case c == '"' || c == '\'':
			if item, j, ok = p.quoted(j); !ok {
				return 0, 0, false
			}
		case isIndicator(c) && (c != '-' || j+1 == p.end || p.src[j+1] == ' ' || p.src[j+1] == ',' || p.src[j+1] == ']'):
			return 0, 0, false
		default:
			k := j
			for ; k < p.end && p.src[k] != ',' && p.src[k] != ']'; k++ {
				switch p.src[k] {
				case ':', '#', '?', '[', '{', '}', '"', '\'':
					return 0, 0, false
				}
			}
			if k == p.end {
				return 0, 0, false
			}
			v := strings.TrimRight(p.src[j:k], " ")
			tag, ok := resolvePlain(v)
			if !ok {
				return 0, 0, false
			}
			item = p.node(yaml.ScalarNode, tag, v, p.line, p.col(j))
			j = k
		}
		p.stack = append(p.stack, item)
		skip()
		if j >= p.end {
			return 0, 0, false
		}
		if p.src[j] == ']' {
			p.content(s, start)
			return s, j + 1, true
		}
		if p.src[j] != ',' {
			return 0, 0, false
		}
		j++
		skip()
		if j < p.end && (p.src[j] == ']' || p.src[j] == ',') {
			return 0, 0, false // trailing or empty entry
		}
	}
}

// resolvePlain returns the tag yaml.v3 resolves a plain scalar to. It
// follows go.yaml.in/yaml/v3's resolve (resolve.go, Apache License 2.0) for
// an untagged scalar; ok is false for values it leaves to yaml.v3 (the
// merge key "<<" and the empty value).
func resolvePlain(s string) (tag string, ok bool) {
	if s == "" {
		return "", false
	}
	switch s[0] {
	case '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return resolveNumber(s), true
	case '.':
		switch s {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
			return "!!float", true
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float", true
		}
		return "!!str", true
	case '<':
		if s == "<<" {
			return "", false
		}
		return "!!str", true
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		switch s {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool", true
		case "~", "null", "Null", "NULL":
			return "!!null", true
		}
	}
	return "!!str", true
}

var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolveNumber resolves a plain scalar starting with a sign or digit.
func resolveNumber(s string) string {
	switch s {
	case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	}
	if isTimestamp(s) {
		return "!!timestamp"
	}
	plain := strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return "!!int"
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return "!!int"
	}
	if yamlStyleFloat.MatchString(plain) {
		if _, err := strconv.ParseFloat(plain, 64); err == nil {
			return "!!float"
		}
	}
	switch {
	case strings.HasPrefix(plain, "0b"):
		if _, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return "!!int"
		}
	case strings.HasPrefix(plain, "-0b"):
		if _, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return "!!int"
		}
	}
	switch {
	case strings.HasPrefix(plain, "0o"):
		if _, err := strconv.ParseInt(plain[2:], 8, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
			return "!!int"
		}
	case strings.HasPrefix(plain, "-0o"):
		if _, err := strconv.ParseInt("-"+plain[3:], 8, 64); err == nil {
			return "!!int"
		}
	}
	return "!!str"
}

var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isTimestamp reports whether yaml.v3 reads s as a timestamp (its
// parseTimestamp): four digits and a '-', then one of its formats.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	// The common case first: a date alone.
	if _, err := time.Parse("2006-1-2", s); err == nil {
		return true
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
