package site

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/pagefind"
)

// render executes the layout of every planned page that the memo does not
// hold unchanged, in parallel, and writes every file of the plan through
// w (the sitemap is one of them), then robots.txt.
func (b *Builder) render(p *sitePlan, tpl *templates, w output.Writer) (*writeResult, error) {
	sd, jobs := p.site, p.jobs
	nav := string(sd.FacetNav)
	errs := &diag.List{}
	var memoPages map[string]memoEntry
	if b.memo != nil {
		memoPages = make(map[string]memoEntry, len(jobs))
	}
	var rendered, spliced atomic.Int64

	// Render on every core and write from one goroutine, so the cores keep
	// rendering while the writer waits for the disk; output depends only
	// on the job. The channel bounds the pages held in memory. When the
	// writer is done with a page as soon as it is written and no memo keeps
	// it, its buffer goes back for the next page.
	reuse := memoPages == nil && output.Streams(w)
	// A page with a new facet overview and nothing else new is left to be
	// spliced when read, where w can (a preview's output.Memory) and the
	// page is not indexed for search: at 10,000 cases a count's change
	// touches 800 lists of 80 kB.
	lw, _ := w.(output.LaterWriter)
	// A page whose key is the one the page store has from the last
	// build is not rendered when w keeps the file as it was (one-off
	// builds with Options.CacheDir).
	ps := b.pageStore
	keeper, _ := w.(output.Keeper)
	if keeper == nil {
		ps = nil
	}
	var keptPages atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	var next atomic.Int64 // renderers take jobs by index, as renderMarkdown does
	pages := 0
	for _, j := range jobs {
		if j.page != nil && !j.later {
			pages++
		}
	}
	type file struct {
		path string
		data []byte
		buf  *bytes.Buffer // pooled, when reuse
		// spliced, when set, is the page to be made when read (data nil).
		spliced *memoEntry
	}
	written := make(chan file, 64)
	// Page buffers go round between the renderers and the writer: no
	// more exist than pages in flight, and (unlike a sync.Pool, which a
	// collection empties) they keep the size the largest pages grew them
	// to for the whole build.
	bufs := make(chan *bytes.Buffer, cap(written)+runtime.GOMAXPROCS(0)+1)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for f := range written {
			var err error
			if e := f.spliced; e != nil {
				path := f.path
				err = lw.WriteLater([]string{path}, func() (map[string][]byte, error) {
					return map[string][]byte{path: e.bytes()}, nil
				})
			} else {
				err = w.Write(f.path, f.data)
			}
			if err != nil {
				mu.Lock()
				errs.Addf(f.path, 0, "skriv: %v", err)
				mu.Unlock()
			}
			if f.buf != nil {
				f.buf.Reset()
				select {
				case bufs <- f.buf:
				default:
				}
			}
		}
	}()
	for i := 0; i < runtime.GOMAXPROCS(0); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) {
					return
				}
				j := jobs[k]
				if j.later {
					continue
				}
				if ps != nil && j.page != nil && ps.keep(j.path, j.key, keeper) {
					keptPages.Add(1)
					continue
				}
				data := j.data
				if st := j.stored; st != nil {
					if keeper != nil && keeper.Keep(j.path, st.size, st.sum, false) {
						continue
					}
					var err error
					if data, err = st.read(); err != nil {
						mu.Lock()
						errs.Addf(j.path, 0, "%v", err)
						mu.Unlock()
						continue
					}
				}
				size := 16 << 10    // a new page's buffer
				var kept *memoEntry // the memo's page, reused
				if j.page != nil && b.memo != nil {
					if e, ok := b.memo.pages[j.path]; ok {
						switch {
						case e.key == j.key:
							kept = &e
						case j.navKey != 0 && e.navKey == j.navKey && e.navAt >= 0 && nav != "":
							// Only the facet overview changed (a count):
							// spliced in, not rendered again.
							e.nav = &nav
							kept = &e
							spliced.Add(1)
						}
						// A page made again is about as long as before:
						// its buffer need not grow (a page listing every
						// case is megabytes long).
						size = max(size, len(e.data)+len(e.data)/8)
					}
				}
				var buf *bytes.Buffer
				entry := memoEntry{key: j.key, navKey: j.navKey, navAt: -1}
				switch {
				case kept != nil:
					entry = *kept
					entry.key = j.key
					switch {
					case entry.nav == nil:
						data = entry.data
					case lw == nil || entry.indexed:
						// Spliced now, and kept so.
						data = entry.bytes()
						entry.data, entry.navLen, entry.nav = data, len(*entry.nav), nil
					}
				case j.page != nil && data == nil:
					if reuse {
						select {
						case buf = <-bufs:
						default:
						}
					}
					if buf == nil {
						buf = bytes.NewBuffer(make([]byte, 0, size))
					}
					t0 := time.Now()
					err := tpl.executeTo(buf, j.layout, j.page)
					rendered.Add(1)
					if layoutTimes != nil {
						layoutTimes.add(j.layout, j.path, time.Since(t0))
					}
					if err != nil {
						mu.Lock()
						errs.AddErr("layouts/"+j.layout+".html", err)
						mu.Unlock()
						continue
					}
					data = buf.Bytes()
					if !reuse {
						buf = nil
					}
					if ps != nil {
						ps.put(j.path, j.key, data)
					}
					entry.data = data
					if memoPages != nil && j.navKey != 0 {
						entry.navAt, entry.navLen = navSpan(data, nav)
						entry.indexed = pagefind.Indexed(data)
					}
				}
				if memoPages != nil && j.page != nil {
					mu.Lock()
					memoPages[j.path] = entry
					mu.Unlock()
				}
				f := file{path: j.path, data: data, buf: buf}
				if data == nil && kept != nil {
					f.spliced = kept
				}
				written <- f
			}
		}()
	}
	wg.Wait()
	close(written)
	<-writerDone
	if errs.Len() > 0 {
		return nil, errs
	}
	if memoPages != nil {
		b.memo.pages = memoPages
	}
	files := len(jobs)
	robots := "User-agent: *\nAllow: /\n"
	if sd.BaseURL != "" {
		robots += "Sitemap: " + sd.BaseURL + "/sitemap.xml\n"
	}
	if err := w.Write("robots.txt", []byte(robots)); err != nil {
		return nil, err
	}
	if ps != nil {
		ps.saveRecords()
	}
	return &writeResult{files: files + 1, pages: pages, rendered: int(rendered.Load()), spliced: int(spliced.Load()), kept: int(keptPages.Load())}, nil
}

// writeLater leaves the files of the jobs marked later to w, to be made
// when first read: the open data and its page (openData.writeLater), the
// feeds (job.make). Each is made holding mu for reading: Patch changes
// the content they are made from, holding it for writing.
func writeLater(w output.LaterWriter, mu *sync.RWMutex, jobs []*job, od *openData, tpl *templates) error {
	if w != nil {
		w = lockedLater{w, mu}
	}
	var dataPage *job
	for _, j := range jobs {
		switch {
		case !j.later:
		case j.make != nil:
			j := j
			if err := w.WriteLater([]string{j.path}, func() (map[string][]byte, error) {
				data, err := j.make()
				return map[string][]byte{j.path: data}, err
			}); err != nil {
				return err
			}
		default:
			dataPage = j
		}
	}
	if od.later == nil {
		return nil
	}
	return od.writeLater(w, dataPage, tpl)
}

// lockedLater makes the files of WriteLater holding mu for reading.
type lockedLater struct {
	output.LaterWriter
	mu *sync.RWMutex
}

func (l lockedLater) WriteLater(names []string, mk func() (map[string][]byte, error)) error {
	return l.LaterWriter.WriteLater(names, func() (map[string][]byte, error) {
		l.mu.RLock()
		defer l.mu.RUnlock()
		return mk()
	})
}
