package htmlexec

import (
	"html/template"
	"reflect"
	"sort"
	"strings"
	"text/template/parse"
	"time"
)

// A template is compiled once, in New, into a tree of closures: one per
// node, pipeline, command and argument. Everything that depends only on
// the template is decided then — which function an identifier names, the
// escapers that end a printed pipeline, whether a command has a piped-in
// final argument, constants, the field-lookup caches — so that executing
// a page only evaluates values. What the compiler cannot handle becomes a
// closure that returns ErrUnsupported when (and only when) it runs, so a
// template with an unsupported branch still runs fast on pages that do not
// take it.

// nodeFn executes a node with dot.
type nodeFn func(s *state, dot reflect.Value) error

// valFn evaluates a pipeline or argument.
type valFn func(s *state, dot reflect.Value) (reflect.Value, error)

// cmdFn evaluates a command; final is the value piped in from the
// previous command, or missing for the first.
type cmdFn func(s *state, dot, final reflect.Value) (reflect.Value, error)

type compiler struct {
	trees map[string]*parse.Tree
	funcs map[string]function
	// slots holds the compiled root of every tree, allocated before any
	// tree is compiled so that template calls (even recursive ones) can
	// refer to it.
	slots map[string]*nodeFn
}

// compile compiles every tree of a set.
func compile(trees map[string]*parse.Tree, funcs map[string]function) map[string]*nodeFn {
	c := &compiler{trees: trees, funcs: funcs, slots: map[string]*nodeFn{}}
	for name := range trees {
		c.slots[name] = new(nodeFn)
	}
	for name, t := range trees {
		*c.slots[name] = c.node(t.Root)
	}
	return c.slots
}

// fail returns closures that report err when they run.
func failNode(err error) nodeFn {
	return func(*state, reflect.Value) error { return err }
}

func failVal(err error) valFn {
	return func(*state, reflect.Value) (reflect.Value, error) { return reflect.Value{}, err }
}

func failCmd(err error) cmdFn {
	return func(*state, reflect.Value, reflect.Value) (reflect.Value, error) { return reflect.Value{}, err }
}

func noop(*state, reflect.Value) error { return nil }

func (c *compiler) node(node parse.Node) nodeFn {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil || len(n.Nodes) == 0 {
			return noop
		}
		fns := make([]nodeFn, len(n.Nodes))
		for i, x := range n.Nodes {
			fns[i] = c.node(x)
		}
		if len(fns) == 1 {
			return fns[0]
		}
		return func(s *state, dot reflect.Value) error {
			for _, f := range fns {
				if err := f(s, dot); err != nil {
					return err
				}
			}
			return nil
		}
	case *parse.TextNode:
		text := n.Text
		return func(s *state, _ reflect.Value) error {
			s.w.Write(text)
			return nil
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 {
			return c.print(n.Pipe)
		}
		p := c.pipeline(n.Pipe)
		return func(s *state, dot reflect.Value) error {
			_, err := p(s, dot)
			return err
		}
	case *parse.CommentNode:
		return noop
	case *parse.IfNode:
		return c.ifOrWith(false, n.Pipe, n.List, n.ElseList)
	case *parse.WithNode:
		return c.ifOrWith(true, n.Pipe, n.List, n.ElseList)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.template(n)
	case *parse.BreakNode:
		return func(*state, reflect.Value) error { return errBreak }
	case *parse.ContinueNode:
		return func(*state, reflect.Value) error { return errContinue }
	}
	return failNode(unsupported("node %s", node))
}

// escapersOf returns where the escapers html/template appended to pipe
// start, and the escapers; k == len(pipe.Cmds) when there are none.
func escapersOf(pipe *parse.PipeNode) (k int, esc []escaper) {
	k = len(pipe.Cmds)
	for k > 1 {
		cmd := pipe.Cmds[k-1]
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		if !ok || len(cmd.Args) != 1 || escapers[id.Ident] == nil {
			break
		}
		k--
	}
	for _, cmd := range pipe.Cmds[k:] {
		esc = append(esc, escapers[cmd.Args[0].(*parse.IdentifierNode).Ident])
	}
	return k, esc
}

// print compiles an action that writes its value. The escapers
// html/template appended to it run on strings, without boxing each result
// in a reflect.Value.
func (c *compiler) print(pipe *parse.PipeNode) nodeFn {
	k, esc := escapersOf(pipe)
	if k == len(pipe.Cmds) {
		p := c.pipeline(pipe)
		return func(s *state, dot reflect.Value) error {
			v, err := p(s, dot)
			if err != nil {
				return err
			}
			return s.print(v)
		}
	}
	cmds := c.commands(pipe.Cmds[:k])
	return func(s *state, dot reflect.Value) error {
		v, err := cmds(s, dot)
		if err != nil {
			return err
		}
		str, ok := escape(v, esc)
		if !ok {
			return unsupported("escaping %v", v)
		}
		s.w.WriteString(str)
		return nil
	}
}

func (c *compiler) ifOrWith(with bool, pipe *parse.PipeNode, list, elseList *parse.ListNode) nodeFn {
	p := c.pipeline(pipe)
	then := c.node(list)
	var els nodeFn
	if elseList != nil {
		els = c.node(elseList)
	}
	return func(s *state, dot reflect.Value) error {
		mark := len(s.vars)
		v, err := p(s, dot)
		if err == nil {
			truth, ok := isTrue(indirectInterface(v))
			switch {
			case !ok:
				err = unsupported("if/with on %v", v)
			case truth && with:
				err = then(s, v)
			case truth:
				err = then(s, dot)
			case els != nil:
				err = els(s, dot)
			}
		}
		s.vars = s.vars[:mark]
		return err
	}
}

// ranger runs the body of one range node.
type ranger struct {
	body   nodeFn
	nDecl  int
	assign bool
}

// one runs the body for one element; the variables the range declared
// are the last ones in s.vars. It returns done when the range ends.
func (r *ranger) one(s *state, index, elem reflect.Value, mark int) (done bool, err error) {
	if r.nDecl > 0 {
		if r.assign {
			return true, unsupported("range assignment")
		}
		s.vars[len(s.vars)-1].value = elem
	}
	if r.nDecl > 1 {
		s.vars[len(s.vars)-2].value = index
	}
	err = r.body(s, elem)
	s.vars = s.vars[:mark]
	switch err {
	case nil, errContinue:
		return false, nil
	case errBreak:
		return true, nil
	}
	return true, err
}

func (c *compiler) rangeNode(n *parse.RangeNode) nodeFn {
	p := c.pipeline(n.Pipe)
	r := &ranger{body: c.node(n.List), nDecl: len(n.Pipe.Decl), assign: n.Pipe.IsAssign}
	var els nodeFn
	if n.ElseList != nil {
		els = c.node(n.ElseList)
	}
	return func(s *state, dot reflect.Value) error {
		outer := len(s.vars)
		defer func() { s.vars = s.vars[:outer] }()
		v, err := p(s, dot)
		if err != nil {
			return err
		}
		val, _ := indirect(v)
		mark := len(s.vars)
		ran := false
		switch val.Kind() {
		case reflect.Array, reflect.Slice:
			for i := 0; i < val.Len(); i++ {
				ran = true
				var index reflect.Value
				if r.nDecl > 1 {
					index = reflect.ValueOf(i)
				}
				if done, err := r.one(s, index, val.Index(i), mark); done {
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
				if done, err := r.one(s, k, val.MapIndex(k), mark); done {
					return err
				}
			}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if r.nDecl > 1 {
				return unsupported("range over int with two variables")
			}
			for i := int64(0); i < val.Int(); i++ {
				ran = true
				if done, err := r.one(s, reflect.Value{}, reflect.ValueOf(i).Convert(val.Type()), mark); done {
					return err
				}
			}
		case reflect.Invalid:
		default:
			return unsupported("range over %v", val.Kind())
		}
		if !ran && els != nil {
			return els(s, dot)
		}
		return nil
	}
}

// template compiles {{template "name" pipeline}}. The called template sees
// only $, set to the pipeline's value.
func (c *compiler) template(n *parse.TemplateNode) nodeFn {
	slot := c.slots[n.Name]
	if slot == nil {
		return failNode(unsupported("template %q", n.Name))
	}
	p := c.pipeline(n.Pipe)
	return func(s *state, dot reflect.Value) error {
		if s.depth >= maxDepth {
			return unsupported("template depth")
		}
		v, err := p(s, dot)
		if err != nil {
			return err
		}
		base, mark := s.base, len(s.vars)
		s.base = mark
		s.vars = append(s.vars, variable{"$", v})
		s.depth++
		err = (*slot)(s, v)
		s.depth--
		s.vars, s.base = s.vars[:mark], base
		if err == errBreak || err == errContinue {
			return unsupported("break or continue outside range")
		}
		return err
	}
}

func (c *compiler) pipeline(pipe *parse.PipeNode) valFn {
	if pipe == nil {
		return func(*state, reflect.Value) (reflect.Value, error) { return reflect.Value{}, nil }
	}
	cmds := c.commands(pipe.Cmds)
	if len(pipe.Decl) == 0 {
		return cmds
	}
	decl := make([]string, len(pipe.Decl))
	for i, d := range pipe.Decl {
		decl[i] = d.Ident[0]
	}
	assign := pipe.IsAssign
	return func(s *state, dot reflect.Value) (reflect.Value, error) {
		v, err := cmds(s, dot)
		if err != nil {
			return reflect.Value{}, err
		}
		for _, name := range decl {
			if assign {
				if !s.setVar(name, v) {
					return reflect.Value{}, unsupported("undefined variable %s", name)
				}
			} else {
				s.vars = append(s.vars, variable{name, v})
			}
		}
		return v, nil
	}
}

// commands compiles cmds, each value the final argument of the next.
func (c *compiler) commands(cmds []*parse.CommandNode) valFn {
	fns := make([]cmdFn, len(cmds))
	for i, cmd := range cmds {
		fns[i] = c.command(cmd, i > 0)
	}
	unwrap := func(v reflect.Value) reflect.Value {
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			return v.Elem()
		}
		return v
	}
	if len(fns) == 1 {
		f := fns[0]
		return func(s *state, dot reflect.Value) (reflect.Value, error) {
			v, err := f(s, dot, missing)
			if err != nil {
				return reflect.Value{}, err
			}
			return unwrap(v), nil
		}
	}
	return func(s *state, dot reflect.Value) (reflect.Value, error) {
		v := missing
		for _, f := range fns {
			var err error
			if v, err = f(s, dot, v); err != nil {
				return reflect.Value{}, err
			}
			v = unwrap(v)
		}
		return v, nil
	}
}

// command compiles one command; piped tells whether a previous command
// pipes its value in as the final argument.
func (c *compiler) command(cmd *parse.CommandNode, piped bool) cmdFn {
	withArgs := len(cmd.Args) > 1 || piped
	switch n := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		return c.function(n.Ident, cmd.Args[1:], piped)
	case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
		if withArgs {
			return failCmd(unsupported("field or method with arguments: %s", cmd))
		}
	case *parse.PipeNode, *parse.DotNode, *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		if withArgs {
			return failCmd(unsupported("argument to non-function: %s", cmd))
		}
	default:
		return failCmd(unsupported("command %s", cmd))
	}
	a := c.arg(cmd.Args[0])
	return func(s *state, dot, _ reflect.Value) (reflect.Value, error) { return a(s, dot) }
}

// fields compiles .A.B.C, each name with its own lookup cache.
func fields(idents []string) func(v reflect.Value) (reflect.Value, error) {
	caches := make([]*fieldCache, len(idents))
	for i := range caches {
		caches[i] = new(fieldCache)
	}
	if len(idents) == 1 {
		name, st := idents[0], caches[0]
		return func(v reflect.Value) (reflect.Value, error) { return field(v, name, st) }
	}
	return func(v reflect.Value) (reflect.Value, error) {
		for i, name := range idents {
			var err error
			if v, err = field(v, name, caches[i]); err != nil {
				return reflect.Value{}, err
			}
		}
		return v, nil
	}
}

// arg compiles one argument, evaluated to its natural type (text/template's
// evalEmptyInterface).
func (c *compiler) arg(n parse.Node) valFn {
	switch a := n.(type) {
	case *parse.DotNode:
		return func(_ *state, dot reflect.Value) (reflect.Value, error) { return dot, nil }
	case *parse.FieldNode:
		f := fields(a.Ident)
		return func(_ *state, dot reflect.Value) (reflect.Value, error) { return f(dot) }
	case *parse.VariableNode:
		name := a.Ident[0]
		if len(a.Ident) == 1 {
			return func(s *state, _ reflect.Value) (reflect.Value, error) { return s.varValue(name) }
		}
		f := fields(a.Ident[1:])
		return func(s *state, _ reflect.Value) (reflect.Value, error) {
			v, err := s.varValue(name)
			if err != nil {
				return v, err
			}
			return f(v)
		}
	case *parse.PipeNode:
		return c.pipeline(a)
	case *parse.ChainNode:
		return c.chain(a)
	case *parse.StringNode:
		v := reflect.ValueOf(a.Text)
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }
	case *parse.BoolNode:
		v := reflect.ValueOf(a.True)
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }
	case *parse.NumberNode:
		v, err := constant(a)
		if err != nil {
			return failVal(err)
		}
		return func(*state, reflect.Value) (reflect.Value, error) { return v, nil }
	case *parse.IdentifierNode:
		f := c.function(a.Ident, nil, false)
		return func(s *state, dot reflect.Value) (reflect.Value, error) { return f(s, dot, missing) }
	}
	return failVal(unsupported("argument %s", n))
}

// chain compiles (pipeline).Field.Field.
func (c *compiler) chain(n *parse.ChainNode) valFn {
	if len(n.Field) == 0 {
		return failVal(unsupported("empty chain"))
	}
	switch n.Node.(type) {
	case *parse.PipeNode, *parse.FieldNode, *parse.VariableNode, *parse.DotNode:
	default:
		return failVal(unsupported("chain on %s", n.Node))
	}
	base, f := c.arg(n.Node), fields(n.Field)
	return func(s *state, dot reflect.Value) (reflect.Value, error) {
		v, err := base(s, dot)
		if err != nil {
			return reflect.Value{}, err
		}
		return f(v)
	}
}

// argList evaluates the arguments of a call: the compiled words and, when
// piped, the final value.
type argList struct {
	fns   []valFn
	piped bool
}

func (c *compiler) args(args []parse.Node, piped bool) argList {
	l := argList{piped: piped}
	for _, a := range args {
		l.fns = append(l.fns, c.arg(a))
	}
	return l
}

func (l argList) len() int {
	if l.piped {
		return len(l.fns) + 1
	}
	return len(l.fns)
}

// eval evaluates the arguments into out, which has length l.len().
func (l argList) eval(s *state, dot, final reflect.Value, out []reflect.Value) error {
	for i, f := range l.fns {
		v, err := f(s, dot)
		if err != nil {
			return err
		}
		out[i] = v
	}
	if l.piped {
		out[len(l.fns)] = final
	}
	return nil
}

// get evaluates argument i alone.
func (l argList) get(s *state, dot, final reflect.Value, i int) (reflect.Value, error) {
	if i == len(l.fns) {
		return final, nil
	}
	return l.fns[i](s, dot)
}

// function compiles a call of an identifier with args (its arguments,
// without the identifier itself): an escaper, a FuncMap function or a
// builtin.
func (c *compiler) function(name string, args []parse.Node, piped bool) cmdFn {
	if esc := escapers[name]; esc != nil {
		if len(args) != 0 || !piped {
			return failCmd(unsupported("escaper %s with %d arguments", name, len(args)))
		}
		escs := []escaper{esc}
		return func(_ *state, _, final reflect.Value) (reflect.Value, error) {
			str, ok := escape(final, escs)
			if !ok {
				return reflect.Value{}, unsupported("escaper %s on %v", name, final)
			}
			return reflect.ValueOf(str), nil
		}
	}
	if strings.HasPrefix(name, "_html_template_") || name == "_eval_args_" {
		return failCmd(unsupported("escaper %s", name))
	}
	l := c.args(args, piped)
	if fn, ok := c.funcs[name]; ok {
		return callFunc(name, fn, l)
	}
	switch name {
	case "and", "or":
		or := name == "or"
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			var v reflect.Value
			for _, f := range l.fns {
				var err error
				if v, err = f(s, dot); err != nil {
					return reflect.Value{}, err
				}
				t, ok := isTrue(indirectInterface(v))
				if !ok {
					return reflect.Value{}, unsupported("truth of %v", v)
				}
				if t == or {
					return v, nil
				}
			}
			if l.piped {
				v = final
			}
			return v, nil
		}
	case "not", "len":
		if l.len() != 1 {
			break
		}
		isNot := name == "not"
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			x, err := l.get(s, dot, final, 0)
			if err != nil {
				return reflect.Value{}, err
			}
			if isNot {
				if t, ok := isTrue(indirectInterface(x)); ok {
					return reflect.ValueOf(!t), nil
				}
			} else if v, isNil := indirect(x); !isNil {
				switch v.Kind() {
				case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
					return reflect.ValueOf(v.Len()), nil
				}
			}
			return reflect.Value{}, unsupported("function %s", name)
		}
	case "index":
		if l.len() != 2 {
			break
		}
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			var vals [2]reflect.Value
			if err := l.eval(s, dot, final, vals[:]); err != nil {
				return reflect.Value{}, err
			}
			return index(vals[0], vals[1])
		}
	case "eq", "ne", "lt", "le", "gt", "ge":
		if l.len() != 2 {
			break
		}
		want := map[string]func(cmpResult) bool{
			"eq": func(c cmpResult) bool { return c == cmpEqual },
			"ne": func(c cmpResult) bool { return c != cmpEqual },
			"lt": func(c cmpResult) bool { return c == cmpLess },
			"le": func(c cmpResult) bool { return c == cmpLess || c == cmpEqual },
			"gt": func(c cmpResult) bool { return c == cmpGreater },
			"ge": func(c cmpResult) bool { return c == cmpGreater || c == cmpEqual },
		}[name]
		ordered := name != "eq" && name != "ne"
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			var vals [2]reflect.Value
			if err := l.eval(s, dot, final, vals[:]); err != nil {
				return reflect.Value{}, err
			}
			r, ok := compare(indirectInterface(vals[0]), indirectInterface(vals[1]))
			if !ok || (r == cmpUnordered && ordered) {
				return reflect.Value{}, unsupported("function %s", name)
			}
			return reflect.ValueOf(want(r)), nil
		}
	}
	return failCmd(unsupported("function %s", name))
}

// callFunc compiles a call of a FuncMap function: directly for common
// signatures, through reflection for the others.
func callFunc(name string, fn function, l argList) cmdFn {
	t := fn.v.Type()
	if t.IsVariadic() || t.NumIn() != l.len() {
		return failCmd(unsupported("call of %s", name))
	}
	if n := t.NumOut(); n == 0 || n > 2 || (n == 2 && t.Out(1) != errorType) {
		return failCmd(unsupported("results of %s", name))
	}
	slow := func(s *state, dot, final reflect.Value) (reflect.Value, error) {
		in := make([]reflect.Value, l.len())
		if err := l.eval(s, dot, final, in); err != nil {
			return reflect.Value{}, err
		}
		return callReflect(name, fn.v, in)
	}
	// fast wraps a direct call of a one-argument function: it returns
	// ok false when the argument's type needs the reflective call.
	fast := func(call func(x reflect.Value) (v reflect.Value, ok bool, err error)) cmdFn {
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			x, err := l.get(s, dot, final, 0)
			if err != nil {
				return reflect.Value{}, err
			}
			v, ok, err := call(x)
			if ok || err != nil {
				return v, err
			}
			return callReflect(name, fn.v, []reflect.Value{x})
		}
	}
	switch f := fn.raw.(type) {
	case func(any) string:
		return fast(func(x reflect.Value) (reflect.Value, bool, error) {
			v, ok := asAny(x)
			if !ok {
				return reflect.Value{}, false, nil
			}
			return reflect.ValueOf(f(v)), true, nil
		})
	case func(string) string:
		return fast(func(x reflect.Value) (reflect.Value, bool, error) {
			if !isString(x) {
				return reflect.Value{}, false, nil
			}
			return reflect.ValueOf(f(x.String())), true, nil
		})
	case func(time.Time) string:
		return fast(func(x reflect.Value) (reflect.Value, bool, error) {
			if !x.IsValid() || x.Type() != timeType {
				return reflect.Value{}, false, nil
			}
			return reflect.ValueOf(f(x.Interface().(time.Time))), true, nil
		})
	case func(int) string:
		return fast(func(x reflect.Value) (reflect.Value, bool, error) {
			if !x.IsValid() || x.Type() != intType {
				return reflect.Value{}, false, nil
			}
			return reflect.ValueOf(f(int(x.Int()))), true, nil
		})
	case func(int64) string:
		return fast(func(x reflect.Value) (reflect.Value, bool, error) {
			if !x.IsValid() || x.Type() != int64Type {
				return reflect.Value{}, false, nil
			}
			return reflect.ValueOf(f(x.Int())), true, nil
		})
	case func(any) (string, error):
		return fast(anyOrError(name, f))
	case func(any) (template.HTML, error):
		return fast(anyOrError(name, f))
	case func(string, string) bool:
		return func(s *state, dot, final reflect.Value) (reflect.Value, error) {
			var vals [2]reflect.Value
			if err := l.eval(s, dot, final, vals[:]); err != nil {
				return reflect.Value{}, err
			}
			if isString(vals[0]) && isString(vals[1]) {
				return reflect.ValueOf(f(vals[0].String(), vals[1].String())), nil
			}
			return callReflect(name, fn.v, vals[:])
		}
	}
	return slow
}

// anyOrError adapts a func(any) (R, error) for callFunc's fast path; an
// error makes the page unsupported.
func anyOrError[R any](name string, f func(any) (R, error)) func(reflect.Value) (reflect.Value, bool, error) {
	return func(x reflect.Value) (reflect.Value, bool, error) {
		v, ok := asAny(x)
		if !ok {
			return reflect.Value{}, false, nil
		}
		r, err := f(v)
		if err != nil {
			return reflect.Value{}, true, unsupported("%s: %v", name, err)
		}
		return reflect.ValueOf(r), true, nil
	}
}

// callReflect calls fn with vals, converted (in place) as text/template
// converts arguments.
func callReflect(name string, fn reflect.Value, vals []reflect.Value) (reflect.Value, error) {
	t := fn.Type()
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
		vals[i] = v
	}
	return results(fn.Call(vals), name)
}
