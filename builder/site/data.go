package site

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/opendata"
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
// files as jobs, the Page of /data/, and how long they took.
type openData struct {
	jobs []*job
	page *Page
	err  error
	took time.Duration
}

// makeOpenData makes the open data of s (dataJobs).
func makeOpenData(s *content.Site) *openData {
	start := time.Now()
	jobs, p, err := dataJobs(s, strings.TrimSuffix(s.Config.BaseURL, "/"))
	return &openData{jobs: jobs, page: p, err: err, took: time.Since(start)}
}

// dataJobs returns the open data files (opendata.Files) as jobs, and the
// Page of /data/ that lists them.
func dataJobs(s *content.Site, baseURL string) ([]*job, *Page, error) {
	o := opendata.Options{BaseURL: baseURL}
	if dir, err := os.UserCacheDir(); err == nil {
		o.CacheDir = filepath.Join(dir, "exempelbanken", "data")
	}
	files, err := opendata.Files(s, o)
	if err != nil {
		return nil, nil, err
	}
	cfg := s.Config
	dp := &DataPage{License: cfg.DataLicense, LicenseURL: cfg.DataLicenseURL, Publisher: cfg.Publisher,
		Cases: len(s.Cases), Terms: len(s.Terms), Sources: len(s.Sources)}
	if dp.Publisher == "" {
		dp.Publisher = cfg.Title
	}
	var jobs []*job
	for _, f := range files {
		jobs = append(jobs, &job{path: f.Path(), data: f.Data})
		dp.Files = append(dp.Files, DataFile{Name: f.Name, URL: "/" + f.Path(), Title: f.Title, Format: f.Format,
			Size: sv.FormatBytes(int64(len(f.Data))), Description: f.Description})
		dp.Catalog = dp.Catalog || f.Name == "dcat.rdf"
	}
	for _, c := range opendata.Columns {
		dp.Columns = append(dp.Columns, DataColumn{c.Key, c.Header, c.Help})
	}
	p := &Page{Title: "Öppna data", Description: "Alla exempel, begrepp och källor som JSON, CSV och Excel, med licens, fältbeskrivningar och en katalog för dataportal.se.",
		Data: dp}
	return jobs, p, nil
}
