package htmlexec

import (
	"bytes"
	"errors"
	"html/template"
	"strings"
	"testing"
	"time"
)

type item struct {
	Name  string
	URL   string
	N     int
	Tags  []string
	HTML  template.HTML
	Ptr   *item
	Inner struct{ X string }
}

func (i item) Upper() string { return strings.ToUpper(i.Name) }

func (i *item) Ref() string { return "ref:" + i.Name }

func (i *item) Fails() (string, error) { return "", errors.New("boom") }

type status int

func (s status) String() string { return [...]string{"planerad", "pågående"}[s] }

type page struct {
	Title   string
	Items   []*item
	Values  []item
	Map     map[string]string
	Nested  map[string][]int
	Any     any
	Nil     *item
	Empty   []string
	Zero    int
	Flag    bool
	When    time.Time
	Status  status
	Typed   template.URL
	Count   int64
	Attr    string
	Iface   any
	NilIntf any
}

var funcs = template.FuncMap{
	"upper": strings.ToUpper,
	"url": func(v any) string {
		return "/x/" + template.HTMLEscapeString(strings.TrimSpace(strings.ToLower(toString(v)))) + "/"
	},
	"iso":  func(t time.Time) string { return t.Format("2006-01-02") },
	"pair": func(a, b string) string { return a + "+" + b },
	"safe": func(s string) template.HTML { return template.HTML(s) },
	"fail": func() (string, error) { return "", errors.New("fel") },
	"two":  func(n int64, s string) string { return s + strings.Repeat("!", int(n)) },
	"item": func(i *item) string { return "item:" + i.Name },
	"num":  func(n int) string { return "#" + strings.Repeat("i", n) },
	"big":  func(n int64) string { return "L" + strings.Repeat("i", int(n)) },
	"pre":  strings.HasPrefix,
	"name": func(v any) (string, error) {
		if i, ok := v.(*item); ok {
			return "<" + i.Name + ">", nil
		}
		return "", errors.New("inget item")
	},
	"bold": func(v any) (template.HTML, error) {
		if s, ok := v.(string); ok {
			return template.HTML("<b>" + template.HTMLEscapeString(s) + "</b>"), nil
		}
		return "", errors.New("ingen text")
	},
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case *item:
		return x.Name
	}
	return ""
}

func data() *page {
	a := &item{Name: `Å "citat" & <tagg>`, URL: "https://example.org/a b?x=1&y=ö", N: 2, Tags: []string{"x", "y"}, HTML: "<b>fet</b>"}
	b := &item{Name: "Bo+Ba 'ett'", URL: "javascript:alert(1)", N: 0, Ptr: a}
	b.Inner.X = "inre"
	return &page{
		Title:   "Titel – <em>",
		Items:   []*item{a, b},
		Values:  []item{*a, *b},
		Map:     map[string]string{"b": "2", "a": "1", "portal.js": "/js/p.js"},
		Nested:  map[string][]int{"k": {1, 2}},
		Any:     a,
		When:    time.Date(2015, 7, 3, 0, 0, 0, 0, time.UTC),
		Status:  1,
		Typed:   "/säker väg?q=1",
		Count:   3,
		Attr:    "a\x00b\"c'd",
		Iface:   template.HTML("<i>ok</i>"),
		NilIntf: nil,
	}
}

// cases are templates the Executor must run itself, with output equal to
// html/template's.
var cases = []struct{ name, src string }{
	{"text", `<p>hej</p>`},
	{"field", `<h1>{{.Title}}</h1>`},
	{"attr", `<a title="{{.Title}}" href="{{(index .Items 0).URL}}">x</a>`},
	{"unsafe url", `<a href="{{(index .Items 1).URL}}">x</a>`},
	{"typed url", `<a href="{{.Typed}}">x</a>`},
	{"url in query", `<a href="/sok/?q={{.Title}}&k={{(index .Items 0).Name}}">x</a>`},
	{"nul in attr", `<p data-x="{{.Attr}}">{{.Attr}}</p>`},
	{"html content", `<div>{{(index .Items 0).HTML}}</div>`},
	{"interface html", `<div>{{.Iface}}</div>`},
	{"nil interface", `<div>{{.NilIntf}}|{{.Any}}</div>`},
	{"range", `<ul>{{range .Items}}<li>{{.Name}} {{.N}}</li>{{end}}</ul>`},
	{"range index", `{{range $i, $it := .Items}}{{if $i}}, {{end}}{{$i}}={{$it.Name}}{{end}}`},
	{"range one var", `{{range $it := .Values}}[{{$it.Upper}}]{{end}}`},
	{"range else", `{{range .Empty}}x{{else}}tom{{end}}`},
	{"range map", `{{range $k, $v := .Map}}{{$k}}:{{$v}};{{end}}`},
	{"range int", `{{range 3}}{{.}}{{end}}`},
	{"range break continue", `{{range .Items}}{{if eq .N 0}}{{break}}{{end}}{{.Name}}{{continue}}x{{end}}`},
	{"if else chain", `{{if .Zero}}a{{else if .Flag}}b{{else if .Title}}c{{else}}d{{end}}`},
	{"with else", `{{with .Nil}}{{.Name}}{{else with .Title}}{{.}}{{else}}none{{end}}`},
	{"with empty", `{{with .Empty}}x{{else}}tom{{end}}`},
	{"method value receiver", `{{range .Values}}{{.Upper}}{{end}}`},
	{"method pointer receiver", `{{range .Items}}{{.Ref}}{{end}}{{(index .Items 0).Upper}}`},
	{"addressable value method", `{{range .Values}}{{.Ref}}{{end}}`},
	{"chain through pointer", `{{(index .Items 1).Ptr.Name}} {{(index .Items 1).Inner.X}}`},
	{"variable chain", `{{$p := index .Items 1}}{{$p.Ptr.Name}}{{$.Title}}`},
	{"variable assign", `{{$x := "a"}}{{if .Flag}}{{else}}{{$x = "b"}}{{end}}{{$x}}`},
	{"stringer", `<span>{{.Status}}</span>`},
	{"int64 and bool", `{{.Count}} {{.Flag}} {{.Zero}}`},
	{"map field", `{{.Map.a}}{{index .Map "portal.js"}}{{with index .Map "portal.js"}}<script src="{{.}}"></script>{{end}}`},
	{"nested index", `{{index .Nested.k 1}}{{len .Nested.k}}`},
	{"len", `{{len .Items}} {{len .Title}} {{len .Map}}`},
	{"and or not", `{{and .Title .Zero}}|{{or .Zero .Empty "x"}}|{{not .Flag}}|{{and 1 2}}|{{or .Zero}}`},
	{"comparisons", `{{eq .Zero 0}}{{ne .Title "a"}}{{lt 1 2}}{{le 2 2}}{{gt .Count 5}}{{ge .Count 3}}{{eq .Flag false}}`},
	{"funcs", `{{upper .Title}} {{url .Any}} {{iso .When}} {{pair "a" .Title}} {{item (index .Items 0)}}`},
	{"typed funcs", `{{num 2}} {{num .Zero}} {{big .Count}} {{pre .Title "Tit"}} {{pre .Title "x"}} {{name (index .Items 0)}} {{bold .Title}} <a title="{{name (index .Items 1)}}">`},
	{"piped func", `{{.Title | upper}} {{"x" | pair "y"}}`},
	{"func returning html", `{{safe "<b>ja</b>"}}<a title="{{upper "x"}}">`},
	{"parenthesized", `{{(upper (index .Items 0).Name)}}`},
	{"nested calls", `{{pair (upper "a") (pair "b" (upper (pair "c" "d")))}} {{eq (len .Items) (len (index .Items 0).Tags)}} {{and (eq 1 1) (ne (upper "x") (upper "y")) (or .Zero (pair "e" "f"))}}`},
	{"template call", `{{define "li"}}<li>{{.Name}}</li>{{end}}<ul>{{range .Items}}{{template "li" .}}{{end}}</ul>`},
	{"template vars reset", `{{define "v"}}{{$}}{{end}}{{$x := 1}}{{template "v" "inne"}}{{$x}}`},
	{"block", `{{block "b" .}}<b>{{.Title}}</b>{{end}}`},
	{"comments", `a{{/* kommentar */}}b<!-- html -->c`},
	{"trim", "a  {{- .Title -}}  b"},
	{"rcdata", `<title>{{.Title}} {{(index .Items 0).HTML}}</title><textarea>{{.Attr}}</textarea>`},
	{"constants", `{{"<s>"}} {{1}} {{true}} {{.}}`},
	{"empty action output", `<p class="{{if .Flag}}on{{end}} x-{{.Zero}}">`},
}

func run(t *testing.T, src string, d any) (std, fast string, fastErr error) {
	t.Helper()
	tmpl, err := template.New("t").Funcs(funcs).Parse(src)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var sb bytes.Buffer
	if err := tmpl.Execute(&sb, d); err != nil {
		t.Fatalf("html/template: %v", err)
	}
	var fb bytes.Buffer
	fastErr = New(tmpl, funcs).Execute(&fb, "t", d)
	return sb.String(), fb.String(), fastErr
}

func TestExecuteMatchesHTMLTemplate(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			std, fast, err := run(t, c.src, data())
			if err != nil {
				t.Fatalf("Execute: %v\nhtml/template wrote %q", err, std)
			}
			if fast != std {
				t.Errorf("output differs\n  htmlexec: %q\nhtml/template: %q", fast, std)
			}
		})
	}
}

// TestUnsupported checks that what the Executor does not implement, and
// every error, is reported as ErrUnsupported, never as wrong output.
func TestUnsupported(t *testing.T) {
	for _, c := range []struct{ name, src string }{
		{"html in attribute", `<a title="{{(index .Items 0).HTML}}">`},
		{"javascript", `<script>var x = {{.Title}};</script>`},
		{"css", `<p style="color: {{.Title}}">`},
		{"printf", `{{printf "%d" .Count}}`},
		{"method error", `{{(index .Items 0).Fails}}`},
		{"func error", `{{fail}}`},
		{"func (any) error", `{{name .Title}}`},
		{"html func error", `{{bold .Count}}`},
		{"nil pointer field", `{{.Nil.Name}}`},
		{"missing map key", `{{.Map.zzz}}`},
		{"int64 constant argument", `{{two 2 "a"}}`},
		{"index out of range", `{{index .Items 5}}`},
		{"compare mixed kinds", `{{eq .Title 1}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl, err := template.New("t").Funcs(funcs).Parse(c.src)
			if err != nil {
				t.Fatal(err)
			}
			tmpl.Execute(&bytes.Buffer{}, data()) // escape, as a first execution does
			var fb bytes.Buffer
			err = New(tmpl, funcs).Execute(&fb, "t", data())
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("Execute = %v (wrote %q), want ErrUnsupported", err, fb.String())
			}
		})
	}
}

// TestEscapersMatchHTMLTemplate runs tricky values through every context
// the copied escapers serve.
func TestEscapersMatchHTMLTemplate(t *testing.T) {
	src := `<p>{{.}}</p><a href="{{.}}" title="{{.}}">x</a><a href="/s/?q={{.}}">y</a><a href="/{{.}}/">z</a><title>{{.}}</title><!-- {{.}} -->`
	values := []any{
		"", "vanlig text", `"citat" 'apostrof' & <tagg> +plus`, "nul\x00byte", "ogiltig \xff\xfe utf-8",
		"javascript:alert(1)", "JaVaScRiPt:x", "mailto:a@b.se", "http://a.se/ä ö?x=1&y=2#frag", "//ex.org/a",
		"/väg/med%20procent%zz%4", "data:text/html;base64,xx", "a/b:c", "\ufdd0\ufffe", "tab\tny\nrad",
		template.URL("javascript:ok()"), template.URL("/a b/%41"), template.HTML("<b>fet</b> & mer"),
		template.CSS("color: red"), template.JS("x<y"), 42, int64(-7), true, status(0), 3.5, nil,
		[]string{"a", "b"}, &item{Name: "pekare"},
	}
	for _, v := range values {
		tmpl := template.Must(template.New("t").Parse(src))
		var sb bytes.Buffer
		if err := tmpl.Execute(&sb, v); err != nil {
			t.Fatalf("%#v: html/template: %v", v, err)
		}
		var fb bytes.Buffer
		err := New(tmpl, nil).Execute(&fb, "t", v)
		if errors.Is(err, ErrUnsupported) {
			if _, isHTML := v.(template.HTML); isHTML {
				continue // HTML in an attribute needs html/template's tag stripper
			}
		}
		if err != nil {
			t.Errorf("%#v: %v", v, err)
			continue
		}
		if fb.String() != sb.String() {
			t.Errorf("%#v:\n  htmlexec: %q\nhtml/template: %q", v, fb.String(), sb.String())
		}
	}
}

// TestConcurrent runs one Executor from many goroutines (go test -race).
func TestConcurrent(t *testing.T) {
	src := `{{range .Items}}<a href="{{.URL}}">{{.Name}}{{.Upper}}</a>{{end}}`
	tmpl := template.Must(template.New("t").Funcs(funcs).Parse(src))
	var want bytes.Buffer
	if err := tmpl.Execute(&want, data()); err != nil {
		t.Fatal(err)
	}
	ex := New(tmpl, funcs)
	done := make(chan string)
	for range 8 {
		go func() {
			var b bytes.Buffer
			for range 50 {
				b.Reset()
				if err := ex.Execute(&b, "t", data()); err != nil {
					done <- err.Error()
					return
				}
			}
			done <- b.String()
		}()
	}
	for range 8 {
		if got := <-done; got != want.String() {
			t.Errorf("got %q", got)
		}
	}
}

func BenchmarkExecute(b *testing.B) {
	src := `<ul>{{range .Items}}<li><a href="{{.URL}}" title="{{.Name}}">{{.Name}}</a> {{.Upper}} {{url .}}</li>{{end}}</ul>{{with .Map}}{{index . "a"}}{{end}}`
	tmpl := template.Must(template.New("t").Funcs(funcs).Parse(src))
	d := data()
	for range 5 {
		d.Items = append(d.Items, d.Items...)
	}
	tmpl.Execute(&bytes.Buffer{}, d)
	ex := New(tmpl, funcs)
	var buf bytes.Buffer
	b.Run("html/template", func(b *testing.B) {
		for b.Loop() {
			buf.Reset()
			tmpl.Execute(&buf, d)
		}
	})
	b.Run("htmlexec", func(b *testing.B) {
		for b.Loop() {
			buf.Reset()
			if err := ex.Execute(&buf, "t", d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestHTMLSpecial: the pre-check table marks exactly the bytes the
// replacement tables replace.
func TestHTMLSpecial(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := false
		for _, table := range [][]string{htmlReplacementTable, htmlNormReplacementTable} {
			if c < len(table) && table[c] != "" {
				want = true
			}
		}
		if htmlSpecial[c] != want {
			t.Errorf("htmlSpecial[%q] = %v, want %v", rune(c), htmlSpecial[c], want)
		}
	}
}
