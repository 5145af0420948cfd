package htmlexec

import (
	"bytes"
	"errors"
	"html/template"
	"runtime"
	"strings"
	"testing"
)

// TestUpstreamGo fails when the toolchain is another Go release than the
// one the escapers were copied from: a release may change html/template's
// escapers, and the copy would then escape less than html/template does.
// Compare html/template/html.go, url.go and content.go of the new release
// with escape.go, bring over what changed, and update upstreamGo.
func TestUpstreamGo(t *testing.T) {
	v := runtime.Version() // "go1.26.8", "go1.27rc1", "devel ..."
	if strings.HasPrefix(v, "devel") {
		t.Skip("a development toolchain has no release number")
	}
	release := v
	if i := strings.IndexAny(v[len("go1."):], ".rcbeta"); i >= 0 {
		release = v[:len("go1.")+i]
	}
	if release != upstreamGo {
		t.Fatalf("Go är %s men htmlexec:s escapers är kopierade från %s: jämför html/template/html.go, url.go och content.go med escape.go och uppdatera upstreamGo", v, upstreamGo)
	}
}

// fuzzContexts are the HTML contexts the copied escapers serve, each a
// template around one value.
var fuzzContexts = []string{
	`<p>{{.}}</p>`,
	`<a title="{{.}}">x</a>`,
	`<a title='{{.}}'>x</a>`,
	`<a title={{.}}>x</a>`,
	`<a href="{{.}}">x</a>`,
	`<a href="/s/?q={{.}}&r={{.}}">x</a>`,
	`<a href="/{{.}}/#{{.}}">x</a>`,
	`<img srcset="{{.}}">`,
	`<title>{{.}}</title>`,
	`<textarea>{{.}}</textarea>`,
	`<!-- {{.}} -->`,
	`{{if .}}<b>{{.}}</b>{{else}}tom{{end}}`,
	`{{range $i, $c := slice .}}{{$i}}<i data-c="{{$c}}">{{$c}}</i>{{end}}`,
}

// FuzzEscapers compares htmlexec with html/template: a value in every
// context, as text, as typed HTML and as a typed URL, and a template made
// from the fuzzer's text around the value. Where htmlexec declines
// (ErrUnsupported) html/template runs the page, so only a difference in
// output is an error.
func FuzzEscapers(f *testing.F) {
	for _, s := range []string{"", "vanlig text", `"'&<>+`, "javascript:alert(1)", "nul\x00", "\xff\xfe", "/väg/%zz?x=1#y", "<b>fet</b>"} {
		f.Add(s, `<p title="`)
	}
	f.Add("x", `<a href="`)
	f.Add("x", `<script>var x = `)
	f.Fuzz(func(t *testing.T, value, prefix string) {
		srcs := append([]string{}, fuzzContexts...)
		// A generated template: the fuzzer's text, then the value in
		// whatever context that text leaves open.
		srcs = append(srcs, prefix+`{{.}}`)
		funcs := template.FuncMap{"slice": func(s any) []string {
			if str, ok := s.(string); ok && len(str) > 0 {
				return strings.Split(str, "")[:min(len(str), 3)]
			}
			return nil
		}}
		for _, src := range srcs {
			tmpl, err := template.New("t").Funcs(funcs).Parse(src)
			if err != nil {
				continue
			}
			for _, v := range []any{value, template.HTML(value), template.URL(value)} {
				var want bytes.Buffer
				if err := tmpl.Execute(&want, v); err != nil {
					continue // html/template refuses: so does the page
				}
				var got bytes.Buffer
				err := New(tmpl, funcs).Execute(&got, "t", v)
				if errors.Is(err, ErrUnsupported) {
					continue
				}
				if err != nil {
					t.Fatalf("%q with %#v: %v", src, v, err)
				}
				if got.String() != want.String() {
					t.Fatalf("%q with %#v:\n htmlexec:      %q\n html/template: %q", src, v, got.String(), want.String())
				}
			}
		}
	})
}
