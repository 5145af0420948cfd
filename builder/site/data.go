package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/opendata"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/sv"
)

// DataPage is what /data/ shows: the open data's files, their licence and
// the columns of the tables.
type DataPage struct {
	Files                 []DataFile
	Columns               []DataColumn
	License, LicenseURL   string
	Publisher             string
	Cases, Terms, Sources int
	Catalog               bool // dcat.rdf is published (a baseURL is set)
}

// DataFile is one file of /data/.
type DataFile struct {
	Name, URL, Title, Format, Size, Description string
}

// DataColumn is one column of exempel.csv and exempel.xlsx.
type DataColumn struct {
	Key, Header, Help string
}

// openData is the open data of a build, made beside the markdown: its
// files as jobs, the Page of /data/, and how long they took. A preview
// build (Builder.Build with an output.LaterWriter) leaves the files and
// their page to be made from the site when first read (writeLater): the
// open data has no document's body, the only thing of a built site that
// changes after its build (Builder.Patch).
type openData struct {
	jobs []*job
	page *Page
	err  error
	took time.Duration
	// later: the site and options to make the files from when read.
	later *content.Site
	opts  opendata.Options
}

// openDataMade counts the builds that made the open data (for the tests).
var openDataMade atomic.Int64

// makeOpenData makes the open data of s (dataJobs), or with later only
// the page of /data/ without its files. A one-off build with a cache
// folder takes the files from ds (nil: none) when they are made from the
// same content (dataKey), and leaves them there.
func makeOpenData(s *content.Site, later bool, ds *fileSet) *openData {
	start := time.Now()
	o := dataOptions(s)
	if later {
		return &openData{page: dataPage(s), later: s, opts: o, took: time.Since(start)}
	}
	makeFiles := func() ([]*opendata.File, error) {
		openDataMade.Add(1)
		return opendata.Files(s, o)
	}
	var key uint64
	if ds != nil {
		key = dataKey(s, o)
		if kept := ds.get(key); kept != nil {
			remake := sync.OnceValues(func() (map[string][]byte, error) {
				files, err := makeFiles()
				m := map[string][]byte{}
				for _, f := range files {
					m[f.Path()] = f.Data
				}
				return m, err
			})
			p := dataPage(s)
			var jobs []*job
			for _, f := range kept {
				if len(f.meta) != 5 {
					return &openData{err: fmt.Errorf("%s: skadat register", ds.index), took: time.Since(start)}
				}
				jobs = append(jobs, ds.keptJob(f, remake))
				listFile(p.Data, &opendata.File{Name: f.meta[0], Title: f.meta[1], MediaType: f.meta[2], Format: f.meta[3], Description: f.meta[4]}, f.size)
			}
			return &openData{jobs: jobs, page: p, took: time.Since(start)}
		}
	}
	files, err := makeFiles()
	if err != nil {
		return &openData{err: err, took: time.Since(start)}
	}
	if ds != nil {
		entries := make([]setEntry, len(files))
		for i, f := range files {
			entries[i] = setEntry{path: f.Path(), meta: []string{f.Name, f.Title, f.MediaType, f.Format, f.Description}, data: f.Data}
		}
		ds.put(key, entries)
	}
	jobs, p := dataJobs(s, files)
	return &openData{jobs: jobs, page: p, took: time.Since(start)}
}

// dataOptions are the open data's options for s.
func dataOptions(s *content.Site) opendata.Options {
	o := opendata.Options{BaseURL: strings.TrimSuffix(s.Config.BaseURL, "/")}
	if dir, err := os.UserCacheDir(); err == nil {
		o.CacheDir = filepath.Join(dir, "exempelbanken", "data")
	}
	return o
}

// dataPage returns the Page of /data/ without its files.
func dataPage(s *content.Site) *Page {
	cfg := s.Config
	dp := &DataPage{License: cfg.DataLicense, LicenseURL: cfg.DataLicenseURL, Publisher: cfg.Publisher,
		Cases: len(s.Cases), Terms: len(s.Terms), Sources: len(s.Sources)}
	if dp.Publisher == "" {
		dp.Publisher = cfg.Title
	}
	for _, c := range opendata.Columns {
		dp.Columns = append(dp.Columns, DataColumn{c.Key, c.Header, c.Help})
	}
	return &Page{Title: "Öppna data", Description: "Alla exempel, begrepp och källor som JSON, CSV och Excel, med licens, fältbeskrivningar och en katalog för dataportal.se.",
		Data: dp}
}

// dataJobs returns the open data files as jobs, and the Page of /data/
// that lists them.
func dataJobs(s *content.Site, files []*opendata.File) ([]*job, *Page) {
	p := dataPage(s)
	var jobs []*job
	for _, f := range files {
		jobs = append(jobs, &job{path: f.Path(), data: f.Data})
	}
	listFiles(p.Data, files)
	return jobs, p
}

// listFiles adds the files to the page of /data/.
func listFiles(dp *DataPage, files []*opendata.File) {
	for _, f := range files {
		listFile(dp, f, len(f.Data))
	}
}

// listFile adds the file f, of size bytes, to the page of /data/.
func listFile(dp *DataPage, f *opendata.File, size int) {
	dp.Files = append(dp.Files, DataFile{Name: f.Name, URL: "/" + f.Path(), Title: f.Title, Format: f.Format,
		Size: sv.FormatBytes(int64(size)), Description: f.Description})
	dp.Catalog = dp.Catalog || f.Name == "dcat.rdf"
}

// writeLater leaves the open data's files and the page of /data/ (the job
// j; nil when the theme has none) to be made when one of them is first
// read.
func (od *openData) writeLater(w output.LaterWriter, j *job, tpl *templates) error {
	var names []string
	for _, n := range opendata.Names(od.opts) {
		names = append(names, opendata.Dir+n)
	}
	if j != nil {
		names = append(names, j.path)
	}
	s, o := od.later, od.opts
	return w.WriteLater(names, func() (map[string][]byte, error) {
		files, err := opendata.Files(s, o)
		if err != nil {
			return nil, err
		}
		out := map[string][]byte{}
		for _, f := range files {
			out[f.Path()] = f.Data
		}
		if j == nil {
			return out, nil
		}
		dp := *j.page.Data
		listFiles(&dp, files)
		pc := *j.page
		pc.Data = &dp
		html, err := tpl.execute(j.layout, &pc)
		if err != nil {
			return nil, err
		}
		out[j.path] = html
		return out, nil
	})
}
