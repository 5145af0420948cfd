package markdown

import (
	"bytes"
	"fmt"

	"github.com/exempelbanken/portal/builder/sv"
)

// Limits on what a document may ask of goldmark. goldmark's parser is
// super-linear in a few constructs: the containers opened on one line
// (each block quote or list marker rescans the line: 100,000 "- " on one
// line take 41 s), footnotes (each reference scans every definition, and
// the definitions are insertion-sorted: 40,000 take 14 s), link reference
// definitions at the start of a paragraph (each copies the rest of the
// paragraph's lines: 100,000 take 16 s) and emphasis delimiters that never match
// ("*a_ " 25,000 times takes 6 s). A document over a limit is not parsed
// at all: it is reported with the line where the limit was passed. The
// limits are deterministic (unlike a time cap, they do not depend on the
// machine) and far above what real text uses; below them no single
// document takes more than a fraction of a second.
const (
	// MaxNesting is the most block quote and list markers that may open
	// containers on one line ("> > - x" is 3).
	MaxNesting = 100
	// MaxFootnotes is the most footnote definitions ("[^1]: ...").
	MaxFootnotes = 1000
	// MaxFootnoteRefs is the most footnote references ("[^1]").
	MaxFootnoteRefs = 10000
	// MaxLinkDefWork bounds link reference definitions ("[a]: url"): the
	// sum, over the runs of non-blank lines, of the definitions in the run
	// times its lines. A block of 3,000 definitions passes, or 10 before
	// a paragraph of a million lines; separated by blank lines, any number.
	MaxLinkDefWork = 10_000_000
	// MaxDelimiters is the most emphasis and strikethrough characters
	// (*, _ and ~) in a document. Delimiters that never match cost
	// goldmark O(n²) within a paragraph; capping the document caps every
	// paragraph and the sum over them.
	MaxDelimiters = 20000
)

// limitError is a document over one of the limits: a message and the
// 0-based line of the body where the limit was passed.
type limitError struct {
	line int
	msg  string
}

// checkLimits scans src once, in O(len(src)), and returns the first limit
// it passes, or nil. The counts over-approximate what goldmark would parse
// (markers and delimiters inside code count too), so that no input under
// the limits reaches goldmark's slow paths.
func checkLimits(src []byte) *limitError {
	var footnotes, delims, refs int
	var runLines, runDefs, defWork int // the current run of non-blank lines; the sum of runDefs*runLines before it
	// Delimiters and references are counted line by line only when the
	// whole document has too many, to find the line; bytes.Count is fast.
	countDelims := bytes.Count(src, []byte("*"))+bytes.Count(src, []byte("_"))+bytes.Count(src, []byte("~")) > MaxDelimiters
	countRefs := bytes.Count(src, []byte("[^")) > MaxFootnoteRefs
	for n, rest := 0, src; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		depth, j := containers(line)
		if depth > MaxNesting {
			return &limitError{n, fmt.Sprintf("för djup nästling av citat och listor (över %d nivåer på en rad)", MaxNesting)}
		}
		body := line[j:]
		if len(body) > 0 && (body[0] == ' ' || body[0] == '\t') {
			body = bytes.TrimLeft(body, " \t")
		}
		switch {
		case bytes.HasPrefix(body, []byte("[^")) && bytes.Contains(body, []byte("]:")):
			if footnotes++; footnotes > MaxFootnotes {
				return &limitError{n, fmt.Sprintf("för många fotnoter (över %s)", sv.FormatInt(MaxFootnotes))}
			}
		case len(body) > 0 && body[0] == '[' && bytes.Contains(body, []byte("]:")):
			runDefs++
		}
		if len(bytes.TrimSpace(line)) == 0 {
			defWork += runDefs * runLines
			runDefs, runLines = 0, 0
		} else if runLines++; runDefs > 0 && defWork+runDefs*runLines > MaxLinkDefWork {
			return &limitError{n, "för många länkdefinitioner av formen [namn]: adress i ett långt stycke; skilj dem från texten och varandra med tomma rader"}
		}
		if countDelims {
			delims += bytes.Count(line, []byte("*")) + bytes.Count(line, []byte("_")) + bytes.Count(line, []byte("~"))
			if delims > MaxDelimiters {
				return &limitError{n, fmt.Sprintf("för många *, _ och ~ (över %s)", sv.FormatInt(MaxDelimiters))}
			}
		}
		if countRefs {
			refs += bytes.Count(line, []byte("[^"))
			if refs-footnotes > MaxFootnoteRefs {
				return &limitError{n, fmt.Sprintf("för många fotnotshänvisningar (över %s)", sv.FormatInt(MaxFootnoteRefs))}
			}
		}
	}
	return nil
}

// containers counts the block quote and list markers at the start of line
// that could each open a container, and returns the count and the offset
// after them. It accepts more than CommonMark does (any run of up to 8
// spaces or tabs between markers), so that it never counts fewer
// containers than goldmark opens; a trailing thematic break ("- - - -")
// opens no containers and is not counted.
func containers(line []byte) (depth, end int) {
	tb := -1 // computed at the first bullet
	i := 0
	for {
		k := i
		for k < len(line) && k-i < 8 && (line[k] == ' ' || line[k] == '\t') {
			k++
		}
		if k >= len(line) {
			return depth, i
		}
		switch c := line[k]; {
		case c == '>':
			k++
		case c == '-' || c == '*' || c == '+':
			if tb < 0 {
				tb = thematicTail(line)
			}
			if k >= tb {
				return depth, i
			}
			k++
			if k < len(line) && line[k] != ' ' && line[k] != '\t' {
				return depth, i
			}
		case c >= '0' && c <= '9':
			d := k
			for k < len(line) && k-d < 9 && line[k] >= '0' && line[k] <= '9' {
				k++
			}
			if k >= len(line) || (line[k] != '.' && line[k] != ')') {
				return depth, i
			}
			k++
			if k < len(line) && line[k] != ' ' && line[k] != '\t' {
				return depth, i
			}
		default:
			return depth, i
		}
		depth++
		i = k
	}
}

// thematicTail returns the offset where line's trailing thematic-break
// candidate starts: the longest suffix made of one of '-', '*' or '_' and
// white space. A list marker at or after it may be part of a thematic
// break rather than a container. It returns len(line) when there is none.
func thematicTail(line []byte) int {
	var c byte
	p, n := len(line), 0
	for i := len(line) - 1; i >= 0; i-- {
		b := line[i]
		if b == ' ' || b == '\t' {
			continue
		}
		if c == 0 && (b == '-' || b == '*' || b == '_') {
			c = b
		}
		if b != c {
			break
		}
		p, n = i, n+1
	}
	if n < 3 {
		return len(line)
	}
	return p
}
