package cms

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	yaml "go.yaml.in/yaml/v3"
)

// listKeys are the front-matter keys that hold lists. The contract takes
// a single text for a list of one ("municipality: Ale"), but the editor's
// list widgets show only lists.
var listKeys = []string{"municipality", "region", "target_group", "investment_model", "focus_area",
	"partners", "related", "results", "lessons", "former_slugs", "aliases"}

// forEditor returns the file as the editor should see it: a single text
// where the contract takes a list becomes a list of one. Files that need
// no change (or cannot be parsed: the editor then shows what it can, and
// the validator has the last word on saving) are returned as they are.
func forEditor(file string, raw []byte) []byte {
	fm, body, err := content.SplitFile(file, raw)
	if err != nil {
		return raw
	}
	var doc yaml.Node
	if yaml.Unmarshal(fm, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return raw
	}
	m, changed := doc.Content[0], false
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if slices.Contains(listKeys, k.Value) && v.Kind == yaml.ScalarNode && v.Tag != "!!null" && v.Value != "" {
			item := *v
			*v = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{&item}}
			changed = true
		}
	}
	if !changed {
		return raw
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return raw
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	buf.Write(out)
	buf.WriteString("---\n")
	buf.Write(body)
	return buf.Bytes()
}

// sameDocument reports whether two versions of a document file say the
// same thing: equal front-matter values once lists of one, dates and
// empty optional fields are read alike, and equal bodies but for
// trailing white space. The backend then keeps the file's bytes as they
// are, so that opening a case in the editor and saving it unchanged
// leaves no trace in git.
func sameDocument(file string, a, b []byte) bool {
	va, ba, ok1 := decodeDoc(file, a)
	vb, bb, ok2 := decodeDoc(file, b)
	return ok1 && ok2 && reflect.DeepEqual(va, vb) &&
		strings.TrimRight(string(ba), " \t\n") == strings.TrimRight(string(bb), " \t\n")
}

func decodeDoc(file string, raw []byte) (map[string]any, []byte, bool) {
	fm, body, err := content.SplitFile(file, raw)
	if err != nil {
		return nil, nil, false
	}
	var m map[string]any
	if err := yaml.Unmarshal(fm, &m); err != nil {
		return nil, nil, false
	}
	for k, v := range m {
		v = normValue(v)
		if slices.Contains(listKeys, k) {
			if s, ok := v.(string); ok {
				v = []any{s}
			}
		}
		if v == nil || v == "" || (k == "draft" && v == false) {
			delete(m, k)
			continue
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m, body, true
}

func normValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case int:
		return int64(x)
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case []any:
		for i := range x {
			x[i] = normValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normValue(x[k])
			if x[k] == nil || x[k] == "" {
				delete(x, k)
			}
		}
	}
	return v
}
