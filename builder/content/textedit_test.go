package content

import (
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// TestOutlineFields changes each field of a case in turn and checks that
// SameOutline tells the text fields (and the body's) from the others, and
// that TakeText copies exactly the text fields: a field added to Case is
// compared as part of the outline unless it is listed here as text.
func TestOutlineFields(t *testing.T) {
	text := map[string]bool{"Summary": true, "Results": true, "Lessons": true, "Contact": true, "contactLine": true,
		"Owner": true, "Initiator": true, "Partners": true,
		// The body, and what follows from the whole file.
		"Body": true, "BodyLine": true, "Hash": true, "MetaHash": true, "titleKey": true, "resolveKey": true}
	base := func() *Case {
		return &Case{Doc: Doc{Section: SectionCase, File: "content/exempel/x.md", Slug: "x", Title: "X",
			Sources: []Source{{ID: "k", Doc: &SourceDoc{ID: "k"}, Line: 7}}}}
	}
	n := 0
	for _, f := range structFields(reflect.TypeOf(Case{})) {
		a, b := base(), base()
		set(t, fieldOf(b, f), f)
		n++
		if got := SameOutline(a, b); got != text[f.Name] {
			t.Errorf("%s changed: SameOutline = %v, want %v", f.Name, got, text[f.Name])
		}
		if text[f.Name] && f.Name != "Body" && f.Name != "BodyLine" && f.Name != "Hash" && f.Name != "MetaHash" && f.Name != "titleKey" && f.Name != "resolveKey" {
			a.TakeText(b)
			if !reflect.DeepEqual(fieldOf(a, f).Interface(), fieldOf(b, f).Interface()) {
				t.Errorf("TakeText left %s out", f.Name)
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d fields looked at", n)
	}
	// The lines of the sources move with the text above them.
	a, b := base(), base()
	b.Sources[0].Line = 9
	b.Sources[0].Doc = &SourceDoc{ID: "k"} // another reading's
	if !SameOutline(a, b) {
		t.Error("a source's line moved: not the same outline")
	}
	orig := a.Sources
	a.TakeText(b)
	if a.Sources[0].Line != 9 || orig[0].Line != 7 {
		t.Errorf("TakeText: line %d (the old slice %d), want 9 in a copy", a.Sources[0].Line, orig[0].Line)
	}
	// References count by identity, not by pointer.
	a, b = base(), base()
	a.Municipalities = []*Kommun{{Code: "1440", Name: "Ale"}}
	b.Municipalities = []*Kommun{{Code: "1440", Name: "Ale"}}
	if !SameOutline(a, b) {
		t.Error("the same municipality from two readings: not the same outline")
	}
	b.Municipalities = []*Kommun{{Code: "1482", Name: "Kungälv"}}
	if SameOutline(a, b) {
		t.Error("another municipality: the same outline")
	}
}

// structFields lists the fields of a struct type, those of embedded structs in
// their place.
func structFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			for _, g := range structFields(f.Type) {
				g.Index = append([]int{i}, g.Index...)
				out = append(out, g)
			}
			continue
		}
		out = append(out, f)
	}
	return out
}

// fieldOf is c's field f, settable even when unexported.
func fieldOf(c *Case, f reflect.StructField) reflect.Value {
	v := reflect.ValueOf(c).Elem().FieldByIndex(f.Index)
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// set gives v a value other than base's.
func set(t *testing.T, v reflect.Value, f reflect.StructField) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "ändrad")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 3)
	case reflect.Uint64:
		v.SetUint(v.Uint() + 3)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		e := reflect.New(v.Type().Elem()).Elem()
		if e.Kind() == reflect.Pointer {
			e.Set(reflect.New(e.Type().Elem()))
			if s := e.Elem(); s.Kind() == reflect.Struct {
				// An identity to compare by.
				for _, name := range []string{"Code", "Slug", "ID"} {
					if fv := s.FieldByName(name); fv.IsValid() {
						fv.SetString("annan")
					}
				}
			}
		}
		v.Set(reflect.Append(reflect.MakeSlice(v.Type(), 0, 1), e))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Struct:
		switch v.Interface().(type) {
		case time.Time:
			v.Set(reflect.ValueOf(time.Date(2015, 7, 3, 0, 0, 0, 0, time.UTC)))
		case PartialDate:
			v.Set(reflect.ValueOf(PartialDate{Year: 2015}))
		default:
			t.Fatalf("%s: no value for %s", f.Name, v.Type())
		}
	default:
		t.Fatalf("%s: no value for kind %s", f.Name, v.Kind())
	}
}
