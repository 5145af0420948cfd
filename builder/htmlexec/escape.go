// Copyright 2011 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.
//
// The escapers below are html/template's own (html/template/html.go,
// url.go, content.go), restricted to one argument, as of the Go release in
// upstreamGo. They are copied because html/template does not export them;
// TestEscapersMatchHTMLTemplate and FuzzEscapers check them against the
// real ones, and TestUpstreamGo fails when the toolchain moves to another
// release, until the copy has been compared with that release's files. Where html/template would need its HTML
// tokenizer (stripTags, for HTML content in attributes) or a JavaScript or
// CSS escaper, they report !ok and the page falls back to html/template.

package htmlexec

import (
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
)

// upstreamGo is the Go release whose html/template escapers (html.go,
// url.go, content.go of the go1.26.8 source tree) this file copies.
const upstreamGo = "go1.26"

// escaper escapes text s of content type t for one HTML context. ok is
// false when it needs what this package does not implement.
type escaper func(s string, t contentType) (out string, ok bool)

// escapers maps the names html/template inserts into escaped pipelines to
// their implementations here. A name that is missing makes the template
// unsupported.
var escapers = map[string]escaper{
	"_html_template_htmlescaper": func(s string, t contentType) (string, bool) {
		if t == typeHTML {
			return s, true
		}
		return htmlReplacer(s, htmlReplacementTable), true
	},
	"_html_template_attrescaper": func(s string, t contentType) (string, bool) {
		if t == typeHTML { // HTML content needs stripTags
			return "", false
		}
		return htmlReplacer(s, htmlReplacementTable), true
	},
	"_html_template_rcdataescaper": func(s string, t contentType) (string, bool) {
		if t == typeHTML {
			return htmlReplacer(s, htmlNormReplacementTable), true
		}
		return htmlReplacer(s, htmlReplacementTable), true
	},
	"_html_template_urlfilter": func(s string, t contentType) (string, bool) {
		if t == typeURL || isSafeURL(s) {
			return s, true
		}
		return "#" + filterFailsafe, true
	},
	"_html_template_urlnormalizer": func(s string, t contentType) (string, bool) {
		return urlProcessor(true, s, t), true
	},
	"_html_template_urlescaper": func(s string, t contentType) (string, bool) {
		return urlProcessor(false, s, t), true
	},
	"_html_template_commentescaper": func(string, contentType) (string, bool) {
		return "", true
	},
}

// escape runs v through escs in turn: the first sees v's content type,
// the others plain text.
func escape(v reflect.Value, escs []escaper) (string, bool) {
	str, t, ok := stringify(v)
	for _, esc := range escs {
		if !ok {
			break
		}
		str, ok = esc(str, t)
		t = typePlain
	}
	return str, ok
}

// filterFailsafe is what html/template writes for an unsafe value.
const filterFailsafe = "ZgotmplZ"

type contentType int

const (
	typePlain contentType = iota
	typeHTML
	typeURL
)

var (
	htmlType        = reflect.TypeFor[template.HTML]()
	urlType         = reflect.TypeFor[template.URL]()
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
)

// stringify is html/template's stringify for one argument: it dereferences
// pointers, tells HTML and URL content from plain text and prints anything
// else with fmt.Sprint.
func stringify(v reflect.Value) (string, contentType, bool) {
	if v.Kind() == reflect.String && v.Type() == stringType { // the common case
		return v.String(), typePlain, true
	}
	v = indirectAll(v)
	if !v.IsValid() {
		return "", typePlain, true // untyped nil prints as nothing
	}
	switch v.Kind() {
	case reflect.String:
		switch v.Type() {
		case htmlType:
			return v.String(), typeHTML, true
		case urlType:
			return v.String(), typeURL, true
		case stringType:
			return v.String(), typePlain, true
		}
		if v.Type().PkgPath() == "html/template" { // CSS, JS, HTMLAttr, JSStr, Srcset
			return v.String(), typePlain, true
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) {
			return strconv.FormatInt(v.Int(), 10), typePlain, true
		}
	case reflect.Bool:
		if v.Type() == boolType {
			return strconv.FormatBool(v.Bool()), typePlain, true
		}
	}
	if !v.CanInterface() {
		return "", typePlain, false
	}
	return fmt.Sprint(indirectToStringerOrError(v.Interface())), typePlain, true
}

// indirectAll dereferences pointers and interfaces as html/template's
// indirect does: all the way, stopping at nil.
func indirectAll(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			if v.Kind() == reflect.Interface {
				return reflect.Value{}
			}
			return v
		}
		v = v.Elem()
	}
	return v
}

func indirectToStringerOrError(a any) any {
	if a == nil {
		return nil
	}
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

var htmlReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlSpecial marks the bytes either replacement table replaces.
var htmlSpecial = [256]bool{0: true, '"': true, '&': true, '\'': true, '+': true, '<': true, '>': true}

var htmlNormReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlReplacer is html/template's htmlReplacer for the tables above (with
// badRunes true). Every rune they replace is ASCII, and no byte of a
// multi-byte UTF-8 sequence is, so scanning bytes finds the same runes.
func htmlReplacer(s string, replacementTable []string) string {
	// Most text has nothing to replace: find the first byte that may
	// need it with one table look-up per byte.
	first := 0
	for first < len(s) && !htmlSpecial[s[first]] {
		first++
	}
	if first == len(s) {
		return s
	}
	written := 0
	var b strings.Builder
	for i := first; i < len(s); i++ {
		c := s[i]
		if int(c) < len(replacementTable) {
			if repl := replacementTable[c]; len(repl) != 0 {
				if written == 0 {
					b.Grow(len(s) + 16)
				}
				b.WriteString(s[written:i])
				b.WriteString(repl)
				written = i + 1
			}
		}
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

func urlProcessor(norm bool, s string, t contentType) string {
	if t == typeURL {
		norm = true
	}
	var b strings.Builder
	if processURLOnto(s, norm, &b) {
		return b.String()
	}
	return s
}

// processURLOnto is html/template's, except that b is grown and written
// only once a byte needs escaping: a URL that needs none (most) costs no
// allocation and no copy.
func processURLOnto(s string, norm bool, b *strings.Builder) bool {
	const hex = "0123456789abcdef"
	written := 0
	for i, n := 0, len(s); i < n; i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.Write([]byte{'%', hex[c>>4], hex[c&0xf]})
		written = i + 1
	}
	if written == 0 {
		return false
	}
	b.WriteString(s[written:])
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
