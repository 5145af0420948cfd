package markdown

import (
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// plainText is goldmark's html.Writer with a fast path: text without a
// byte that its Write or RawWrite would change (NUL, the HTML specials
// " & < > and the backslash of an escape) is copied as it is, in one pass
// over a table, instead of being escaped byte by byte in two. Everything
// else goes to goldmark's writer (TestPlainTextWriter compares the two).
type plainText struct{ html.Writer }

// textSpecial marks the bytes goldmark's writer may change.
var textSpecial = [256]bool{0: true, '"': true, '&': true, '<': true, '>': true, '\\': true}

func isPlainText(b []byte) bool {
	for _, c := range b {
		if textSpecial[c] {
			return false
		}
	}
	return true
}

// Write implements html.Writer.
func (p plainText) Write(w util.BufWriter, source []byte) {
	if isPlainText(source) {
		_, _ = w.Write(source)
		return
	}
	p.Writer.Write(w, source)
}

// RawWrite implements html.Writer.
func (p plainText) RawWrite(w util.BufWriter, source []byte) {
	if isPlainText(source) {
		_, _ = w.Write(source)
		return
	}
	p.Writer.RawWrite(w, source)
}
