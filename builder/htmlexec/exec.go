// Package htmlexec executes html/template templates faster than
// html/template does, with the same output.
//
// html/template escapes a template by rewriting its parse tree: every
// action ends in a call of one of its escaper functions. text/template then
// walks that tree and makes every field access, method and function call
// through reflection, looking fields up by name each time. Executor walks
// the same escaped tree, but caches field and method lookups per type,
// calls the escapers and common function signatures directly and keeps no
// per-call allocations it can avoid.
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
	"sort"
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
	trees map[string]*parse.Tree
	funcs map[string]function
	// sites holds an inline cache for every field name in the trees,
	// keyed by the address of the name in its node's Ident slice.
	sites map[*string]*site
	// escaping holds, per printed pipeline that ends in escapers, where
	// they start and the escapers themselves.
	escaping map[*parse.PipeNode]*escaping
}

// function is a FuncMap entry: the function itself, for the signatures
// callFunc calls directly, and as a reflect.Value for the others.
type function struct {
	raw any
	v   reflect.Value
}

// escaping is the escaper tail of a pipeline: its commands from k on.
type escaping struct {
	k   int
	esc []escaper
}

// site caches how a field name resolved on the last receiver type seen
// there; templates see the same type at the same place almost always.
type site struct {
	last atomic.Pointer[resolved]
}

type resolved struct {
	t reflect.Type // the type the name was looked up on (ptr in field)
	a access
}

// New returns an Executor for set, whose functions are funcs (the FuncMap
// given to set.Funcs, merged). The set must already be escaped: call New
// only after set has executed successfully at least once, since
// html/template escapes a template on its first execution and reports
// escaping errors then. Templates that html/template derived for other
// contexts are not reachable, and calls of them make Execute unsupported.
func New(set *template.Template, funcs template.FuncMap) *Executor {
	e := &Executor{trees: map[string]*parse.Tree{}, funcs: map[string]function{}}
	for _, t := range set.Templates() {
		if t.Tree != nil && t.Tree.Root != nil {
			e.trees[t.Name()] = t.Tree
		}
	}
	for name, f := range funcs {
		e.funcs[name] = function{raw: f, v: reflect.ValueOf(f)}
	}
	e.sites = map[*string]*site{}
	e.escaping = map[*parse.PipeNode]*escaping{}
	for _, t := range e.trees {
		e.addSites(t.Root)
	}
	return e
}

// addSites makes a cache for every field name under n.
func (e *Executor) addSites(n parse.Node) {
	names := func(idents []string) {
		for i := range idents {
			e.sites[&idents[i]] = new(site)
		}
	}
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				e.addSites(c)
			}
		}
	case *parse.ActionNode:
		e.addSites(n.Pipe)
		if len(n.Pipe.Decl) == 0 {
			e.addEscaping(n.Pipe)
		}
	case *parse.IfNode:
		e.addBranch(&n.BranchNode)
	case *parse.WithNode:
		e.addBranch(&n.BranchNode)
	case *parse.RangeNode:
		e.addBranch(&n.BranchNode)
	case *parse.TemplateNode:
		e.addSites(n.Pipe)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				e.addSites(c)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			e.addSites(a)
		}
	case *parse.FieldNode:
		names(n.Ident)
	case *parse.VariableNode:
		names(n.Ident)
	case *parse.ChainNode:
		e.addSites(n.Node)
		names(n.Field)
	}
}

// addEscaping records the escapers that end pipe, if any.
func (e *Executor) addEscaping(pipe *parse.PipeNode) {
	k := len(pipe.Cmds)
	for k > 1 {
		c := pipe.Cmds[k-1]
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok || len(c.Args) != 1 || escapers[id.Ident] == nil {
			break
		}
		k--
	}
	if k == len(pipe.Cmds) {
		return
	}
	x := &escaping{k: k}
	for _, c := range pipe.Cmds[k:] {
		x.esc = append(x.esc, escapers[c.Args[0].(*parse.IdentifierNode).Ident])
	}
	e.escaping[pipe] = x
}

func (e *Executor) addBranch(b *parse.BranchNode) {
	e.addSites(b.Pipe)
	if b.List != nil {
		e.addSites(b.List)
	}
	if b.ElseList != nil {
		e.addSites(b.ElseList)
	}
}

// Execute writes template name applied to data to w. On error, w may hold
// part of the output; the error is ErrUnsupported (wrapped) when
// html/template should execute the template instead.
func (e *Executor) Execute(w *bytes.Buffer, name string, data any) (err error) {
	tree := e.trees[name]
	if tree == nil {
		return fmt.Errorf("%w: template %q", ErrUnsupported, name)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrUnsupported, r)
		}
	}()
	dot := reflect.ValueOf(data)
	s := &state{e: e, w: w, vars: make([]variable, 1, 8)}
	s.vars[0] = variable{"$", dot}
	return s.walk(dot, tree.Root)
}

type variable struct {
	name  string
	value reflect.Value
}

type state struct {
	e     *Executor
	w     *bytes.Buffer
	vars  []variable
	depth int
	stack []reflect.Value // function arguments (see args)
}

var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

func unsupported(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnsupported}, args...)...)
}

func (s *state) walk(dot reflect.Value, node parse.Node) error {
	switch n := node.(type) {
	case *parse.ListNode:
		for _, c := range n.Nodes {
			if err := s.walk(dot, c); err != nil {
				return err
			}
		}
		return nil
	case *parse.TextNode:
		s.w.Write(n.Text)
		return nil
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 {
			return s.printPipe(dot, n.Pipe)
		}
		_, err := s.pipeline(dot, n.Pipe)
		return err
	case *parse.CommentNode:
		return nil
	case *parse.IfNode:
		return s.ifOrWith(false, dot, n.Pipe, n.List, n.ElseList)
	case *parse.WithNode:
		return s.ifOrWith(true, dot, n.Pipe, n.List, n.ElseList)
	case *parse.RangeNode:
		return s.rangeNode(dot, n)
	case *parse.TemplateNode:
		return s.template(dot, n)
	case *parse.BreakNode:
		return errBreak
	case *parse.ContinueNode:
		return errContinue
	}
	return unsupported("node %s", node)
}

// printPipe evaluates an action's pipeline and writes its value. The
// escapers html/template appended to it run on strings, without boxing
// each result in a reflect.Value.
func (s *state) printPipe(dot reflect.Value, pipe *parse.PipeNode) error {
	x := s.e.escaping[pipe]
	if x == nil {
		v, err := s.pipeline(dot, pipe)
		if err != nil {
			return err
		}
		return s.print(v)
	}
	v, err := s.commands(dot, pipe.Cmds[:x.k])
	if err != nil {
		return err
	}
	str, ok := escape(v, x.esc)
	if !ok {
		return unsupported("escaping %v", v)
	}
	s.w.WriteString(str)
	return nil
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

func (s *state) mark() int { return len(s.vars) }

func (s *state) pop(mark int) { s.vars = s.vars[:mark] }

func (s *state) ifOrWith(with bool, dot reflect.Value, pipe *parse.PipeNode, list, elseList *parse.ListNode) error {
	defer s.pop(s.mark())
	v, err := s.pipeline(dot, pipe)
	if err != nil {
		return err
	}
	truth, ok := isTrue(indirectInterface(v))
	if !ok {
		return unsupported("if/with on %v", v)
	}
	if truth {
		if with {
			return s.walk(v, list)
		}
		return s.walk(dot, list)
	}
	if elseList != nil {
		return s.walk(dot, elseList)
	}
	return nil
}

func (s *state) rangeNode(dot reflect.Value, r *parse.RangeNode) error {
	defer s.pop(s.mark())
	v, err := s.pipeline(dot, r.Pipe)
	if err != nil {
		return err
	}
	val, _ := indirect(v)
	mark := s.mark()
	one := func(index, elem reflect.Value) error {
		if len(r.Pipe.Decl) > 0 {
			if r.Pipe.IsAssign {
				return unsupported("range assignment")
			}
			s.vars[len(s.vars)-1].value = elem
		}
		if len(r.Pipe.Decl) > 1 {
			s.vars[len(s.vars)-2].value = index
		}
		err := s.walk(elem, r.List)
		s.pop(mark)
		if err == errContinue {
			return nil
		}
		return err
	}
	ran := false
	switch val.Kind() {
	case reflect.Array, reflect.Slice:
		for i := 0; i < val.Len(); i++ {
			ran = true
			if err := one(reflect.ValueOf(i), val.Index(i)); err != nil {
				if err == errBreak {
					break
				}
				return err
			}
		}
	case reflect.Map:
		if val.Len() > 0 && val.Type().Key().Kind() != reflect.String {
			return unsupported("range over map with %v keys", val.Type().Key())
		}
		keys := val.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			ran = true
			if err := one(k, val.MapIndex(k)); err != nil {
				if err == errBreak {
					break
				}
				return err
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if len(r.Pipe.Decl) > 1 {
			return unsupported("range over int with two variables")
		}
		n := val.Int()
		for i := int64(0); i < n; i++ {
			ran = true
			if err := one(reflect.Value{}, reflect.ValueOf(i).Convert(val.Type())); err != nil {
				if err == errBreak {
					break
				}
				return err
			}
		}
	case reflect.Invalid:
	default:
		return unsupported("range over %v", val.Kind())
	}
	if !ran && r.ElseList != nil {
		return s.walk(dot, r.ElseList)
	}
	return nil
}

const maxDepth = 1000

func (s *state) template(dot reflect.Value, t *parse.TemplateNode) error {
	tree := s.e.trees[t.Name]
	if tree == nil {
		return unsupported("template %q", t.Name)
	}
	if s.depth >= maxDepth {
		return unsupported("template depth")
	}
	v, err := s.pipeline(dot, t.Pipe)
	if err != nil {
		return err
	}
	saved := s.vars
	s.vars = []variable{{"$", v}}
	s.depth++
	err = s.walk(v, tree.Root)
	s.depth--
	s.vars = saved
	if err == errBreak || err == errContinue {
		return unsupported("break or continue outside range")
	}
	return err
}

// missing marks the absence of a piped-in final argument.
var missing = reflect.ValueOf(missingType{})

type missingType struct{}

func isMissing(v reflect.Value) bool { return v.IsValid() && v.Type() == missingValType }

var missingValType = reflect.TypeFor[missingType]()

func (s *state) pipeline(dot reflect.Value, pipe *parse.PipeNode) (reflect.Value, error) {
	if pipe == nil {
		return reflect.Value{}, nil
	}
	v, err := s.commands(dot, pipe.Cmds)
	if err != nil {
		return reflect.Value{}, err
	}
	for _, d := range pipe.Decl {
		if pipe.IsAssign {
			if !s.setVar(d.Ident[0], v) {
				return reflect.Value{}, unsupported("undefined variable %s", d.Ident[0])
			}
		} else {
			s.vars = append(s.vars, variable{d.Ident[0], v})
		}
	}
	return v, nil
}

// commands runs cmds in turn, each value the final argument of the next.
func (s *state) commands(dot reflect.Value, cmds []*parse.CommandNode) (reflect.Value, error) {
	v := missing
	for _, cmd := range cmds {
		var err error
		v, err = s.command(dot, cmd, v)
		if err != nil {
			return reflect.Value{}, err
		}
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = v.Elem()
		}
	}
	return v, nil
}

func (s *state) setVar(name string, v reflect.Value) bool {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return true
		}
	}
	return false
}

func (s *state) varValue(name string) (reflect.Value, error) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value, nil
		}
	}
	return reflect.Value{}, unsupported("undefined variable %s", name)
}

func (s *state) command(dot reflect.Value, cmd *parse.CommandNode, final reflect.Value) (reflect.Value, error) {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return s.fieldChain(dot, n.Ident, cmd.Args, final)
	case *parse.IdentifierNode:
		return s.function(dot, n.Ident, cmd.Args[1:], final)
	case *parse.VariableNode:
		v, err := s.varValue(n.Ident[0])
		if err != nil || len(n.Ident) == 1 {
			if len(cmd.Args) > 1 || !isMissing(final) {
				return reflect.Value{}, unsupported("argument to non-function")
			}
			return v, err
		}
		return s.fieldChain(v, n.Ident[1:], cmd.Args, final)
	case *parse.PipeNode:
		if len(cmd.Args) > 1 || !isMissing(final) {
			return reflect.Value{}, unsupported("argument to non-function")
		}
		return s.pipeline(dot, n)
	case *parse.ChainNode:
		return s.chain(dot, n, cmd.Args, final)
	}
	if len(cmd.Args) > 1 || !isMissing(final) {
		return reflect.Value{}, unsupported("argument to non-function")
	}
	switch cmd.Args[0].(type) {
	case *parse.DotNode, *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		return s.arg(dot, cmd.Args[0])
	}
	return reflect.Value{}, unsupported("command %s", cmd)
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

// chain evaluates (pipeline).Field.Field.
func (s *state) chain(dot reflect.Value, c *parse.ChainNode, args []parse.Node, final reflect.Value) (reflect.Value, error) {
	if len(c.Field) == 0 {
		return reflect.Value{}, unsupported("empty chain")
	}
	var v reflect.Value
	var err error
	switch n := c.Node.(type) {
	case *parse.PipeNode:
		v, err = s.pipeline(dot, n)
	case *parse.FieldNode, *parse.VariableNode, *parse.DotNode:
		v, err = s.arg(dot, n)
	default:
		return reflect.Value{}, unsupported("chain on %s", c.Node)
	}
	if err != nil {
		return reflect.Value{}, err
	}
	return s.fieldChain(v, c.Field, args, final)
}

// fieldChain evaluates .A.B.C from v. args are the command's words (the
// chain itself first); anything beyond it, or a piped-in final value,
// would be method arguments, which are left to html/template.
func (s *state) fieldChain(v reflect.Value, idents []string, args []parse.Node, final reflect.Value) (reflect.Value, error) {
	if len(args) > 1 || !isMissing(final) {
		return reflect.Value{}, unsupported("field or method with arguments")
	}
	for i := range idents {
		var err error
		v, err = field(v, idents[i], s.e.sites[&idents[i]])
		if err != nil {
			return reflect.Value{}, err
		}
	}
	return v, nil
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

func (st *site) load() *resolved {
	if st == nil {
		return nil
	}
	return st.last.Load()
}

func (st *site) store(t reflect.Type, a access) {
	if st != nil {
		st.last.Store(&resolved{t, a})
	}
}

// field evaluates .name on v as text/template's evalField does.
func field(v reflect.Value, name string, st *site) (reflect.Value, error) {
	if !v.IsValid() {
		return reflect.Value{}, unsupported("field %s of nil data", name)
	}
	// Methods are found on v itself first (text/template looks them up on
	// the receiver before dereferencing).
	recv, isNil := indirect(v)
	if isNil {
		return reflect.Value{}, unsupported("%s of nil", name)
	}
	ptr := recv
	if ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	pt := ptr.Type()
	var a access
	if r := st.load(); r != nil && r.t == pt {
		a = r.a
	} else {
		a = lookup(pt, recv.Type(), name)
		st.store(pt, a)
	}
	if a.method >= 0 {
		return call(ptr.Method(a.method), name)
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

// function calls an identifier with args (its arguments, without the
// identifier itself): an escaper, a FuncMap function or a builtin.
func (s *state) function(dot reflect.Value, name string, args []parse.Node, final reflect.Value) (reflect.Value, error) {
	if esc := escapers[name]; esc != nil {
		if len(args) != 0 || isMissing(final) {
			return reflect.Value{}, unsupported("escaper %s with %d arguments", name, len(args))
		}
		str, ok := escape(final, []escaper{esc})
		if !ok {
			return reflect.Value{}, unsupported("escaper %s on %v", name, final)
		}
		return reflect.ValueOf(str), nil
	}
	if strings.HasPrefix(name, "_html_template_") || name == "_eval_args_" {
		return reflect.Value{}, unsupported("escaper %s", name)
	}
	if fn, ok := s.e.funcs[name]; ok {
		return s.callFunc(dot, name, fn, args, final)
	}
	switch name {
	case "and", "or":
		var v reflect.Value
		for _, a := range args {
			var err error
			v, err = s.arg(dot, a)
			if err != nil {
				return reflect.Value{}, err
			}
			t, ok := isTrue(indirectInterface(v))
			if !ok {
				return reflect.Value{}, unsupported("truth of %v", v)
			}
			if t == (name == "or") {
				return v, nil
			}
		}
		if !isMissing(final) {
			v = final
		}
		return v, nil
	}
	vals, mark, err := s.args(dot, args, final)
	if err != nil {
		return reflect.Value{}, err
	}
	defer func() { s.stack = s.stack[:mark] }()
	switch name {
	case "not":
		if len(vals) != 1 {
			break
		}
		t, ok := isTrue(indirectInterface(vals[0]))
		if !ok {
			break
		}
		return reflect.ValueOf(!t), nil
	case "len":
		if len(vals) != 1 {
			break
		}
		v, isNil := indirect(vals[0])
		if isNil {
			break
		}
		switch v.Kind() {
		case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
			return reflect.ValueOf(v.Len()), nil
		}
	case "index":
		if len(vals) != 2 {
			break
		}
		return index(vals[0], vals[1])
	case "eq", "ne", "lt", "le", "gt", "ge":
		if len(vals) != 2 {
			break
		}
		c, ok := compare(indirectInterface(vals[0]), indirectInterface(vals[1]))
		if !ok || (c == cmpUnordered && name != "eq" && name != "ne") {
			break
		}
		var r bool
		switch name {
		case "eq":
			r = c == cmpEqual
		case "ne":
			r = c != cmpEqual
		case "lt":
			r = c == cmpLess
		case "le":
			r = c == cmpLess || c == cmpEqual
		case "gt":
			r = c == cmpGreater
		case "ge":
			r = c == cmpGreater || c == cmpEqual
		}
		return reflect.ValueOf(r), nil
	}
	return reflect.Value{}, unsupported("function %s", name)
}

// args evaluates args and appends final when present. The values live on
// s.stack above mark; the caller pops them with s.stack = s.stack[:mark]
// once it is done with them. Calls nested in the arguments push and pop
// above, and a stack that grows leaves earlier slices valid.
func (s *state) args(dot reflect.Value, args []parse.Node, final reflect.Value) (vals []reflect.Value, mark int, err error) {
	mark = len(s.stack)
	for _, a := range args {
		v, err := s.arg(dot, a)
		if err != nil {
			s.stack = s.stack[:mark]
			return nil, mark, err
		}
		s.stack = append(s.stack, v)
	}
	if !isMissing(final) {
		s.stack = append(s.stack, final)
	}
	return s.stack[mark:len(s.stack):len(s.stack)], mark, nil
}

// arg evaluates one argument to its natural type (text/template's
// evalEmptyInterface).
func (s *state) arg(dot reflect.Value, n parse.Node) (reflect.Value, error) {
	switch a := n.(type) {
	case *parse.DotNode:
		return dot, nil
	case *parse.FieldNode:
		return s.fieldChain(dot, a.Ident, nil, missing)
	case *parse.VariableNode:
		v, err := s.varValue(a.Ident[0])
		if err != nil || len(a.Ident) == 1 {
			return v, err
		}
		return s.fieldChain(v, a.Ident[1:], nil, missing)
	case *parse.PipeNode:
		return s.pipeline(dot, a)
	case *parse.ChainNode:
		return s.chain(dot, a, nil, missing)
	case *parse.StringNode:
		return reflect.ValueOf(a.Text), nil
	case *parse.BoolNode:
		return reflect.ValueOf(a.True), nil
	case *parse.NumberNode:
		return constant(a)
	case *parse.IdentifierNode:
		return s.function(dot, a.Ident, nil, missing)
	}
	return reflect.Value{}, unsupported("argument %s", n)
}

var (
	stringType = reflect.TypeFor[string]()
	boolType   = reflect.TypeFor[bool]()
	timeType   = reflect.TypeFor[time.Time]()
	intType    = reflect.TypeFor[int]()
	int64Type  = reflect.TypeFor[int64]()
)

func isString(v reflect.Value) bool { return v.IsValid() && v.Type() == stringType }

// callFunc calls a FuncMap function, directly for common signatures.
func (s *state) callFunc(dot reflect.Value, name string, fn function, args []parse.Node, final reflect.Value) (reflect.Value, error) {
	vals, mark, err := s.args(dot, args, final)
	if err != nil {
		return reflect.Value{}, err
	}
	defer func() { s.stack = s.stack[:mark] }()
	t := fn.v.Type()
	if t.IsVariadic() || t.NumIn() != len(vals) {
		return reflect.Value{}, unsupported("call of %s", name)
	}
	switch f := fn.raw.(type) {
	case func(any) string:
		if v, ok := asAny(vals[0]); ok {
			return reflect.ValueOf(f(v)), nil
		}
	case func(string) string:
		if isString(vals[0]) {
			return reflect.ValueOf(f(vals[0].String())), nil
		}
	case func(time.Time) string:
		if vals[0].IsValid() && vals[0].Type() == timeType {
			return reflect.ValueOf(f(vals[0].Interface().(time.Time))), nil
		}
	case func(int) string:
		if vals[0].IsValid() && vals[0].Type() == intType {
			return reflect.ValueOf(f(int(vals[0].Int()))), nil
		}
	case func(int64) string:
		if vals[0].IsValid() && vals[0].Type() == int64Type {
			return reflect.ValueOf(f(vals[0].Int())), nil
		}
	case func(string, string) bool:
		if isString(vals[0]) && isString(vals[1]) {
			return reflect.ValueOf(f(vals[0].String(), vals[1].String())), nil
		}
	case func(any) (string, error):
		if v, ok := asAny(vals[0]); ok {
			str, err := f(v)
			if err != nil {
				return reflect.Value{}, unsupported("%s: %v", name, err)
			}
			return reflect.ValueOf(str), nil
		}
	case func(any) (template.HTML, error):
		if v, ok := asAny(vals[0]); ok {
			h, err := f(v)
			if err != nil {
				return reflect.Value{}, unsupported("%s: %v", name, err)
			}
			return reflect.ValueOf(h), nil
		}
	}
	in := make([]reflect.Value, len(vals))
	for i, v := range vals {
		pt := t.In(i)
		switch {
		case !v.IsValid():
			switch pt.Kind() {
			case reflect.Interface, reflect.Pointer, reflect.Slice, reflect.Map, reflect.Func, reflect.Chan:
				v = reflect.Zero(pt)
			default:
				return reflect.Value{}, unsupported("nil argument to %s", name)
			}
		case v.Type().AssignableTo(pt):
		case v.Kind() == reflect.Interface && !v.IsNil() && v.Elem().Type().AssignableTo(pt):
			v = v.Elem()
		case v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Type().AssignableTo(pt):
			v = v.Elem()
		case pt.Kind() == reflect.Pointer && v.CanAddr() && v.Addr().Type().AssignableTo(pt):
			v = v.Addr()
		default:
			return reflect.Value{}, unsupported("argument %d to %s", i, name)
		}
		in[i] = v
	}
	if n := t.NumOut(); n == 0 || n > 2 || (n == 2 && t.Out(1) != errorType) {
		return reflect.Value{}, unsupported("results of %s", name)
	}
	return results(fn.v.Call(in), name)
}

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
