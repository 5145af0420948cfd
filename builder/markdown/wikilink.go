package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindWikiLink is the node kind of a [[wiki link]].
var KindWikiLink = ast.NewNodeKind("WikiLink")

// WikiLink is an inline [[target]] or [[target|text]] link. The transformer
// fills URL and Title; an unresolved link keeps an empty URL.
type WikiLink struct {
	ast.BaseInline
	Target   []byte
	Label    []byte // text after |, or nil
	Offset   int    // byte offset of "[[" in the source
	URL      string
	Title    string
	Resolved bool // false: unknown target (an error was reported)
}

// Kind implements ast.Node.
func (n *WikiLink) Kind() ast.NodeKind { return KindWikiLink }

// Dump implements ast.Node.
func (n *WikiLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Target": string(n.Target), "URL": n.URL}, nil)
}

// Display returns what the link shows: the label, the resolved title or the
// target as written.
func (n *WikiLink) Display() []byte {
	switch {
	case len(n.Label) > 0:
		return n.Label
	case n.Title != "":
		return []byte(n.Title)
	}
	return n.Target
}

type wikiParser struct{}

// Trigger implements parser.InlineParser.
func (wikiParser) Trigger() []byte { return []byte{'['} }

// Parse implements parser.InlineParser: it recognises [[...]] on one line.
func (wikiParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 4 || line[1] != '[' {
		return nil
	}
	// The target holds no '[', ']' or newline, so the first of them must
	// be the "]]" that closes it. Stopping there keeps a line of many "[["
	// linear.
	end := bytes.IndexAny(line[2:], "[]\n")
	if end < 0 || line[2+end] != ']' || 2+end+1 >= len(line) || line[2+end+1] != ']' {
		return nil
	}
	inner := line[2 : 2+end]
	if len(bytes.TrimSpace(inner)) == 0 {
		return nil
	}
	n := &WikiLink{Offset: seg.Start}
	if i := bytes.IndexByte(inner, '|'); i >= 0 {
		n.Target = bytes.TrimSpace(bytes.TrimSuffix(inner[:i], []byte("\\")))
		n.Label = bytes.TrimSpace(inner[i+1:])
	} else {
		n.Target = bytes.TrimSpace(inner)
	}
	n.Target = append([]byte(nil), n.Target...)
	n.Label = append([]byte(nil), n.Label...)
	block.Advance(end + 4)
	return n
}

// wikiRenderer renders WikiLink nodes.
type wikiRenderer struct{}

func (wikiRenderer) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*WikiLink)
	if n.URL == "" && n.Resolved {
		w.Write(util.EscapeHTML(n.Display()))
		return ast.WalkSkipChildren, nil
	}
	if n.URL == "" {
		w.WriteString(`<span class="broken-link">`)
		w.Write(util.EscapeHTML(n.Display()))
		w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<a href="`)
	w.Write(util.EscapeHTML([]byte(n.URL)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML(n.Display()))
	w.WriteString(`</a>`)
	return ast.WalkSkipChildren, nil
}
