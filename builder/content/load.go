package content

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/stable"
	"github.com/exempelbanken/portal/builder/sv"
	yaml "go.yaml.in/yaml/v3"
)

// Option configures Load.
type Option func(*options)

type options struct {
	drafts       bool
	cache        *Cache
	overlay      map[string][]byte
	brokenDrafts bool
	changed      *changedSet // nil: look at every file
}

// WithBrokenDraftsLeftOut, with drafts included, leaves out a draft that
// has errors instead of failing: its errors become warnings ("utkastet
// visas inte: …"), so one broken draft does not take down the preview of
// the rest. Errors in documents that are not drafts still fail the load.
func WithBrokenDraftsLeftOut() Option { return func(o *options) { o.brokenDrafts = true } }

// WithDrafts includes documents marked draft: true.
func WithDrafts(on bool) Option { return func(o *options) { o.drafts = on } }

// WithCache reuses parsed documents whose file bytes did not change since
// the previous Load with the same cache (used by the preview server).
func WithCache(c *Cache) Option { return func(o *options) { o.cache = c } }

// WithOnlyChanged tells Load, with a cache, that of the document files
// the cache has read, only those named in changed (slash paths below root,
// as Doc.File, or folders holding them) may differ from when they were
// last read: a file watcher's report since the last Load. The others are
// taken from the cache without a look at the disk, not even a stat(2).
func WithOnlyChanged(changed []string) Option {
	return func(o *options) { o.changed = newChangedSet(changed) }
}

// changedSet is the paths of WithOnlyChanged.
type changedSet struct {
	paths map[string]bool
}

func newChangedSet(paths []string) *changedSet {
	c := &changedSet{paths: make(map[string]bool, len(paths))}
	for _, p := range paths {
		c.paths[strings.TrimSuffix(p, "/")] = true
	}
	return c
}

// has reports whether file, or a folder it is in, is among the paths.
func (c *changedSet) has(file string) bool {
	for p := file; ; {
		if c.paths[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// WithOverlay validates the site as if the document file (a slash path
// below root, as Doc.File: "content/exempel/x.md") held raw instead of
// what is on disk, or did not exist when raw is nil. Nothing is written:
// the web editor's backend uses it to check a save before making it.
func WithOverlay(file string, raw []byte) Option {
	return func(o *options) {
		if o.overlay == nil {
			o.overlay = map[string][]byte{}
		}
		o.overlay[file] = raw
	}
}

func foldKey(s string) string { return sv.FoldLabel(s) }

// Load reads and validates the site below root. On any content error it
// returns a nil *Site and a *diag.List holding every problem, sorted by file.
func Load(root string, opts ...Option) (*Site, error) {
	var o options
	for _, fn := range opts {
		fn(&o)
	}
	errs := &diag.List{}
	s := &Site{Root: root, Drafts: o.drafts, Vocab: map[string]*Vocabulary{}}
	h := fnv.New64a()
	s.Config = readConfig(root, errs, h)
	readGeo(root, s, errs, h)
	readVocab(root, s, errs, h)
	readSynonyms(root, s, errs, h)
	readSources(root, s, errs, h)
	s.DataHash = h.Sum64()

	files := o.cache.list(root, o.changed, errs)
	applyOverlay(files, o.overlay)
	docs := parseAll(root, files, o.cache, o.changed, o.drafts, o.overlay, errs)
	s.resolve(docs, o.cache, errs)
	if errs.Len() > 0 && o.drafts && o.brokenDrafts {
		return loadWithoutBrokenDrafts(root, o, errs)
	}
	if errs.Len() > 0 {
		return nil, errs
	}
	return s, nil
}

// draftLine finds draft: true in a document's front matter, also when the
// YAML around it is too broken to parse.
var draftLine = regexp.MustCompile(`(?m)^draft:[ \t]*(true|True|TRUE|yes|ja)[ \t]*(#.*)?\r?$`)

// loadWithoutBrokenDrafts loads the site again without the drafts that
// have errors, if only drafts have errors; their errors become warnings.
func loadWithoutBrokenDrafts(root string, o options, errs *diag.List) (*Site, error) {
	bad := map[string]bool{}
	for _, e := range errs.Errors() {
		if bad[e.File] {
			continue
		}
		raw, ok := o.overlay[e.File]
		if !ok {
			var err error
			if raw, err = readDoc(root, e.File); err != nil {
				return nil, errs
			}
		}
		if raw == nil || !draftLine.Match(raw) {
			return nil, errs // a published document is broken: that stops the load
		}
		bad[e.File] = true
	}
	o.brokenDrafts = false
	o.overlay = maps.Clone(o.overlay)
	if o.overlay == nil {
		o.overlay = map[string][]byte{}
	}
	for f := range bad {
		o.overlay[f] = nil
	}
	opts := []Option{func(dst *options) { *dst = o }}
	s, err := Load(root, opts...)
	if err != nil {
		return nil, err
	}
	for _, e := range errs.Errors() {
		w := *e
		w.Msg = "utkastet visas inte: " + w.Msg
		s.Warnings = append(s.Warnings, &w)
	}
	return s, nil
}

// readFile reads a site file and, when h is not nil, adds its name and
// bytes to h.
//
// A file over its limit (MaxConfigSize for site.yaml, MaxDataFileSize for
// the others) is an error, and is not read past the limit.
func readFile(root, name string, errs *diag.List, h hash.Hash64) ([]byte, bool) {
	limit := int64(MaxDataFileSize)
	if name == configFile {
		limit = MaxConfigSize
	}
	p := filepath.Join(root, filepath.FromSlash(name))
	if realRoot, err := fsutil.RealRoot(root); err == nil {
		if err := fsutil.Within(realRoot, p); err != nil {
			var out *fsutil.OutsideError
			if errors.As(err, &out) {
				errs.Addf(name, 0, "filen %v", err)
				return nil, false
			}
		}
	}
	b, err := readLimited(p, limit)
	if err != nil {
		var big *tooLargeError
		switch {
		case errors.As(err, &big):
			errs.Addf(name, 0, "filen är för stor (%s byte; högst %s byte)", sv.FormatInt(big.size), sv.FormatInt(limit))
		case errors.Is(err, fs.ErrNotExist):
			errs.Addf(name, 0, "filen saknas")
		default:
			errs.Addf(name, 0, "kan inte läsa filen: %v", unwrapPathErr(err))
		}
		return nil, false
	}
	if h != nil {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(b))
		h.Write(b)
	}
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), true
}

// Limits on the site's own files, far above what real ones use (site.yaml
// is a few hundred bytes, kommuner.csv 15 KB): site.yaml's values are
// repeated on every page, so a slip there multiplies.
const (
	// MaxConfigSize is the largest content/site.yaml.
	MaxConfigSize = 64 << 10
	// MaxDataFileSize is the largest vocabulary or data file.
	MaxDataFileSize = 1 << 20
	// maxSiteTitle and maxSiteDescription bound site.yaml's title and
	// description, in characters.
	maxSiteTitle       = 200
	maxSiteDescription = 1000
)

// configFile is the site's settings.
const configFile = "content/site.yaml"

// tooLargeError is a file over the limit readLimited was given.
type tooLargeError struct{ size int64 }

func (e *tooLargeError) Error() string { return fmt.Sprintf("filen är för stor (%d byte)", e.size) }

// readLimited reads the file at p if it holds at most limit bytes, and
// otherwise returns a *tooLargeError without reading more than limit+1.
func readLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > limit {
		return nil, &tooLargeError{fi.Size()}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &tooLargeError{int64(len(b))}
	}
	return b, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readConfig(root string, errs *diag.List, h hash.Hash64) Config {
	const name = configFile
	c := Config{Language: "sv", RelatedWeights: DefaultRelatedWeights}
	b, ok := readFile(root, name, errs, h)
	if !ok {
		return c
	}
	node, perr := parseYAML(name, b, 0)
	if perr != nil {
		errs.Add(perr)
		return c
	}
	f := newFields(name, node, errs)
	f.checkUnknown([]string{"title", "baseURL", "language", "description", "menu", "related", "status_stale_years", "cms",
		"data_license", "publisher", "publisher_uri", "contact_email"}, "site.yaml")
	c.Title, _ = f.str("title", true)
	c.BaseURL, _ = f.str("baseURL", false)
	if lang, line := f.str("language", false); lang != "" {
		if lang != "sv" {
			errs.Addf(name, line, "language: portalen är på svenska; ange sv (fick %q)", lang)
		}
	}
	c.Description, _ = f.str("description", false)
	for _, t := range []struct {
		key  string
		val  string
		most int
	}{{"title", c.Title, maxSiteTitle}, {"description", c.Description, maxSiteDescription}} {
		if n := utf8.RuneCountInString(t.val); n > t.most {
			errs.Addf(name, f.lineOf(t.key), "%s: för lång (%s tecken; högst %s, eftersom den visas på varje sida)", t.key, sv.FormatInt(int64(n)), sv.FormatInt(int64(t.most)))
		}
	}
	if c.BaseURL != "" {
		u, err := CheckBaseURL(c.BaseURL)
		if err != nil {
			errs.Addf(name, f.lineOf("baseURL"), "baseURL: %q är ingen webbadress: %v", c.BaseURL, err)
		}
		c.BaseURL = u
	}
	if m, ok := f.get("menu"); ok && !isNull(m) {
		c.Menu = readMenu(name, m, errs)
	}
	if r, ok := f.get("related"); ok && !isNull(r) {
		readWeights(name, r, &c.RelatedWeights, errs)
	}
	c.StatusStaleYears = DefaultStatusStaleYears
	if v, ok := f.get("status_stale_years"); ok && !isNull(v) {
		n, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || n < 1 || n > 100 {
			errs.Addf(name, v.Line, "status_stale_years: förväntade ett antal år från 1 till 100, fick %q", v.Value)
		} else {
			c.StatusStaleYears = n
		}
	}
	if v, ok := f.get("cms"); ok && !isNull(v) {
		c.CMS = readCMS(name, v, errs)
	}
	readPublisher(name, f, &c, errs)
	return c
}

// DataLicenses are the licences site.yaml's data_license may name, with
// the address of each licence's text.
var DataLicenses = []struct{ Name, URL string }{
	{"CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"},
	{"CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"},
	{"CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"},
}

// readPublisher reads who publishes the open data (data_license,
// publisher, publisher_uri, contact_email).
func readPublisher(name string, f *fields, c *Config, errs *diag.List) {
	c.DataLicense, c.DataLicenseURL = DataLicenses[0].Name, DataLicenses[0].URL
	if l, line := f.str("data_license", false); l != "" {
		var names []string
		found := false
		for _, d := range DataLicenses {
			names = append(names, d.Name)
			if strings.EqualFold(d.Name, l) {
				c.DataLicense, c.DataLicenseURL, found = d.Name, d.URL, true
			}
		}
		if !found {
			errs.Addf(name, line, "%s", unknownMsg("data_license", "okänd licens", l, names))
		}
	}
	c.Publisher, _ = f.str("publisher", false)
	u, line := f.str("publisher_uri", false)
	if u != "" && !safeURL(u) {
		errs.Addf(name, line, "publisher_uri: %q är ingen webbadress (börja med https://)", u)
		u = ""
	}
	c.PublisherURI = u
	e, line := f.str("contact_email", false)
	if e != "" && !validEmail(e) {
		errs.Addf(name, line, "contact_email: %q är ingen e-postadress (som data@kommun.se)", e)
		e = ""
	}
	c.ContactEmail = e
}

// CMSBackends are the git hosts the web editor can publish through
// (site.yaml cms.backend), as Decap CMS names them.
var CMSBackends = []string{"github", "gitlab", "gitea", "bitbucket", "azure", "git-gateway"}

// readCMS reads site.yaml's cms block: where the web editor publishes.
func readCMS(name string, v *node, errs *diag.List) *CMSConfig {
	if v.Kind != yaml.MappingNode {
		errs.Addf(name, v.Line, "cms: förväntade {backend, repo, branch, …}, fick %s", kindName(v))
		return nil
	}
	f := newFields(name, v, errs)
	f.checkUnknown([]string{"backend", "repo", "branch", "base_url", "api_root", "editorial_workflow"}, "cms")
	c := &CMSConfig{Branch: "main"}
	var line int
	c.Backend, line = f.str("backend", true)
	if c.Backend != "" && !slices.Contains(CMSBackends, c.Backend) {
		errs.Addf(name, line, "%s", unknownMsg("cms.backend", "okänd git-tjänst", c.Backend, CMSBackends))
	}
	c.Repo, line = f.str("repo", c.Backend != "git-gateway")
	if c.Repo != "" && strings.Count(c.Repo, "/") < 1 {
		errs.Addf(name, line, "cms.repo: ange förrådet som ägare/namn (fick %q)", c.Repo)
	}
	if b, _ := f.str("branch", false); b != "" {
		c.Branch = b
	}
	for _, k := range []string{"base_url", "api_root"} {
		u, line := f.str(k, false)
		if u != "" && !safeURL(u) {
			errs.Addf(name, line, "cms.%s: %q är ingen webbadress (börja med https://)", k, u)
			u = ""
		}
		if k == "base_url" {
			c.BaseURL = u
		} else {
			c.APIRoot = u
		}
	}
	c.EditorialWorkflow = f.boolean("editorial_workflow")
	return c
}

func readMenu(name string, m *node, errs *diag.List) []MenuItem {
	if m.Kind != yaml.SequenceNode {
		errs.Addf(name, m.Line, "menu: förväntade en lista av {title, url}, fick %s", kindName(m))
		return nil
	}
	var out []MenuItem
	for _, n := range m.Content {
		if n.Kind != yaml.MappingNode {
			errs.Addf(name, n.Line, "menu: förväntade {title, url}, fick %s", kindName(n))
			continue
		}
		f := newFields(name, n, errs)
		f.checkUnknown([]string{"title", "url"}, "en menypost")
		var it MenuItem
		it.Title, _ = f.str("title", true)
		var line int
		it.URL, line = f.str("url", true)
		if it.URL != "" {
			if err := CheckMenuURL(it.URL); err != nil {
				errs.Addf(name, line, "url: %q duger inte i menyn: %v", it.URL, err)
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// maxWeight is the largest weight related may give a field. It keeps the
// scores finite (.inf and .nan are YAML numbers too) and comparable.
const maxWeight = 1000

func readWeights(name string, n *node, w *RelatedWeights, errs *diag.List) {
	if n.Kind != yaml.MappingNode {
		errs.Addf(name, n.Line, "related: förväntade vikter per fält (investment_model: 3 ...), fick %s", kindName(n))
		return
	}
	f := newFields(name, n, errs)
	targets := map[string]*float64{
		"investment_model": &w.InvestmentModel, "target_group": &w.TargetGroup, "focus_area": &w.FocusArea,
		"municipality": &w.Municipality, "region": &w.Region, "case_type": &w.CaseType,
	}
	keys := make([]string, 0, len(targets))
	for k := range targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	f.checkUnknown(keys, "related")
	for k, p := range targets {
		v, ok := f.get(k)
		if !ok {
			continue
		}
		var x float64
		if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") || v.decode(&x) != nil || x < 0 {
			errs.Addf(name, v.Line, "related.%s: förväntade ett tal ≥ 0, fick %s", k, kindName(v))
			continue
		}
		if math.IsNaN(x) || math.IsInf(x, 0) || x > maxWeight {
			errs.Addf(name, v.Line, "related.%s: förväntade ett tal mellan 0 och %s, fick %s", k, sv.FormatInt(maxWeight), kindName(v))
			continue
		}
		*p = x
	}
}

func readCSV(root, name string, want []string, errs *diag.List, h hash.Hash64) [][]string {
	b, ok := readFile(root, name, errs, h)
	if !ok {
		return nil
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = len(want)
	recs, err := r.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs.Addf(name, pe.Line, "ogiltig CSV: %v", pe.Err)
		} else {
			errs.Addf(name, 0, "ogiltig CSV: %v", err)
		}
		return nil
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(want, ",") {
		errs.Addf(name, 1, "rubrikraden ska vara %s", strings.Join(want, ","))
		return nil
	}
	return recs[1:]
}

func readGeo(root string, s *Site, errs *diag.List, h hash.Hash64) {
	s.lanFold = map[string]*Lan{}
	s.kommunFold = map[string]*Kommun{}
	byCode := map[string]*Lan{}
	for i, r := range readCSV(root, "content/data/lan.csv", []string{"lanskod", "lan", "lansbokstav", "residensstad"}, errs, h) {
		l := &Lan{Code: r[0], Name: r[1], Slug: sv.Slugify(r[1]), Letter: r[2], Seat: r[3]}
		if _, dup := byCode[l.Code]; dup {
			errs.Addf("content/data/lan.csv", i+2, "länskoden %s förekommer två gånger", l.Code)
			continue
		}
		byCode[l.Code] = l
		s.Lan = append(s.Lan, l)
		s.lanFold[foldKey(l.Name)] = l
	}
	for i, r := range readCSV(root, "content/data/kommuner.csv", []string{"kommunkod", "kommun", "lan", "lanskod", "lat", "lon"}, errs, h) {
		l := byCode[r[3]]
		if l == nil {
			errs.Addf("content/data/kommuner.csv", i+2, "okänd länskod %s för %s", r[3], r[1])
			continue
		}
		k := &Kommun{Code: r[0], Name: r[1], Slug: sv.Slugify(r[1]), Lan: l, Lat: r[4], Lon: r[5]}
		if _, dup := s.kommunFold[foldKey(k.Name)]; dup {
			errs.Addf("content/data/kommuner.csv", i+2, "kommunen %s förekommer två gånger", k.Name)
			continue
		}
		s.kommunFold[foldKey(k.Name)] = k
		s.Kommuner = append(s.Kommuner, k)
		l.Kommuner = append(l.Kommuner, k)
	}
	lanName := func(l *Lan) string { return l.Name }
	kommunName := func(k *Kommun) string { return k.Name }
	sv.SortStable(s.Lan, lanName, lanName)
	sv.SortStable(s.Kommuner, kommunName, kommunName)
	for _, l := range s.Lan {
		sv.SortStable(l.Kommuner, kommunName, kommunName)
	}
}

// readYAMLFile reads and parses a YAML site file (readFile) into fields;
// ok is false when it could not, with the errors added to errs.
func readYAMLFile(root, name string, errs *diag.List, h hash.Hash64) (*fields, bool) {
	b, ok := readFile(root, name, errs, h)
	if !ok {
		return nil, false
	}
	node, perr := parseYAML(name, b, 0)
	if perr != nil {
		errs.Add(perr)
		return nil, false
	}
	return newFields(name, node, errs), true
}

// readSources reads the source register, content/kallor.yaml: under
// "kallor", a list of {id, title, publisher, date, kind, url?}. A site
// without one has no sources (and every citation is an unknown id).
func readSources(root string, s *Site, errs *diag.List, h hash.Hash64) {
	const name = "content/kallor.yaml"
	s.sourceByID = map[string]*SourceDoc{}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(name))); errors.Is(err, fs.ErrNotExist) {
		return
	}
	top, ok := readYAMLFile(root, name, errs, h)
	if !ok {
		return
	}
	top.checkUnknown([]string{"kallor"}, "kallor.yaml")
	seq, ok := top.get("kallor")
	if !ok || isNull(seq) {
		return
	}
	if seq.Kind != yaml.SequenceNode {
		errs.Addf(name, seq.Line, "kallor: förväntade en lista av källor {id, title, publisher, date, kind}, fick %s", kindName(seq))
		return
	}
	for _, n := range seq.Content {
		if n.Kind != yaml.MappingNode {
			errs.Addf(name, n.Line, "förväntade en källa {id, title, publisher, date, kind}, fick %s", kindName(n))
			continue
		}
		f := newFields(name, n, errs)
		f.checkUnknown([]string{"id", "title", "publisher", "date", "accessed", "kind", "url"}, "en källa i kallor.yaml")
		d := &SourceDoc{Line: n.Line}
		var idLine int
		d.ID, idLine = f.str("id", true)
		d.Title, _ = f.str("title", true)
		d.Publisher, _ = f.str("publisher", true)
		kind, kindLine := f.str("kind", true)
		if kind != "" {
			if slices.Contains(SourceKinds, kind) {
				d.Kind = kind
			} else {
				errs.Addf(name, kindLine, "%s", unknownMsg("kind", "okänd sorts källa", kind, SourceKinds))
			}
		}
		d.Date = f.partialDate("date")
		d.Accessed = f.partialDate("accessed")
		if !d.Accessed.IsZero() && (d.Accessed.Day == 0 || d.Accessed.After(today())) {
			errs.Addf(name, f.lineOf("accessed"), "accessed: %s; ange dagen du läste sidan, till exempel %s", d.Accessed, time.Now().Format("2006-01-02"))
		}
		if !f.present("date") && !f.present("accessed") {
			errs.Addf(name, n.Line, "obligatoriskt fält \"date\" saknas; skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03), eller för en webbsida utan datum accessed: dagen du läste den")
		}
		if u, line := f.str("url", false); u != "" {
			if !safeURL(u) {
				errs.Addf(name, line, "url: %q är ingen webbadress (börja med https://)", u)
			} else {
				d.URL = u
			}
		}
		if d.ID == "" {
			continue
		}
		if sv.Slugify(d.ID) != d.ID {
			errs.Addf(name, idLine, "id: %q ska vara en slug med små bokstäver, siffror och bindestreck (till exempel %q)", d.ID, sv.Slugify(d.ID))
			continue
		}
		if prev, dup := s.sourceByID[d.ID]; dup {
			errs.Addf(name, idLine, "id: %q används redan på rad %d", d.ID, prev.Line)
			continue
		}
		s.sourceByID[d.ID] = d
		s.Sources = append(s.Sources, d)
	}
}

func readVocab(root string, s *Site, errs *diag.List, h hash.Hash64) {
	const name = "content/vokabular.yaml"
	f, ok := readYAMLFile(root, name, errs, h)
	if !ok {
		return
	}
	f.checkUnknown(VocabNames, "vokabular.yaml")
	for _, vn := range VocabNames {
		v := &Vocabulary{Name: vn, byFold: map[string]*Value{}}
		s.Vocab[vn] = v
		seq, ok := f.get(vn)
		if !ok || isNull(seq) {
			continue
		}
		if seq.Kind != yaml.SequenceNode {
			errs.Addf(name, seq.Line, "%s: förväntade en lista av {label, slug, description}, fick %s", vn, kindName(seq))
			continue
		}
		slugs := map[string]int{}
		for _, n := range seq.Content {
			var val Value
			val.Vocab, val.Line = vn, n.Line
			switch n.Kind {
			case yaml.ScalarNode:
				if n.Tag != "!!str" {
					errs.Addf(name, n.Line, "%s: förväntade en etikett, fick %s", vn, kindName(n))
					continue
				}
				val.Label = strings.TrimSpace(n.Value)
			case yaml.MappingNode:
				vf := newFields(name, n, errs)
				vf.checkUnknown([]string{"label", "slug", "description"}, vn)
				val.Label, _ = vf.str("label", true)
				val.Slug, _ = vf.str("slug", false)
				val.Description, _ = vf.str("description", false)
			default:
				errs.Addf(name, n.Line, "%s: förväntade {label, slug, description}, fick %s", vn, kindName(n))
				continue
			}
			if val.Label == "" {
				continue
			}
			if val.Slug == "" {
				val.Slug = sv.Slugify(val.Label)
			} else if sv.Slugify(val.Slug) != val.Slug {
				errs.Addf(name, n.Line, "%s: slug %q får bara innehålla a–z, 0–9 och bindestreck (till exempel %q)", vn, val.Slug, sv.Slugify(val.Slug))
				continue
			}
			if prev, dup := slugs[val.Slug]; dup {
				errs.Addf(name, n.Line, "%s: %q ger samma slug %q som värdet på rad %d", vn, val.Label, val.Slug, prev)
				continue
			}
			slugs[val.Slug] = n.Line
			p := &val
			v.Values = append(v.Values, p)
			v.byFold[foldKey(val.Label)] = p
			if _, taken := v.byFold[val.Slug]; !taken {
				v.byFold[val.Slug] = p
			}
		}
	}
	if len(s.Vocab["target_group"].Values) == 0 {
		errs.Addf(name, 0, "vokabulären target_group saknas eller är tom")
	}
}

// listDocs finds the markdown files of the three sections, reporting
// sub-folders, symlinked folders and unreadable entries.
//
// A file, or section folder, that is a symbolic link is listed only if
// its real path is inside the site root; a file name with a control
// character is an error.
func listDocs(root string, errs *diag.List) map[Section][]string {
	out := map[Section][]string{}
	realRoot, rootErr := fsutil.RealRoot(root)
	for _, sec := range []Section{SectionCase, SectionTerm, SectionPage} {
		dir := path.Join("content", sec.Dir())
		full := filepath.Join(root, filepath.FromSlash(dir))
		entries, err := os.ReadDir(full)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) || sec == SectionCase {
				errs.Addf(dir, 0, "kan inte läsa mappen: %v", unwrapPathErr(err))
			}
			continue
		}
		if rootErr == nil {
			if err := fsutil.Within(realRoot, full); err != nil {
				errs.Addf(dir, 0, "mappen %v; flytta innehållet in i webbplatsen", err)
				continue
			}
		}
		for _, e := range entries {
			name := e.Name()
			if bad := controlChar(name); bad >= 0 {
				errs.Addf(dir, 0, "filnamnet %q innehåller ett styrtecken (%U); byt namn på filen", name, bad)
				continue
			}
			p := path.Join(dir, name)
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") {
				continue // hidden and editor temp files
			}
			typ := e.Type()
			if typ&fs.ModeSymlink != 0 {
				fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(p)))
				if err != nil {
					errs.Addf(p, 0, "trasig eller cirkulär symbolisk länk: %v", unwrapPathErr(err))
					continue
				}
				if rootErr == nil {
					if err := fsutil.Within(realRoot, filepath.Join(root, filepath.FromSlash(p))); err != nil {
						errs.Addf(p, 0, "den symboliska länken %v; bara filer i webbplatsen publiceras", err)
						continue
					}
				}
				if fi.IsDir() {
					errs.Addf(p, 0, "symboliska länkar till mappar följs inte; flytta filerna till %s/", dir)
					continue
				}
				typ = fi.Mode().Type()
			}
			if typ.IsDir() {
				// A page bundle: the folder's index.md is the document,
				// the other files beside it are its images and attachments.
				idx := path.Join(p, "index.md")
				if fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(idx))); err == nil && fi.Mode().IsRegular() {
					out[sec] = append(out[sec], idx)
					continue
				}
				errs.Addf(p, 0, "en mapp i %s/ ska innehålla index.md (exemplet, med bilder och bilagor bredvid); annars lägg .md-filerna direkt i %s/", dir, dir)
				continue
			}
			if !strings.EqualFold(path.Ext(name), ".md") {
				continue
			}
			if !typ.IsRegular() {
				errs.Addf(p, 0, "ingen vanlig fil")
				continue
			}
			out[sec] = append(out[sec], p)
		}
	}
	return out
}

// applyOverlay adds the overlay's new files to their sections and drops
// the ones it deletes (nil bytes).
func applyOverlay(files map[Section][]string, overlay map[string][]byte) {
	for file, raw := range overlay {
		for _, sec := range []Section{SectionCase, SectionTerm, SectionPage} {
			if path.Dir(file) != path.Join("content", sec.Dir()) {
				continue
			}
			i := slices.Index(files[sec], file)
			switch {
			case raw == nil && i >= 0:
				files[sec] = slices.Delete(files[sec], i, i+1)
			case raw != nil && i < 0:
				files[sec] = append(files[sec], file)
				slices.Sort(files[sec])
			}
		}
	}
}

// IsBundle reports whether a document file is the index.md of a page
// bundle (content/exempel/<slug>/index.md), whose folder also holds its
// images and attachments.
func IsBundle(file string) bool {
	return path.Base(file) == "index.md" && strings.Count(file, "/") == 3
}

// BundleDir returns the folder of a bundle's files (content/exempel/<slug>),
// or "" for a document that is a single file.
func (d *Doc) BundleDir() string {
	if IsBundle(d.File) {
		return path.Dir(d.File)
	}
	return ""
}

// controlChar returns the first control character (C0, DEL or C1) in
// name, or -1. Such names break error messages, URLs and the preview's
// event stream, and are never meant.
func controlChar(name string) rune {
	for _, r := range name {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return r
		}
	}
	return -1
}

// parsed is one file after parsing, before cross-references are resolved.
type parsed struct {
	sec   Section
	file  string
	doc   any         // *Case, *Term or *Page
	fm    frontMatter // when doc is not nil
	errs  *diag.List
	hash  uint64
	draft string // slug of a draft that was skipped (drafts not included)
	// parsedNow reports that the file was parsed, not taken from the
	// cache.
	parsedNow bool
	// slot is where a case taken from the cache is copied (fromCache):
	// an element of one array for the load's cases, which the collector
	// visits as one object instead of one per case. nil (the cache was
	// empty when the load began): a clone of its own.
	slot *Case
}

// parseAll parses every file in parallel; results are in a stable order.
func parseAll(root string, files map[Section][]string, cache *Cache, changed *changedSet, drafts bool, overlay map[string][]byte, errs *diag.List) []*parsed {
	n := 0
	for _, sec := range []Section{SectionCase, SectionTerm, SectionPage} {
		n += len(files[sec])
	}
	all := make([]parsed, 0, n) // one allocation for every document's
	jobs := make([]*parsed, 0, n)
	// A slot for each case, for its copy from the cache (parsed.slot);
	// none when the cache is empty, as for a build with nothing saved,
	// which parses every file.
	var slots []Case
	if !cache.empty() {
		slots = make([]Case, len(files[SectionCase]))
	}
	for _, sec := range []Section{SectionCase, SectionTerm, SectionPage} {
		for i, f := range files[sec] {
			all = append(all, parsed{sec: sec, file: f})
			if sec == SectionCase && slots != nil {
				all[len(all)-1].slot = &slots[i]
			}
			jobs = append(jobs, &all[len(all)-1])
		}
	}
	var wg sync.WaitGroup
	var next atomic.Int64 // index of the next job to take
	// More readers than cores: a reader waiting for the disk (files the
	// page cache has dropped) leaves its core to another.
	for w := 0; w < 4*runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				if raw, ok := overlay[jobs[i].file]; ok {
					jobs[i].errs = &diag.List{}
					parseRaw(jobs[i], raw, fileStamp{}, cache, drafts)
					continue
				}
				parseOne(root, jobs[i], cache, changed, drafts)
			}
		}()
	}
	wg.Wait()
	// The cases parsed now, if many, go into one array in the cache.
	var parsedNow []string
	for _, p := range jobs {
		if p.parsedNow && p.sec == SectionCase {
			parsedNow = append(parsedNow, p.file)
		}
	}
	if len(parsedNow) >= compactFrom {
		cache.compactCases(parsedNow)
	}
	out := jobs[:0]
	for _, p := range jobs {
		errs.Merge(p.errs)
		if p.doc != nil || p.draft != "" {
			out = append(out, p)
		}
	}
	return out
}

// compactFrom is how many cases a load must parse, not take from the
// cache, for the cache to keep them in one array (Cache.compactCases).
const compactFrom = 256

// hashBytes hashes the bytes of a document file (Doc.Hash), the same way
// in every process: page keys that include it are kept between builds.
// CRCs in hardware are several times faster than FNV on whole files.
func hashBytes(b []byte) uint64 { return stable.Sum64(b) }

// metaHash hashes front matter together with its position.
func metaHash(fm []byte, fmLine, bodyLine int) uint64 {
	var h stable.Digest
	var buf [48]byte
	b := strconv.AppendInt(buf[:0], int64(fmLine), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(bodyLine), 10)
	b = append(b, ':')
	h.Write(b)
	h.Write(fm)
	return h.Sum64()
}

// BodyFile is a document file read again for a body-only update.
type BodyFile struct {
	Hash     uint64 // as Doc.Hash
	MetaHash uint64 // as Doc.MetaHash
	Body     []byte
	BodyLine int
}

// ReadBody reads the document file (a slash path below root, as Doc.File)
// and splits off its body, so a caller holding the earlier Doc can tell,
// by MetaHash, whether only the body changed. Errors are positioned
// (*diag.Error) or I/O errors; either way the caller should do a full Load,
// which reports them in context.
func ReadBody(root, file string) (*BodyFile, error) {
	raw, err := readDoc(root, file)
	if err != nil {
		return nil, err
	}
	fm, fmLine, body, bodyLine, err := splitFile(file, raw)
	if err != nil {
		return nil, err
	}
	return &BodyFile{Hash: hashBytes(raw), MetaHash: metaHash(fm, fmLine, bodyLine), Body: body, BodyLine: bodyLine}, nil
}

// readDoc reads a document file, refusing one over MaxFileSize before
// reading it. Errors are positioned.
func readDoc(root, file string) ([]byte, error) {
	raw, _, err := readDocStamped(root, file)
	return raw, err
}

// readDocStamped is readDoc that also returns the file's stamp (zero when
// unknown).
func readDocStamped(root, file string) ([]byte, fileStamp, error) {
	docReads.Add(1)
	full := filepath.Join(root, filepath.FromSlash(file))
	if raw, st, ok := readSmallFileStamped(full); ok {
		return raw, st, nil
	}
	// Anything unusual (an error, a file too large) is reported the way it
	// always was: size first, then the read error.
	fi, err := os.Stat(full)
	if err == nil && fi.Size() > MaxFileSize {
		return nil, fileStamp{}, diag.Errorf(file, 0, "filen är för stor (%s byte; högst %s byte)", sv.FormatInt(fi.Size()), sv.FormatInt(MaxFileSize))
	}
	raw, err := os.ReadFile(full)
	if err != nil {
		return nil, fileStamp{}, diag.Errorf(file, 0, "kan inte läsa filen: %v", unwrapPathErr(err))
	}
	return raw, fileStamp{}, nil
}

// docReads counts the document files read (for the tests).
var docReads atomic.Int64

// listReads counts the listings of the document folders (for the tests).
var listReads atomic.Int64

// parseOne reads and parses one document file into p: from the cache,
// without reading it, when its stamp is the settled one it was read with,
// or without a look at it when changed does not name it.
func parseOne(root string, p *parsed, cache *Cache, changed *changedSet, drafts bool) {
	p.errs = &diag.List{}
	if changed != nil && !changed.has(p.file) {
		if c, ok := cache.getAny(p.file, drafts); ok {
			p.hash = c.hash
			p.fromCache(&c)
			return
		}
	}
	if cache != nil {
		if st, ok := stampFile(filepath.Join(root, filepath.FromSlash(p.file))); ok {
			if c, ok := cache.getStamped(p.file, st, drafts); ok {
				p.hash = c.hash
				p.fromCache(&c)
				return
			}
		}
	}
	raw, st, err := readDocStamped(root, p.file)
	if err != nil {
		p.errs.AddErr(p.file, err)
		return
	}
	parseRaw(p, raw, st, cache, drafts)
}

// fromCache fills p from a cache entry.
func (p *parsed) fromCache(c *cacheEntry) {
	p.errs.Merge(c.errs)
	p.draft = c.draft
	if c.doc != nil {
		if cs, ok := c.doc.(*Case); ok && p.slot != nil {
			*p.slot = *cs // as cloneDoc, into the load's array
			p.doc, p.fm = p.slot, c.fm
		} else {
			p.doc, p.fm = cloneDoc(c.doc), c.fm
		}
		if f := c.fm.f; f != nil {
			f := *f // its errs are set by each load
			p.fm.f = &f
		}
	}
}

// parseRaw parses the bytes of one document file into p.
// st is the file's stamp when it was read (zero: none).
func parseRaw(p *parsed, raw []byte, st fileStamp, cache *Cache, drafts bool) {
	p.hash = hashBytes(raw)
	if c, ok := cache.get(p.file, p.hash, drafts); ok {
		p.fromCache(&c)
		if c.stamp != st {
			cache.restamp(p.file, p.hash, st)
		}
		return
	}
	fm, fmLine, body, bodyLine, derr := splitFile(p.file, raw)
	if derr != nil {
		p.errs.AddErr(p.file, derr)
		return
	}
	f := parseFrontMatter(p.file, fm, fmLine, p.errs)
	if f == nil {
		return
	}
	p.fm = newFrontMatter(p.file, fm, fmLine, f)
	doc := Doc{Section: p.sec, File: p.file, Body: body, BodyLine: bodyLine, Hash: p.hash,
		MetaHash: metaHash(fm, fmLine, bodyLine)}
	base := strings.TrimSuffix(path.Base(p.file), path.Ext(p.file))
	if IsBundle(p.file) {
		base = path.Base(path.Dir(p.file)) // content/exempel/<slug>/index.md
	}
	doc.Slug = sv.Slugify(base)
	doc.setURL()
	if doc.Slug == "" {
		p.errs.Addf(p.file, 0, "filnamnet %q ger ingen slug; använd bokstäver a–ö och siffror", path.Base(p.file))
	}
	doc.Draft = f.boolean("draft")
	if doc.Draft && !drafts {
		// Drafts are left out unread, as in Hugo: a half-written draft
		// never stops a build. `portal serve -drafts` validates them.
		p.draft = doc.Slug
		cache.put(p.file, p.hash, st, drafts, nil, nil, p.errs, p.draft)
		return
	}
	doc.Title, _ = f.str("title", true)
	doc.titleKey = sv.NewKey(doc.Title) // kept with the document, not by sv
	doc.Updated = f.date("updated", false)
	switch p.sec {
	case SectionCase:
		p.doc = parseCase(doc, f)
	case SectionTerm:
		p.doc = parseTerm(doc, f)
	default:
		f.checkUnknown(pageKeys, "en sida")
		doc.Summary, _ = f.str("summary", false)
		p.doc = &Page{Doc: doc}
	}
	cache.put(p.file, p.hash, st, drafts, p.doc, &p.fm, p.errs, "")
	p.parsedNow = true
}

var caseKeys = []string{"title", "summary", "municipality", "region", "country", "place",
	"target_group", "investment_model", "focus_area", "case_type", "status", "status_as_of", "start", "end",
	"budget_sek", "owner", "initiator", "organisation", "partners", "related", "sources", "date", "updated", "draft",
	"evaluation", "results", "lessons", "cost_sek", "repaid_sek", "contact", "reviewed", "former_slugs"}

// modelKeys are the comparison fields only an investment model may have.
var modelKeys = []string{"financier", "repayment", "risk", "horizon", "typical_use", "suited_when"}

var termKeys = append([]string{"title", "summary", "aliases", "kind", "related", "sources", "draft", "updated"}, modelKeys...)

var pageKeys = []string{"title", "summary", "draft", "updated"}

// RetiredKeys are keys the contract no longer takes but still names in
// an error that says what replaced them.
var RetiredKeys = []string{"organisation"}

// Keys returns the front-matter keys a document of the section may have,
// in the order the contract lists them (RetiredKeys included): the web
// editor's configuration is checked against it.
func Keys(sec Section) []string {
	switch sec {
	case SectionCase:
		return slices.Clone(caseKeys)
	case SectionTerm:
		return slices.Clone(termKeys)
	}
	return slices.Clone(pageKeys)
}

// parseCase reads the fields that need no other document; references are
// resolved later by Site.resolve.
func parseCase(doc Doc, f *fields) *Case {
	f.checkUnknown(caseKeys, "ett exempel")
	c := &Case{Doc: doc}
	c.Summary, _ = f.str("summary", true)
	c.Date = f.date("date", true)
	c.Sources = f.sources("sources")
	c.Country, _ = f.str("country", false)
	c.Place, _ = f.str("place", false)
	c.StatusAsOf = f.partialDate("status_as_of")
	if c.StatusAsOf.After(today()) {
		f.errs.Addf(f.file, f.lineOf("status_as_of"), "status_as_of: %s ligger i framtiden; ange när statusen gällde enligt källan", c.StatusAsOf)
	}
	if st, line := f.str("status", true); st != "" {
		c.Status = Status(strings.ToLower(st))
		valid := false
		names := make([]string, len(Statuses))
		for i, s := range Statuses {
			names[i] = string(s)
			valid = valid || c.Status == s
		}
		if !valid {
			msg := fmt.Sprintf("status: okänt värde %q; tillåtna: %s", st, strings.Join(names, ", "))
			if s := sv.Suggest(st, names); s != "" {
				msg = fmt.Sprintf("status: okänt värde %q (menade du %q?)", st, s)
			}
			f.errs.Addf(f.file, line, "%s", msg)
		}
	}
	c.Start = f.year("start")
	c.End = f.year("end")
	if c.Start > 0 && c.End > 0 && c.End < c.Start {
		f.errs.Addf(f.file, f.lineOf("end"), "end (%d) ligger före start (%d)", c.End, c.Start)
	}
	c.Budget, c.HasBudget = f.integer("budget_sek")
	parseEvidence(c, f)
	if v, ok := f.get("organisation"); ok {
		f.errs.Addf(f.file, v.Line, "organisation heter nu owner (huvudman, den som driver arbetet) eller initiator (initiativtagare, när källan skiljer dem åt)")
	}
	c.Owner, _ = f.str("owner", false)
	c.Initiator, _ = f.str("initiator", false)
	for _, it := range f.list("partners", false) {
		c.Partners = append(c.Partners, it.Value)
	}
	return c
}

// parseEvidence reads what is known of a case's results: evaluation,
// results, lessons, cost_sek and repaid_sek, contact and reviewed.
func parseEvidence(c *Case, f *fields) {
	if ev, line := f.str("evaluation", false); ev != "" {
		if slices.Contains(Evaluations, ev) {
			c.Evaluation = ev
		} else {
			f.errs.Addf(f.file, line, "%s", unknownMsg("evaluation", "okänd sorts utvärdering", ev, Evaluations))
		}
	}
	for _, it := range f.list("results", false) {
		c.Results = append(c.Results, it.Value)
	}
	for _, it := range f.list("lessons", false) {
		c.Lessons = append(c.Lessons, it.Value)
	}
	c.Cost, c.HasCost = f.integer("cost_sek")
	c.Repaid, c.HasRepaid = f.integer("repaid_sek")
	if c.HasCost && c.HasRepaid && c.Repaid > c.Cost {
		f.errs.Addf(f.file, f.lineOf("repaid_sek"), "repaid_sek (%s) är större än cost_sek (%s): mer kan inte ha betalats tillbaka än som beviljades",
			sv.FormatSEK(c.Repaid), sv.FormatSEK(c.Cost))
	}
	c.Reviewed = f.date("reviewed", false)
	if v, ok := f.get("contact"); ok && !isNull(v) {
		if v.Kind != yaml.MappingNode {
			f.errs.Addf(f.file, v.Line, "contact: förväntade {organisation, email eller url}, fick %s", kindName(v))
			return
		}
		cf := newFields(f.file, v, f.errs)
		cf.checkUnknown([]string{"organisation", "email", "url"}, "contact")
		ct := &Contact{}
		ct.Organisation, _ = cf.str("organisation", true)
		var emailLine int
		ct.Email, emailLine = cf.str("email", false)
		if ct.Email != "" && !validEmail(ct.Email) {
			f.errs.Addf(f.file, emailLine, "contact.email: %q är ingen e-postadress", ct.Email)
		}
		if u, line := cf.str("url", false); u != "" {
			if !safeURL(u) {
				f.errs.Addf(f.file, line, "contact.url: %q är ingen webbadress (börja med https://)", u)
			} else {
				ct.URL = u
			}
		}
		if ct.Email == "" && ct.URL == "" {
			f.errs.Addf(f.file, v.Line, "contact: ange email (en funktionsbrevlåda) eller url")
		}
		c.Contact = ct
		c.contactLine = emailLine
	}
}

// validEmail reports whether s looks like an e-mail address: one @, a
// local part, and a domain with a dot, without spaces.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>\"") && !strings.Contains(domain, "@")
}

// PersonalEmail reports whether an address looks like a person's
// (fornamn.efternamn@...), which is personal data that a functional
// mailbox avoids.
func PersonalEmail(s string) bool {
	local, _, _ := strings.Cut(strings.ToLower(s), "@")
	first, last, ok := strings.Cut(local, ".")
	letters := func(w string) bool {
		if len(w) < 2 {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '-' {
				return false
			}
		}
		return true
	}
	return ok && letters(first) && letters(last)
}

func parseTerm(doc Doc, f *fields) *Term {
	f.checkUnknown(termKeys, "ett begrepp")
	t := &Term{Doc: doc}
	t.Summary, _ = f.str("summary", true)
	t.Sources = f.sources("sources")
	for _, it := range f.list("aliases", false) {
		t.Aliases = append(t.Aliases, it.Value)
	}
	kind, line := f.str("kind", true)
	switch TermKind(kind) {
	case KindModel, KindConcept:
		t.Kind = TermKind(kind)
	case "":
	default:
		msg := fmt.Sprintf("kind: okänt värde %q; ange investeringsmodell eller begrepp", kind)
		if s := sv.Suggest(kind, []string{string(KindModel), string(KindConcept)}); s != "" {
			msg = fmt.Sprintf("kind: okänt värde %q (menade du %q?)", kind, s)
		}
		f.errs.Addf(f.file, line, "%s", msg)
	}
	t.Financier, _ = f.str("financier", false)
	t.Repayment, _ = f.str("repayment", false)
	t.Risk, _ = f.str("risk", false)
	t.Horizon, _ = f.str("horizon", false)
	t.TypicalUse, _ = f.str("typical_use", false)
	t.SuitedWhen, _ = f.str("suited_when", false)
	if t.Kind == KindModel && !f.present("suited_when") {
		f.errs.Addf(f.file, f.lineOf("kind"), "en investeringsmodell ska ha suited_when: när modellen passar, som en fortsättning på \"Passar när …\" (visas i jämförelsen på /begrepp/jamfor-modeller/)")
	}
	if t.Kind == KindConcept {
		for _, k := range modelKeys {
			if f.present(k) {
				f.errs.Addf(f.file, f.lineOf(k), "%s gäller bara begrepp av kind: investeringsmodell", k)
			}
		}
	}
	return t
}
