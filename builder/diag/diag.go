// Package diag holds positioned build errors: every problem the builder
// reports names its file and, where known, its line, like
// "content/exempel/x.md:7: okänt fält \"titel\" (menade du \"title\"?)".
//
// Validation collects many errors and reports them at once; List keeps
// them and sorts them by file, line and message so output is stable.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem at a position. Line and Col are 1-based; zero means
// unknown. File is slash-separated and relative to the site root.
type Error struct {
	File string
	Line int
	Col  int
	Msg  string
	Err  error // optional underlying error
}

// Error formats the problem as "file:line: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if e.File != "" {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a positioned error with a formatted message.
func Errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List is a collection of positioned errors. The zero value is ready to use.
// It is not safe for concurrent use; guard it or merge per-goroutine lists.
type List struct {
	errs []*Error
}

// Add appends e. A nil e is ignored.
func (l *List) Add(e *Error) {
	if e != nil {
		l.errs = append(l.errs, e)
	}
}

// Addf appends a positioned error with a formatted message.
func (l *List) Addf(file string, line int, format string, args ...any) {
	l.Add(Errorf(file, line, format, args...))
}

// AddErr appends err: a *Error or a List is kept with its positions, any
// other error is attributed to file.
func (l *List) AddErr(file string, err error) {
	if err == nil {
		return
	}
	var de *Error
	var dl *List
	switch {
	case errors.As(err, &dl):
		l.Merge(dl)
	case errors.As(err, &de):
		l.Add(de)
	default:
		l.Add(&Error{File: file, Msg: err.Error(), Err: err})
	}
}

// Merge appends every error of o.
func (l *List) Merge(o *List) {
	if o != nil {
		l.errs = append(l.errs, o.errs...)
	}
}

// Len reports the number of errors; a nil *List has none.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.errs)
}

// Errors returns the errors sorted by file, line, column and message,
// with exact duplicates removed. It returns a new slice and leaves l as it
// is, so that two goroutines may print the same list. A nil *List has
// none.
func (l *List) Errors() []*Error {
	if l == nil {
		return nil
	}
	sorted := append([]*Error(nil), l.errs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
	out := sorted[:0]
	for i, e := range sorted {
		if i > 0 && e.Error() == sorted[i-1].Error() {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Err returns l as an error, or nil when it is empty.
func (l *List) Err() error {
	if l == nil || len(l.errs) == 0 {
		return nil
	}
	return l
}

// Error lists every error on its own line, sorted.
func (l *List) Error() string {
	errs := l.Errors()
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// AsList returns the errors of err as a sorted slice: the errors of a List,
// a single *Error, or a position-less error.
func AsList(err error) []*Error {
	if err == nil {
		return nil
	}
	var dl *List
	if errors.As(err, &dl) {
		return dl.Errors()
	}
	var de *Error
	if errors.As(err, &de) {
		return []*Error{de}
	}
	return []*Error{{Msg: err.Error(), Err: err}}
}
