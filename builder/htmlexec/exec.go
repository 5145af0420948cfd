// Package htmlexec executes html/template templates faster than
// html/template does, with the same output.
//
// html/template escapes a template by rewriting its parse tree: every
// action ends in a call of one of its escaper functions. text/template then
// walks that tree and makes every field access, method and function call
// through reflection, looking fields up by name each time. Executor
// compiles the same escaped tree once into closures (compile.go): which
// function a name calls, the escapers that end a printed pipeline and the
// constants are settled then; field and method lookups are cached per type
// at each place; escapers and common function signatures are called
// directly, and no per-call allocation is kept that can be avoided.
//
// Executor implements the parts of the template language that page layouts
// use: text, actions, if/else, with/else, range over slices, arrays, maps
// and integers (with break and continue), variables, template calls,
// fields, methods without arguments, maps, the builtins and, or, not, len,
// index, eq, ne, lt, le, gt and ge on basic values, and the functions of
// the template's FuncMap. Anything else — and every error, including the
// errors text/template would report — makes Execute return ErrUnsupported,
// and the caller executes the page with html/template instead. The output
// of a successful Execute is byte for byte what html/template writes.
package htmlexec

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"sync/atomic"
	"text/template/parse"
	"time"
)

// ErrUnsupported is returned when a template or value needs something
// Executor does not implement; execute the template with html/template.
var ErrUnsupported = errors.New("htmlexec: not supported; use html/template")

// Executor executes the templates of one escaped html/template set. It is
// safe for concurrent use.
type Executor struct {
	// compiled holds every template of the set as a tree of closures
	// (see compile.go), by name.
	compiled map[string]*nodeFn
}

// function is a FuncMap entry: the function itself, for the signatures
// called directly, and as a reflect.Value for the others.
type function struct {
	raw any
	v   reflect.Value
}

// fieldCache caches how a field name resolved on the last receiver type seen
// there; templates see the same type at the same place almost always.
type fieldCache struct {
	last atomic.Pointer[resolved]
}

type resolved struct {
	t    reflect.Type // the receiver's type, pointers and interfaces removed
	addr bool         // whether the receiver was addressable (methods of *t)
	a    access
}

// New returns an Executor for set, whose functions are funcs (the FuncMap
// given to set.Funcs, merged). The entries Execute will run must already
// be escaped: html/template escapes an entry (and what it calls) on its
// first execution, before it reads any data, and reports escaping errors
// then; call New after that execution returned no *template.Error. Templates that html/template derived for other
// contexts are not reachable, and calls of them make Execute unsupported.
func New(set *template.Template, funcs template.FuncMap) *Executor {
	trees := map[string]*parse.Tree{}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			trees[t.Name()] = t.Tree
		}
	}
	fns := map[string]function{}
	for name, f := range funcs {
		fns[name] = function{raw: f, v: reflect.ValueOf(f)}
	}
	return &Executor{compiled: compile(trees, fns)}
}

// Execute writes template name applied to data to w. On error, w may hold
// part of the output; the error is ErrUnsupported (wrapped) when
// html/template should execute the template instead.
func (e *Executor) Execute(w *bytes.Buffer, name string, data any) (err error) {
	run := e.compiled[name]
	if run == nil {
		return fmt.Errorf("%w: template %q", ErrUnsupported, name)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrUnsupported, r)
		}
	}()
	dot := reflect.ValueOf(data)
	s := &state{w: w, vars: make([]variable, 1, 8)}
	s.vars[0] = variable{"$", dot}
	err = (*run)(s, dot)
	if err == errBreak || err == errContinue {
		return unsupported("break or continue outside range")
	}
	return err
}

type variable struct {
	name  string
	value reflect.Value
}

// state is one execution: the output, the variables in scope (those of
// the template being executed start at base) and the template depth.
type state struct {
	w     *bytes.Buffer
	vars  []variable
	base  int
	depth int
}

var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

// print writes the value of an action. html/template ends every printed
// pipeline in an escaper, so anything but a plain string is left to it.
func (s *state) print(v reflect.Value) error {
	if v.IsValid() && v.Type() == stringType {
		s.w.WriteString(v.String())
		return nil
	}
	return unsupported("printing %v", v.Type())
}

const maxDepth = 1000

// missing marks the absence of a piped-in final argument.
var missing = reflect.ValueOf(missingType{})

type missingType struct{}

func (s *state) setVar(name string, v reflect.Value) bool {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return true
		}
	}
	return false
}

func (s *state) varValue(name string) (reflect.Value, error) {
	for i := len(s.vars) - 1; i >= s.base; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value, nil
		}
	}
	return reflect.Value{}, unsupported("undefined variable %s", name)
}

// constant is a number as text/template's idealConstant makes it, for
// decimal integers that fit an int; other numbers are left to
// html/template.
func constant(n *parse.NumberNode) (reflect.Value, error) {
	if n.IsInt && !n.IsComplex && !strings.ContainsAny(n.Text, ".eEpPxX'") {
		if v := int(n.Int64); int64(v) == n.Int64 {
			return reflect.ValueOf(v), nil
		}
	}
	return reflect.Value{}, unsupported("number %s", n.Text)
}

// access is how a name is reached on one type: a method or a struct field
// (ok), or neither.
type access struct {
	method int   // index in the method set, or -1
	index  []int // struct field index
	ok     bool
}

// lookup resolves name on a receiver whose methods are those of pt and
// whose fields, if it is a struct, are those of rt.
func lookup(pt, rt reflect.Type, name string) access {
	a := access{method: -1}
	if m, ok := pt.MethodByName(name); ok {
		a.method, a.ok = m.Index, true
	} else if rt.Kind() == reflect.Struct {
		if f, ok := rt.FieldByName(name); ok && f.IsExported() {
			a.index, a.ok = f.Index, true
		}
	}
	return a
}

func (st *fieldCache) load() *resolved {
	if st == nil {
		return nil
	}
	return st.last.Load()
}

func (st *fieldCache) store(r *resolved) {
	if st != nil {
		st.last.Store(r)
	}
}

// field evaluates .name on v as text/template's evalField does.
func field(v reflect.Value, name string, st *fieldCache) (reflect.Value, error) {
	if !v.IsValid() {
		return reflect.Value{}, unsupported("field %s of nil data", name)
	}
	// Methods are found on v itself first (text/template looks them up on
	// the receiver before dereferencing): on the pointer when the value
	// is addressable.
	recv, isNil := indirect(v)
	if isNil {
		return reflect.Value{}, unsupported("%s of nil", name)
	}
	rt, addr := recv.Type(), recv.CanAddr()
	var a access
	if r := st.load(); r != nil && r.t == rt && r.addr == addr {
		a = r.a
	} else {
		pt := rt
		if addr {
			pt = reflect.PointerTo(rt)
		}
		a = lookup(pt, rt, name)
		st.store(&resolved{rt, addr, a})
	}
	if a.method >= 0 {
		if addr {
			return call(recv.Addr().Method(a.method), name)
		}
		return call(recv.Method(a.method), name)
	}
	switch recv.Kind() {
	case reflect.Struct:
		if !a.ok {
			return reflect.Value{}, unsupported("field %s", name)
		}
		if len(a.index) == 1 {
			return recv.Field(a.index[0]), nil
		}
		f, err := recv.FieldByIndexErr(a.index)
		if err != nil {
			return reflect.Value{}, unsupported("%v", err)
		}
		return f, nil
	case reflect.Map:
		if recv.Type().Key() != stringType {
			return reflect.Value{}, unsupported("map key type")
		}
		r := recv.MapIndex(reflect.ValueOf(name))
		if !r.IsValid() {
			return reflect.Value{}, unsupported("missing map key %s", name)
		}
		return r, nil
	}
	return reflect.Value{}, unsupported("field %s of %v", name, v.Type())
}

// call calls a method or function value without arguments.
func call(fn reflect.Value, name string) (reflect.Value, error) {
	t := fn.Type()
	if t.NumIn() != 0 {
		return reflect.Value{}, unsupported("method %s with arguments", name)
	}
	return results(fn.Call(nil), name)
}

func results(out []reflect.Value, name string) (reflect.Value, error) {
	switch len(out) {
	case 1:
		return out[0], nil
	case 2:
		if out[1].Type() == errorType {
			if !out[1].IsNil() {
				return reflect.Value{}, unsupported("%s: %v", name, out[1].Interface())
			}
			return out[0], nil
		}
	}
	return reflect.Value{}, unsupported("%s returns %d values", name, len(out))
}

var (
	stringType = reflect.TypeFor[string]()
	boolType   = reflect.TypeFor[bool]()
	timeType   = reflect.TypeFor[time.Time]()
	intType    = reflect.TypeFor[int]()
	int64Type  = reflect.TypeFor[int64]()
)

func isString(v reflect.Value) bool { return v.IsValid() && v.Type() == stringType }

// asAny is the value a func(any) parameter receives.
func asAny(v reflect.Value) (any, bool) {
	if !v.IsValid() {
		return nil, true
	}
	if !v.CanInterface() {
		return nil, false
	}
	return v.Interface(), true
}

func index(item, key reflect.Value) (reflect.Value, error) {
	item = indirectInterface(item)
	key = indirectInterface(key)
	if !item.IsValid() || !key.IsValid() {
		return reflect.Value{}, unsupported("index of nil")
	}
	switch item.Kind() {
	case reflect.Map:
		if key.Type() != item.Type().Key() {
			break
		}
		if v := item.MapIndex(key); v.IsValid() {
			return v, nil
		}
		return reflect.Zero(item.Type().Elem()), nil
	case reflect.Slice, reflect.Array, reflect.String:
		if key.Kind() < reflect.Int || key.Kind() > reflect.Int64 {
			break
		}
		i := key.Int()
		if i < 0 || i >= int64(item.Len()) {
			break
		}
		return item.Index(int(i)), nil
	}
	return reflect.Value{}, unsupported("index of %v", item.Type())
}

type cmpResult int

const (
	cmpLess cmpResult = iota
	cmpEqual
	cmpGreater
	cmpUnordered // equal or not, but not ordered (bool)
)

// compare compares basic values of the same kind class.
func compare(a, b reflect.Value) (cmpResult, bool) {
	if !a.IsValid() || !b.IsValid() {
		return 0, false
	}
	order := func(c int) cmpResult { return cmpResult(c + 1) }
	switch {
	case a.Kind() == reflect.String && b.Kind() == reflect.String:
		return order(strings.Compare(a.String(), b.String())), true
	case isInt(a) && isInt(b):
		x, y := a.Int(), b.Int()
		switch {
		case x < y:
			return cmpLess, true
		case x > y:
			return cmpGreater, true
		}
		return cmpEqual, true
	case a.Kind() == reflect.Bool && b.Kind() == reflect.Bool:
		if a.Bool() == b.Bool() {
			return cmpEqual, true
		}
		return cmpUnordered, true
	}
	return 0, false
}

func isInt(v reflect.Value) bool { return v.Kind() >= reflect.Int && v.Kind() <= reflect.Int64 }

func isTrue(v reflect.Value) (truth, ok bool) {
	if !v.IsValid() {
		return false, true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}
