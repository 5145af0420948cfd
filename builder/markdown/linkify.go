package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's extension.GFM (linkify, tables, strikethrough and task
// lists, registered in that order) with linkify behind linkifyFilter.
// gfm[1:] is the same without linkify.
var gfm = []goldmark.Extender{fastLinkify{}, extension.Table, extension.Strikethrough, extension.TaskList}

// fastLinkify registers linkifyFilter as extension.Linkify registers its
// parser: same triggers, same priority.
type fastLinkify struct{}

// Extend implements goldmark.Extender.
func (fastLinkify) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(linkifyFilter{extension.NewLinkifyParser()}, 999)))
}

// linkifyFilter wraps goldmark's linkify parser, which is tried at every
// space of every paragraph: it returns nil at once where the wrapped parser
// is certain to return nil, and otherwise defers to it. So the result is
// always the wrapped parser's.
//
// The wrapped parser skips one leading ' ', '*', '_', '~' or '(', then
// links a URL only where the text starts with "http:", "https:", "ftp:" or
// "www.", and otherwise an e-mail address only where util.FindEmailIndex
// finds one, which needs 1 to 64 local-part bytes followed by '@'.
type linkifyFilter struct{ parser.InlineParser }

// Parse implements parser.InlineParser.
func (f linkifyFilter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if bytes.HasPrefix(line, protoHTTP) || bytes.HasPrefix(line, protoHTTPS) ||
		bytes.HasPrefix(line, protoFTP) || bytes.HasPrefix(line, domainWWW) {
		return f.InlineParser.Parse(parent, block, pc)
	}
	// Remember a line without '@' for the rest of its words.
	if st, _ := pc.Get(stateKey).(*docState); st != nil {
		if seg.Start >= st.noAt.Start && seg.Stop <= st.noAt.Stop {
			return nil
		}
		if bytes.IndexByte(line, '@') < 0 {
			st.noAt = seg
			return nil
		}
	}
	i, lim := 0, min(len(line), 64)
	for i < lim && emailLocal[line[i]] {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != '@' {
		return nil
	}
	return f.InlineParser.Parse(parent, block, pc)
}

// The prefixes that make the wrapped parser look for a URL.
var (
	protoHTTP  = []byte("http:")
	protoHTTPS = []byte("https:")
	protoFTP   = []byte("ftp:")
	domainWWW  = []byte("www.")
)

// emailLocal holds the bytes util.FindEmailIndex accepts before the '@' of
// an address, found by asking it.
var emailLocal = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = util.FindEmailIndex([]byte{byte(c), '@', 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 's', 'e'}) == 12
	}
	return t
}()
