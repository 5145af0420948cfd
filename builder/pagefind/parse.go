package pagefind

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The HTML side of Pagefind 1.6's indexer ("fossicking"), element by element
// as its lol_html handlers do it: which text is indexed (the elements with
// data-pagefind-body, less data-pagefind-ignore and the removed elements),
// how block elements end in a full stop, which weight each word has
// (data-pagefind-weight, h1–h6), and the metadata, filters, sort keys and
// anchors of a page.

type status uint8

const (
	indexing     status = iota
	ignored             // the element's text is not indexed; its meta and filters are
	excluded            // nothing in it counts
	body                // data-pagefind-body
	parentOfBody        // holds a body below it: only body text counts
)

// Elements whose text ends in a sentence break, inline elements (which
// keep the anchors of their parent), and elements never indexed.
var (
	sentenceTags = tagSet("h1 h2 h3 h4 h5 h6 p td div ul li article section")
	inlineTags   = tagSet("a abbr acronym b bdo big br button cite code dfn em i img input kbd label map object output q samp script select small span strong sub sup textarea time tt var")
	removeTags   = tagSet("head style script noscript label form svg footer nav iframe template")
	voidTags     = tagSet("area base br col embed hr img input link meta param source track wbr")
)

func tagSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields(s) {
		m[t] = true
	}
	return m
}

// attrList is the attributes of the current tag, as the tokenizer holds
// them (valid until its next token).
type attrList [][2][]byte

// get returns the first attribute named k.
func (a attrList) get(k string) (string, bool) {
	for _, kv := range a {
		if string(kv[0]) == k {
			return string(kv[1]), true
		}
	}
	return "", false
}

type node struct {
	value                     []byte
	parent                    *node
	filter, sort, meta, defMe []string
	weight                    string
	hasWeight                 bool
	anchorIDs                 []string
	status                    status
	tag                       string
}

// parsed is what the HTML of one page gives the index.
type parsed struct {
	digest        string
	filters       []filterValue // in the order of the page, by name later
	sort          map[string]string
	meta          map[string]string
	anchorContent map[string]string
	anchorTitles  map[string]string
	hasBody       bool
	language      string
}

type filterValue struct{ name, value string }

var (
	sentenceChar   = regexp.MustCompile(`[\w'")\$\*]`)
	attributeMatch = regexp.MustCompile(`^\s*([^:\[\]]+)\[(.+)\]\s*$`)
	privateMarker  = regexp.MustCompile(`___PAGEFIND_\S+\s?`)
)

// normalize is Pagefind's normalize_content: entities decoded, trimmed of
// white space, each run of line breaks
// ("\n", "\r\n") as a space, then each run of two or more white-space
// characters as one space.
func normalize(s string) string {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	s = strings.TrimFunc(s, unicode.IsSpace)
	if !strings.ContainsAny(s, "\n\t\r\v\f  \u0085\u00a0") && !hasUnicodeSpace(s) {
		return s
	}
	var t strings.Builder
	t.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == '\n' || s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			for i < len(s) && (s[i] == '\n' || s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n') {
				if s[i] == '\r' {
					i++
				}
				i++
			}
			t.WriteByte(' ')
			continue
		}
		t.WriteByte(s[i])
		i++
	}
	s = t.String()
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(c) {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		j, count := i+n, 1
		for j < len(s) {
			c2, n2 := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsSpace(c2) {
				break
			}
			j += n2
			count++
		}
		if count == 1 {
			b.WriteString(s[i:j])
		} else {
			b.WriteByte(' ')
		}
		i = j
	}
	return b.String()
}

func hasUnicodeSpace(s string) bool {
	for _, c := range s {
		if c >= utf8.RuneSelf && unicode.IsSpace(c) {
			return true
		}
	}
	return false
}

// endsInSentenceChar: the last character is a word character, a quote, a
// closing parenthesis, $ or *.
func endsInSentenceChar(b []byte) bool {
	r, n := utf8.DecodeLastRune(b)
	if n == 0 {
		return false
	}
	if r < utf8.RuneSelf {
		return sentenceChar.Match(b[len(b)-n:])
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.No, r)
}

// parseHTML reads one page as Pagefind 1.6 does.
func parseHTML(src []byte) *parsed {
	p := &parsed{sort: map[string]string{}, meta: map[string]string{}, anchorContent: map[string]string{}, anchorTitles: map[string]string{}}
	defMeta := map[string]string{}
	root := &node{}
	cur := root
	inHTML := false
	anchorCounter := 0
	var stack []*node // open elements inside html, for matching end tags

	var attrs attrList
	finish := func(n *node, void bool) {
		if n.status == excluded {
			return
		}
		for _, f := range n.filter {
			if k, v, ok := n.pair(f); ok {
				p.filters = append(p.filters, filterValue{k, v})
			}
		}
		for _, f := range n.sort {
			if k, v, ok := n.pair(f); ok {
				p.sort[k] = v
			}
		}
		for _, f := range n.meta {
			if k, v, ok := n.pair(f); ok {
				p.meta[k] = v
			}
		}
		for _, f := range n.defMe {
			if k, v, ok := n.pair(f); ok {
				defMeta[k] = v
			}
		}
		if void {
			if n.tag == "img" {
				_, hasAuto := p.meta["auto_image"]
				_, hasAT := p.meta["auto_title"]
				_, hasT := p.meta["title"]
				if !hasAuto && (hasAT || hasT) {
					if src, ok := attrs.get("src"); ok {
						p.meta["auto_image"] = src
						if alt, ok := attrs.get("alt"); ok {
							p.meta["auto_image_alt"] = alt
						}
					}
				}
			}
			return
		}
		if n.tag == "h1" {
			if _, ok := p.meta["auto_title"]; !ok && strings.TrimSpace(string(n.value)) != "" {
				p.meta["auto_title"] = normalize(string(n.value))
			}
		}
		if n.tag == "title" {
			if _, ok := p.meta["auto_page_title"]; !ok {
				p.meta["auto_page_title"] = normalize(string(n.value))
			}
		}
		if n.status == ignored {
			return
		}
		if sentenceTags[n.tag] {
			v := make([]byte, 0, len(n.value)+3)
			v = append(v, ' ')
			v = append(v, n.value...)
			if endsInSentenceChar(v) {
				v = append(v, '.')
			}
			n.value = append(v, ' ')
		}
		if n.hasWeight {
			n.value = wrapWeight(" ___PAGEFIND_WEIGHT___", n.weight, n.value)
		} else if w := autoWeight(n.tag); w != "" {
			n.value = wrapWeight(" ___PAGEFIND_AUTO_WEIGHT___", w, n.value)
		}
		parent := n.parent
		if parent.status == parentOfBody && n.status != body && n.status != parentOfBody {
			return
		}
		collapse(parent, n)
	}

	z := html.NewTokenizer(bytes.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			goto done
		case html.TextToken:
			if !inHTML {
				continue
			}
			// The raw text, entities and all, as Pagefind's parser sees
			// it (a paragraph ending in "&#34;" gets no full stop);
			// normalize decodes it.
			text := z.Raw()
			cur.value = append(cur.value, text...)
			if cur.status != ignored && cur.status != excluded && len(cur.anchorIDs) > 0 {
				for _, id := range cur.anchorIDs {
					p.anchorContent[id] += string(text)
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if a := atom.Lookup(name); a != 0 {
				tag = a.String()
			}
			attrs = attrs[:0]
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs = append(attrs, [2][]byte{k, v})
			}
			if tag == "html" {
				inHTML = true
				if lang, ok := attrs.get("lang"); ok {
					p.language = strings.ToLower(lang)
				}
			}
			if !inHTML {
				continue
			}
			n := openElement(cur, tag, attrs, &anchorCounter, p)
			void := voidTags[tag] || tt == html.SelfClosingTagToken && foreign(stack)
			if void {
				cur = n.parent
				finish(n, true)
			} else {
				cur = n
				stack = append(stack, n)
			}
			if removeTags[tag] && tag != "html" {
				// Pagefind marks whatever node is current at that point.
				cur.status = ignored
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if a := atom.Lookup(name); a != 0 {
				tag = a.String()
			}
			i := len(stack) - 1
			for i >= 0 && stack[i].tag != tag {
				i--
			}
			if i < 0 {
				continue
			}
			for j := len(stack) - 1; j >= i; j-- {
				n := stack[j]
				cur = n.parent
				finish(n, false)
			}
			stack = stack[:i]
		}
	}
done:
	// Elements left open are collapsed into their parents.
	for n := cur; n.parent != nil; n = n.parent {
		if n.parent.status != parentOfBody {
			collapse(n.parent, n)
		}
	}
	if img, ok := p.meta["auto_image"]; ok {
		alt := p.meta["auto_image_alt"]
		delete(p.meta, "auto_image")
		delete(p.meta, "auto_image_alt")
		if _, ok := p.meta["image"]; !ok {
			p.meta["image"], p.meta["image_alt"] = img, alt
		}
	}
	for _, k := range []string{"auto_title", "auto_page_title"} {
		if t, ok := p.meta[k]; ok {
			delete(p.meta, k)
			if _, ok := p.meta["title"]; !ok {
				p.meta["title"] = t
			}
		}
	}
	for k, v := range p.meta {
		defMeta[k] = v
	}
	p.meta = defMeta
	p.digest = normalize(string(root.value))
	p.hasBody = root.status == parentOfBody
	if p.language == "" {
		p.language = "unknown"
	}
	// Pagefind's private markers never reach metadata or filters.
	for i := range p.filters {
		p.filters[i].value = privateMarker.ReplaceAllString(p.filters[i].value, "")
	}
	for k, v := range p.meta {
		p.meta[k] = privateMarker.ReplaceAllString(v, "")
	}
	return p
}

// collapse appends n's text to its parent's, as its end tag does.
func collapse(parent, n *node) {
	switch n.status {
	case indexing:
		parent.value = append(parent.value, n.value...)
	case body, parentOfBody:
		if parent.status != parentOfBody {
			parent.value = parent.value[:0]
		}
		parent.value = append(parent.value, n.value...)
		parent.status = parentOfBody
	}
}

func foreign(stack []*node) bool {
	for _, n := range stack {
		if n.tag == "svg" || n.tag == "math" {
			return true
		}
	}
	return false
}

func wrapWeight(marker, w string, value []byte) []byte {
	out := make([]byte, 0, len(value)+len(marker)+len(w)+32)
	out = append(out, marker...)
	out = append(out, w...)
	out = append(out, ' ')
	out = append(out, value...)
	return append(out, " ___END_PAGEFIND_WEIGHT___ "...)
}

func autoWeight(tag string) string {
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' {
		return strconv.Itoa(int('7' - tag[1] + 1))
	}
	return ""
}

// openElement is Pagefind's handler for the start of an element in html.
func openElement(parent *node, tag string, attrs attrList, counter *int, p *parsed) *node {
	st := indexing
	if _, ok := attrs.get("data-pagefind-body"); ok {
		st = body
	} else if v, ok := attrs.get("data-pagefind-ignore"); ok {
		switch strings.ToLower(v) {
		case "", "index", "true":
			st = ignored
		default:
			st = excluded
		}
	}
	n := &node{parent: parent, tag: tag}
	if v, ok := attrs.get("data-pagefind-weight"); ok {
		n.weight, n.hasWeight = v, true
	}
	if v, ok := attrs.get("data-pagefind-filter"); ok {
		n.filter = parseAttr(v, attrs)
	}
	if v, ok := attrs.get("data-pagefind-meta"); ok {
		n.meta = parseAttr(v, attrs)
	}
	if v, ok := attrs.get("data-pagefind-default-meta"); ok {
		n.defMe = parseAttr(v, attrs)
	}
	if v, ok := attrs.get("data-pagefind-sort"); ok {
		n.sort = parseAttr(v, attrs)
	}
	var anchorID string
	if id, ok := attrs.get("id"); ok && st != excluded && st != ignored {
		id = strings.Join(strings.FieldsFunc(id, unicode.IsSpace), "")
		if !(parent.status == parentOfBody && st != body && st != parentOfBody) {
			parent.value = append(parent.value, " ___PAGEFIND_ANCHOR___"+tag+":"+strconv.Itoa(*counter)+":"+id+" "...)
			anchorID = strconv.Itoa(*counter) + ":" + id
			*counter++
		}
	}
	if t, ok := attrs.get("data-pagefind-title"); ok && anchorID != "" {
		if t = normalize(t); t != "" {
			p.anchorTitles[anchorID] = t
		}
	}
	if st != excluded {
		if v, ok := attrs.get("data-pagefind-index-attrs"); ok {
			for _, a := range strings.Split(v, ",") {
				val, _ := attrs.get(strings.TrimSpace(a))
				if endsInSentenceChar([]byte(val)) {
					val += "."
				}
				parent.value = append(parent.value, " "+val+" "...)
			}
		}
		if tag == "br" {
			parent.value = append(parent.value, ' ')
		}
	}
	if len(parent.anchorIDs) > 0 && inlineTags[tag] {
		n.anchorIDs = append([]string(nil), parent.anchorIDs...)
	}
	if anchorID != "" {
		n.anchorIDs = append(n.anchorIDs, anchorID)
	}
	n.status = st
	if parent.status == excluded {
		n.status = excluded
	}
	return n
}

// parseAttr reads a data-pagefind-filter/meta/sort value: names, name:value
// literals and name[attribute] references, separated by commas.
func parseAttr(input string, attrs attrList) []string {
	if before, literal, ok := strings.Cut(input, ":"); ok {
		out := parseAttr(before, attrs)
		if len(out) > 0 {
			out[len(out)-1] += ":" + literal
		}
		return out
	}
	var out []string
	for _, chunk := range strings.Split(input, ",") {
		chunk = strings.TrimSpace(chunk)
		if m := attributeMatch.FindStringSubmatch(chunk); m != nil {
			v, _ := attrs.get(m[2])
			out = append(out, m[1]+":"+v)
		} else {
			out = append(out, chunk)
		}
	}
	return out
}

// pair is Pagefind's get_attribute_pair: "name:value", or the name with
// the element's text.
func (n *node) pair(input string) (string, string, bool) {
	if k, v, ok := strings.Cut(input, ":"); ok {
		return k, normalize(v), true
	}
	if len(n.value) == 0 {
		return "", "", false
	}
	return input, normalize(string(n.value)), true
}
