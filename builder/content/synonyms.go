package content

import (
	"errors"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/exempelbanken/portal/builder/diag"
	yaml "go.yaml.in/yaml/v3"
)

// SynonymsFile lists words that mean the same to a reader searching the
// portal: abbreviations, older and newer names, spelling variants. It is
// optional.
const SynonymsFile = "content/synonymer.yaml"

// SynonymGroup is one group of content/synonymer.yaml: words and phrases a
// search should treat as one.
type SynonymGroup struct {
	Terms []string
	Line  int
}

// readSynonyms reads content/synonymer.yaml when there is one:
//
//	synonymer:
//	  - ord:
//	      - SIB
//	      - socialt utfallskontrakt
//
// Each group needs two terms or more; a term may be in one group only
// (compared without regard to case or -/–), and only once in it.
func readSynonyms(root string, s *Site, errs *diag.List, h hash.Hash64) {
	const name = SynonymsFile
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); errors.Is(err, fs.ErrNotExist) {
		return
	}
	f, ok := readYAMLFile(root, name, errs, h)
	if !ok {
		return
	}
	f.checkUnknown([]string{"synonymer"}, "synonymer.yaml")
	seq, ok := f.get("synonymer")
	if !ok || isNull(seq) {
		errs.Addf(name, f.line, "synonymer saknas: filen ska ha en lista synonymer: med grupper av ord")
		return
	}
	if seq.Kind != yaml.SequenceNode {
		errs.Addf(name, seq.Line, "synonymer: förväntade en lista av grupper, fick %s", kindName(seq))
		return
	}
	seen := map[string]int{} // folded term → line of its group
	for _, g := range seq.Content {
		if g.Kind == yaml.MappingNode {
			gf := newFields(name, g, errs)
			gf.checkUnknown([]string{"ord"}, "en grupp")
			words, ok := gf.get("ord")
			if !ok || isNull(words) {
				errs.Addf(name, g.Line, "gruppen saknar ord: skriv ord: och sedan ett ord per rad")
				continue
			}
			words.Line = g.Line
			g = words
		}
		if g.Kind != yaml.SequenceNode {
			errs.Addf(name, g.Line, "en grupp skrivs som \"- ord:\" med ett ord per rad under (      - SIB), fick %s", kindName(g))
			continue
		}
		group := SynonymGroup{Line: g.Line}
		inGroup := map[string]bool{}
		for _, t := range g.Content {
			term := strings.TrimSpace(t.Value)
			switch {
			case t.Kind != yaml.ScalarNode || t.Tag == "!!null":
				errs.Addf(name, t.Line, "ett ord i gruppen ska vara text, fick %s", kindName(t))
				continue
			case term == "":
				errs.Addf(name, t.Line, "tomt ord i gruppen")
				continue
			}
			k := foldKey(term)
			if inGroup[k] {
				errs.Addf(name, t.Line, "%q står två gånger i samma grupp", term)
				continue
			}
			if line, dup := seen[k]; dup {
				errs.Addf(name, t.Line, "%q finns redan i gruppen på rad %d; ett ord kan bara höra till en grupp (slå ihop grupperna)", term, line)
				continue
			}
			inGroup[k] = true
			seen[k] = g.Line
			group.Terms = append(group.Terms, term)
		}
		if len(g.Content) < 2 {
			errs.Addf(name, g.Line, "en grupp behöver minst två ord som betyder samma sak")
			continue
		}
		s.Synonyms = append(s.Synonyms, group)
	}
}
