package pagefind

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Snapshot is a Pagefind index read back into plain values, by URL rather
// than page number, so that two indexes of the same pages compare equal
// when they find the same pages with the same positions, weights,
// metadata, filters and sort orders, whatever their file names or page
// order.
type Snapshot struct {
	Version    string
	Language   string
	MetaFields []string
	Pages      map[string]Fragment            // by URL
	Words      map[string]map[string]string   // key → "url" or "url form" → locations
	Filters    map[string]map[string][]string // name → value → URLs
	Sorts      map[string][]string            // name → URLs in order
	Chunks     int
	Order      []string // URLs by page number
}

// Fragment is a page's fragment file: what a result shows.
type Fragment struct {
	URL       string              `json:"url"`
	Content   string              `json:"content"`
	WordCount int                 `json:"word_count"`
	Filters   map[string][]string `json:"filters"`
	Meta      map[string]string   `json:"meta"`
	Anchors   []struct {
		Element  string  `json:"element"`
		ID       string  `json:"id"`
		Text     string  `json:"text"`
		Title    *string `json:"title"`
		Location uint32  `json:"location"`
	} `json:"anchors"`
}

// Read reads the index in fsys (the folder holding pagefind-entry.json).
// Results from IDs: the Fragment files' names are left out; Names maps
// them when asked for (see ResultIDs).
func Read(fsys fs.FS) (*Snapshot, error) {
	var entry struct {
		Version   string
		Languages map[string]struct{ Hash string }
	}
	if err := readJSON(fsys, "pagefind-entry.json", &entry); err != nil {
		return nil, err
	}
	if len(entry.Languages) != 1 {
		return nil, fmt.Errorf("pagefind-entry.json: %d språk", len(entry.Languages))
	}
	s := &Snapshot{Version: entry.Version, Pages: map[string]Fragment{}, Words: map[string]map[string]string{},
		Filters: map[string]map[string][]string{}, Sorts: map[string][]string{}}
	var hash string
	for l, v := range entry.Languages {
		s.Language, hash = l, v.Hash
	}
	meta, err := ReadCBOR(fsys, "pagefind."+hash+".pf_meta")
	if err != nil {
		return nil, err
	}
	m, ok := meta.([]any)
	if !ok || len(m) < 6 {
		return nil, errors.New("pf_meta: oväntad form")
	}
	var urls []string
	for _, p := range m[1].([]any) {
		pp := p.([]any)
		var f Fragment
		if err := readJSON(fsys, "fragment/"+pp[0].(string)+".pf_fragment", &f); err != nil {
			return nil, err
		}
		urls = append(urls, f.URL)
		s.Order = append(s.Order, f.URL)
		s.Pages[f.URL] = f
	}
	for _, f := range m[5].([]any) {
		s.MetaFields = append(s.MetaFields, f.(string))
	}
	for _, so := range m[4].([]any) {
		o := so.([]any)
		var list []string
		for _, n := range o[1].([]any) {
			list = append(list, urls[n.(uint64)])
		}
		s.Sorts[o[0].(string)] = list
	}
	for _, fi := range m[3].([]any) {
		f := fi.([]any)
		v, err := ReadCBOR(fsys, "filter/"+f[1].(string)+".pf_filter")
		if err != nil {
			return nil, err
		}
		vals := map[string][]string{}
		for _, e := range v.([]any)[1].([]any) {
			ee := e.([]any)
			for _, n := range ee[1].([]any) {
				vals[ee[0].(string)] = append(vals[ee[0].(string)], urls[n.(uint64)])
			}
		}
		s.Filters[f[0].(string)] = vals
	}
	for _, c := range m[2].([]any) {
		s.Chunks++
		v, err := ReadCBOR(fsys, "index/"+c.([]any)[2].(string)+".pf_index")
		if err != nil {
			return nil, err
		}
		for _, w := range v.([]any)[0].([]any) {
			ww := w.([]any)
			key := ww[0].(string)
			locs := s.Words[key]
			if locs == nil {
				locs = map[string]string{}
				s.Words[key] = locs
			}
			add := func(form string, pages []any) {
				n := uint64(0)
				for _, p := range pages {
					pp := p.([]any)
					n += pp[0].(uint64)
					k := urls[n]
					if form != "" {
						k += " " + form
					}
					locs[k] = fmt.Sprint(pp[1:]...)
				}
			}
			add("", ww[1].([]any))
			for _, v := range ww[2].([]any) {
				add(v.([]any)[0].(string), v.([]any)[1].([]any))
			}
		}
	}
	return s, nil
}

// Diff lists the differences between two snapshots, at most max of them.
func Diff(a, b *Snapshot, max int) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < max {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	if a.Version != b.Version || a.Language != b.Language {
		add("version/språk: %s %s ≠ %s %s", a.Version, a.Language, b.Version, b.Language)
	}
	if strings.Join(a.MetaFields, ",") != strings.Join(b.MetaFields, ",") {
		add("metadatafält: %v ≠ %v", a.MetaFields, b.MetaFields)
	}
	for _, u := range keys(a.Pages, b.Pages) {
		fa, fb := jsonOf(a.Pages[u]), jsonOf(b.Pages[u])
		if fa != fb {
			add("sida %s:\n  %s\n  %s", u, fa, fb)
		}
	}
	for _, k := range keys(a.Words, b.Words) {
		for _, u := range keys(a.Words[k], b.Words[k]) {
			la, oka := a.Words[k][u]
			lb, okb := b.Words[k][u]
			if la != lb || oka != okb {
				add("ord %q på %s: %q ≠ %q", k, u, la, lb)
			}
		}
	}
	// Filters and sort orders list pages by number; the numbers differ
	// (Pagefind's CLI numbers the pages in the order it finds the files),
	// so filters compare as sets, and sort orders by their pages here and
	// by their values in TestMatchesPagefindCLI.
	for _, k := range keys(a.Filters, b.Filters) {
		for _, v := range keys(a.Filters[k], b.Filters[k]) {
			if sa, sb := sorted(a.Filters[k][v]), sorted(b.Filters[k][v]); sa != sb {
				add("filter %s=%s: %s ≠ %s", k, v, sa, sb)
			}
		}
	}
	for _, k := range keys(a.Sorts, b.Sorts) {
		if sa, sb := sorted(a.Sorts[k]), sorted(b.Sorts[k]); sa != sb {
			add("sortering %s: %s ≠ %s", k, sa, sb)
		}
	}
	return out
}

func sorted(list []string) string {
	c := append([]string(nil), list...)
	sort.Strings(c)
	return jsonOf(c)
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func keys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// ReadFile returns the content of one of the compressed files of the
// index in fsys (a pf_meta, pf_index, pf_filter or pf_fragment): gunzipped,
// without the pagefind_dcd signature.
func ReadFile(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, path.Clean(name))
	if err != nil {
		return nil, err
	}
	return Decompress(data, name)
}

// ReadCBOR decodes one of the CBOR files of the index in fsys.
func ReadCBOR(fsys fs.FS, name string) (any, error) {
	data, err := ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	v, rest, err := DecodeCBOR(data)
	if err != nil || len(rest) != 0 {
		return nil, fmt.Errorf("%s: CBOR: %v (%d byte över)", name, err, len(rest))
	}
	return v, nil
}

func readJSON(fsys fs.FS, name string, v any) error {
	var data []byte
	var err error
	if strings.HasSuffix(name, ".pf_fragment") {
		data, err = ReadFile(fsys, name)
	} else {
		data, err = fs.ReadFile(fsys, name)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Decompress returns the content of one of the index's compressed files
// (its bytes as written, named name in errors): gunzipped, without the
// pagefind_dcd signature.
func Decompress(data []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out, ok := bytes.CutPrefix(b, []byte(dcdPrefix))
	if !ok {
		return nil, fmt.Errorf("%s: saknar %s", name, dcdPrefix)
	}
	return out, nil
}

// DecodeCBOR decodes the CBOR subset Pagefind writes into uint64, int64,
// string and []any values, returning the bytes after the value.
func DecodeCBOR(b []byte) (any, []byte, error) {
	if len(b) == 0 {
		return nil, nil, io.ErrUnexpectedEOF
	}
	major, info := b[0]>>5, b[0]&31
	b = b[1:]
	var n uint64
	switch {
	case info < 24:
		n = uint64(info)
	case info == 24 && len(b) >= 1:
		n, b = uint64(b[0]), b[1:]
	case info == 25 && len(b) >= 2:
		n, b = uint64(binary.BigEndian.Uint16(b)), b[2:]
	case info == 26 && len(b) >= 4:
		n, b = uint64(binary.BigEndian.Uint32(b)), b[4:]
	case info == 27 && len(b) >= 8:
		n, b = binary.BigEndian.Uint64(b), b[8:]
	default:
		return nil, nil, fmt.Errorf("cbor: additional info %d", info)
	}
	switch major {
	case 0:
		return n, b, nil
	case 1:
		return -1 - int64(n), b, nil
	case 2, 3:
		if uint64(len(b)) < n {
			return nil, nil, io.ErrUnexpectedEOF
		}
		return string(b[:n]), b[n:], nil
	case 4:
		if n > uint64(len(b)) {
			return nil, nil, io.ErrUnexpectedEOF
		}
		out := make([]any, 0, n)
		for range n {
			v, rest, err := DecodeCBOR(b)
			if err != nil {
				return nil, nil, err
			}
			out, b = append(out, v), rest
		}
		return out, b, nil
	}
	return nil, nil, fmt.Errorf("cbor: major type %d", major)
}
