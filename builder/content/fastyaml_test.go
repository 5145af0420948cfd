package content

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/diag"
	yaml "go.yaml.in/yaml/v3"
)

// yamlV3Root parses data as parseYAML did before the fast parser: the root
// node of yaml.Unmarshal into a yaml.Node, nil for an empty document.
func yamlV3Root(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// diffNodes returns the first difference between two node trees, each a
// *node or a *yaml.Node, comparing every field of yaml.Node (a node has
// no anchors, aliases or comments), or "" when they are equal.
func diffNodes(got, want any, path string) string {
	g, gk, gnil := flatten(got)
	w, wk, wnil := flatten(want)
	if gnil || wnil {
		if gnil != wnil {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
	if g != w {
		return fmt.Sprintf("%s: got %+v, want %+v", path, g, w)
	}
	for i := range gk {
		if d := diffNodes(gk[i], wk[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// flatNode is every field of a node but its children.
type flatNode struct {
	Kind                                  yaml.Kind
	Style                                 yaml.Style
	Tag, Value, Anchor                    string
	HasAlias                              bool
	HeadComment, LineComment, FootComment string
	Line, Column                          int
	NilContent                            bool
	Len                                   int
}

// flatten returns the fields and children of a *node or *yaml.Node, or
// isNil.
func flatten(n any) (f flatNode, kids []any, isNil bool) {
	switch x := n.(type) {
	case *node:
		if x == nil {
			return f, nil, true
		}
		for _, c := range x.Content {
			kids = append(kids, c)
		}
		return flatNode{x.Kind, x.Style, x.Tag, x.Value, "", false, "", "", "", x.Line, x.Column, x.Content == nil, len(x.Content)}, kids, false
	case *yaml.Node:
		if x == nil {
			return f, nil, true
		}
		for _, c := range x.Content {
			kids = append(kids, c)
		}
		return flatNode{x.Kind, x.Style, x.Tag, x.Value, x.Anchor, x.Alias != nil,
			x.HeadComment, x.LineComment, x.FootComment, x.Line, x.Column, x.Content == nil, len(x.Content)}, kids, false
	}
	return f, nil, true
}

// checkFast checks the fast parser's contract on data: when it accepts,
// yaml.v3 parses data without error to an equal tree. It reports whether
// the fast parser accepted.
func checkFast(t *testing.T, name string, data []byte) bool {
	t.Helper()
	got, ok := fastYAML(data)
	if !ok {
		if got != nil {
			t.Errorf("%s: declined but returned a node", name)
		}
		return false
	}
	want, err := yamlV3Root(data)
	if err != nil {
		t.Errorf("%s: fast parser accepted what yaml.v3 rejects (%v):\n%s", name, err, data)
		return true
	}
	if d := diffNodes(got, want, "root"); d != "" {
		t.Errorf("%s: fast parser differs from yaml.v3: %s\ninput:\n%s", name, d, data)
		return true
	}
	if d := diffFields(data); d != "" {
		t.Errorf("%s: fastFields differs from newFields on yaml.v3's tree: %s\ninput:\n%s", name, d, data)
	}
	return true
}

// diffFields compares fastFields with newFields on yaml.v3's tree, as
// parseRaw would make them at line offset 7, or returns "" when equal.
func diffFields(data []byte) string {
	const offset = 7
	var fastErrs, slowErrs diag.List
	got, ok := fastFields("f.md", data, offset, &fastErrs)
	if !ok {
		return "declined what fastYAML accepts"
	}
	root, err := yamlV3Root(data)
	if err != nil {
		return err.Error()
	}
	r := fromYAML(root)
	shiftLines(r, offset)
	want := newFields("f.md", r, &slowErrs)
	if fastErrs.Len() > 0 || slowErrs.Len() > 0 {
		return fmt.Sprintf("errors: fast %v, yaml.v3 %v", fastErrs.Error(), slowErrs.Error())
	}
	if got.file != want.file || got.line != want.line || len(got.ents) != len(want.ents) || (got.idx == nil) != (want.idx == nil) {
		return fmt.Sprintf("got %s:%d with %d keys (index %v), want %s:%d with %d keys (index %v)",
			got.file, got.line, len(got.ents), got.idx != nil, want.file, want.line, len(want.ents), want.idx != nil)
	}
	for i, g := range got.ents {
		w := want.ents[i]
		if g.key != w.key || g.line != w.line {
			return fmt.Sprintf("key %d: got %q on line %d, want %q on line %d", i, g.key, g.line, w.key, w.line)
		}
		if d := diffNodes(g.val, w.val, g.key); d != "" {
			return d
		}
		if j := got.find(g.key); j != i {
			return fmt.Sprintf("find(%q) = %d, want %d", g.key, j, i)
		}
	}
	return ""
}

// fastCases are inputs with whether the fast parser must accept them. Every
// accepted one is compared with yaml.v3 by checkFast.
var fastCases = []struct {
	in     string
	accept bool
}{
	{"title: A\n", true},
	{"title: A", true},
	{"title: \"Å \\\"citat\\\" \\\\ \\u00e9\\x41\\U0001F600\\N\\_\\L\\P\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\'\"\n", true},
	{"title: 'it''s'\n", true},
	{"title: ''\n", true},
	{"title: \"\"\n", true},
	{"a: 1\nb: -2\nc: +3\nd: 0x1F\ne: 0o17\nf: 0b101\ng: 1_000\nh: 017\ni: 99999999999999999999\nj: -0b11\nk: -0o7\n", true},
	{"a: 1.5\nb: .5\nc: 1e3\nd: .inf\ne: -.Inf\nf: .NaN\ng: 1.\nh: +1.5e-3\ni: 1_0.5\nj: .x\nk: 1e\n", true},
	{"a: true\nb: True\nc: TRUE\nd: false\ne: yes\nf: no\ng: on\nh: off\ni: y\nj: n\nk: tRUE\n", true},
	{"a: ~\nb: null\nc: Null\nd: NULL\ne: nULL\nf:\ng:   \n", true},
	{"a: 2015-05-08\nb: 2015-5-8\nc: 2015-02-30\nd: 2015-05-08T10:00:00Z\ne: 2015-05-08 10:00:00\nf: 2015-05\ng: 20150-05-08\nh: 2015-05-08x\n", true},
	{"a: -\n", false},
	{"a: -x\nb: --- \nc: a-b\nd: ---\n", true},
	{"url: https://example.org/a#b?c=d\nx: a#b\ny: 'a: b'\nz: \"a # b\"\n", true},
	{"x: a: b\n", false},
	{"x: a:\n", false},
	{"x: a # comment\n", false},
	{"# comment\nx: 1\n", false},
	{"x: 1\n  # comment\n", false},
	{"x: [a, 'b', \"c\", 1, true, ~, -1, 2015-01-02]\n", true},
	{"x: []\ny: [ ]\nz: [a,b]\nw: [ a , b ]\n", true},
	{"x: [a,]\n", false},
	{"x: [a, [b]]\n", false},
	{"x: [a: b]\n", false},
	{"x: [a\n", false},
	{"x: {a: b}\n", false},
	{"x: [a] b\n", false},
	{"municipality:\n  - Aneby\n  - Å, Ä och Ö\n", true},
	{"municipality:\n- Aneby\n- Eksjö\nstatus: x\n", true},
	{"sources:\n  - title: A\n    page: 5\n  - Bara titel\n  -   title: B\n      url: https://x.se/\n", true},
	{"sources:\n- title: A\n  page: \"6–7\"\n- title: B\nx: 1\n", true},
	{"x:\n  - a:\n  - b\n", true},
	{"x:\n  - a:\n    - b\n", true},
	{"x:\n  - a:\n    b: 1\n", true},
	{"related:\n  investment_model: 3\n  target_group: 1.5\nmenu:\n  - title: Om\n    url: /om/\n", true},
	{"x:\n  a:\n    b:\n      c: 1\n  d: 2\ne: 3\n", true},
	{"  a: 1\n  b: 2\n", true},
	{"\n\na: 1\n\n\nb: 2\n\n", true},
	{"a: 1\na: 2\n", false},
	{"x:\n  a: 1\n  a: 2\n", false},
	{"a: 1\n b: 2\n", false},
	{"a:\n  b: 1\n c: 2\n", false},
	{"x:\n  - a\n - b\n", false},
	{"x:\n  - a\n  b: 1\n", false},
	{"x:\n  - - a\n", false},
	{"x:\n  -\n", false},
	{"x:\n  - \n", false},
	{"x:\n  text\n", false},
	{"x: a\n  b\n", false},
	{"x: \"a\n  b\"\n", false},
	{"x: |\n  a\n", false},
	{"x: >\n  a\n", false},
	{"x: &a 1\ny: *a\n", false},
	{"x: !!str 1\n", false},
	{"<<: {a: 1}\n", false},
	{"x: <<\n", false},
	{"x: <a\n", true},
	{"\"x\": 1\n", false},
	{"? x\n: 1\n", false},
	{"x:1\n", false},
	{"x : 1\n", false},
	{"- a\n", false},
	{"a\n", false},
	{"", false},
	{"\n\n", false},
	{"---\na: 1\n", false},
	{"a: 1\n...\n", false},
	{"%YAML 1.2\na: 1\n", false},
	{"a:\tb\n", false},
	{"a: b\r\n", false},
	{"a: \u2028\n", false},
	{"a: \u0085\n", false},
	{"a: \ufeffb\n", false},
	{"a: \"\\/\"\n", false},
	{"a: \"\\ud800\"\n", false},
	{"a: \"\\xZZ\"\n", false},
	{"a: 'x' 'y'\n", false},
	{"true: 1\nnull: 2\nyes: 3\n", true},
	{"key-with-dash: 1\nkey_with_us: 2\n", true},
	{"a: @x\n", false},
	{"a: `x\n", false},
	{"a: %x\n", false},
	{"a: ?x\n", false},
	{"a: ,x\n", false},
	{"a: x, y [z] {w}\n", true},
	{"a: \"x\" # c\n", false},
	{"a: a  \nb: \"q\"  \nc: [a]  \n", true},
	{"title: Ålänning: x\n", false},
	{"title: Åland\nsummary: Über – ”citat” ✓\n", true},
	{"x: [Å, Ä, Ö]\n", true},
	{strings.Repeat("k: 1\n", 1), true},
	{manyKeys(40), true},
}

// manyKeys returns a mapping of n keys, enough for fields' index.
func manyKeys(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "key%d: [v%d]\n", i, i)
	}
	return b.String()
}

func TestFastYAMLCases(t *testing.T) {
	for _, tc := range fastCases {
		ok := checkFast(t, fmt.Sprintf("%q", tc.in), []byte(tc.in))
		if ok != tc.accept {
			t.Errorf("%q: accepted = %v, want %v", tc.in, ok, tc.accept)
		}
	}
}

// realYAML returns the YAML of every content file below dir: the front
// matter of .md files and whole .yaml files, by slash path.
func realYAML(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch filepath.Ext(p) {
		case ".md":
			fm, _, _, _, err := splitFile(p, b)
			if err != nil {
				return fmt.Errorf("%s: %v", p, err)
			}
			out[filepath.ToSlash(p)] = fm
		case ".yaml":
			out[filepath.ToSlash(p)] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no content files below %s", dir)
	}
	return out
}

// mayDecline lists real files the fast parser may leave to yaml.v3.
var mayDecline = map[string]string{
	"vokabular.yaml": "its comments are kept on the nodes by yaml.v3",
	"kallor.yaml":    "its comments are kept on the nodes by yaml.v3",
	"synonymer.yaml": "its comments are kept on the nodes by yaml.v3",
	"site.yaml":      "its comments are kept on the nodes by yaml.v3",
}

// TestFastYAMLMatchesYAMLv3 runs the fast parser on the site's own content
// files: each must give yaml.v3's tree, and only the files in mayDecline
// may go to yaml.v3.
func TestFastYAMLMatchesYAMLv3(t *testing.T) {
	files := realYAML(t, filepath.Join("..", "..", "content"))
	for name, data := range files {
		if !checkFast(t, name, data) && mayDecline[filepath.Base(name)] == "" {
			t.Errorf("%s: the fast parser declined a real content file", name)
		}
	}
	t.Logf("%d files", len(files))
}

// FuzzFrontMatterYAML checks that whenever the fast parser accepts an
// input, yaml.v3 parses it without error to an equal tree.
func FuzzFrontMatterYAML(f *testing.F) {
	for _, tc := range fastCases {
		f.Add(tc.in)
	}
	for _, data := range realYAML(f, filepath.Join("..", "..", "content")) {
		f.Add(string(data))
	}
	f.Add(strings.Repeat("a:\n  ", maxFastDepth+2) + "b: 1\n")
	f.Fuzz(func(t *testing.T, in string) {
		checkFast(t, "input", []byte(in))
	})
}

// flowList is front matter with one flow sequence of n items on one line.
func flowList(n int) []byte {
	var b strings.Builder
	b.WriteString("partners: [")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "Partner nr %d å", i)
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

// TestFastYAMLLinear checks that the fast parser's work grows linearly
// with a long line: the columns of a flow list's items are counted in one
// pass over the line (counting each from the start of the line made
// 100,000 items take 47 s), and a mapping with many keys goes to yaml.v3
// rather than being searched for duplicates key by key.
func TestFastYAMLLinear(t *testing.T) {
	for _, n := range []int{10, 1000, 20000} {
		src := flowList(n)
		p, _, ok := fastParse(src)
		if !ok {
			t.Fatalf("%d items: fast path declined", n)
		}
		if scanned := p.colScanned; scanned > len(src) {
			t.Errorf("%d items: %d bytes counted for columns on a line of %d", n, scanned, len(src))
		}
		if got := len(p.nodes); got != n+3 { // the mapping, its key, the list and its items
			t.Errorf("%d items: %d nodes", n, got)
		}
		p.release()
	}
	if _, _, ok := fastParse([]byte(manyKeys(maxFastKeys))); !ok {
		t.Errorf("%d keys: fast path declined", maxFastKeys)
	}
	if _, _, ok := fastParse([]byte(manyKeys(maxFastKeys + 1))); ok {
		t.Errorf("%d keys: fast path took a mapping it searches in quadratic time", maxFastKeys+1)
	}
	// Past the fast path, yaml.v3 and newFields find duplicates with a map.
	src := []byte(manyKeys(5000) + "key17: igen\n")
	var errs diag.List
	root, derr := parseYAML("x.yaml", src, 0)
	if derr != nil {
		t.Fatal(derr)
	}
	newFields("x.yaml", root, &errs)
	if got := errs.Error(); !strings.Contains(got, `x.yaml:5001: fältet "key17" förekommer två gånger (första gången på rad 18)`) {
		t.Errorf("duplicate among many keys: %q", got)
	}
}

// BenchmarkFastYAMLGrowth parses a flow list and a mapping of growing
// size; time per item should stay flat.
func BenchmarkFastYAMLGrowth(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, c := range []struct {
			name string
			src  []byte
		}{{"flow", flowList(n)}, {"keys", []byte(manyKeys(n))}} {
			b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(c.src)))
				for i := 0; i < b.N; i++ {
					if _, err := parseYAML("x.yaml", c.src, 0); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
