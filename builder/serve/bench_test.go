package serve

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/hugeheap"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// BenchmarkSaveToReload measures the time from an editor's save (temp
// file + rename) to the reload event that the browser receives once the
// new build is served, with the search index brought up to date for the
// edited pages first (the portal's own indexer, Options.IndexBeforeReload,
// as `portal serve` runs). It reports p50 and p95, what each edit
// allocates, in how many edits a collection of the garbage ended
// (gc-edits), and the p95 of the other edits (p95-nogc-ms): with 30 edits
// and a collection every eight or nine, the p95 is an edit with one. One
// server per site, started once; the first reload waits for its base
// index.
//
// The kinds of edit, each to the same case:
//   - "text" changes its body, the common case while writing (50 edits);
//   - "framsida" changes its summary, a text field of the front matter,
//     which shows in lists and related cases (30 edits; Patch takes it);
//   - "struktur" changes its status, which places it in the facets and
//     shows on its card: a full incremental build (30 edits).
//
// SAVE_EDITS sets the number of edits of each kind. The edits follow each
// other at once, as in a burst of saves; the "-paus" kinds (10,000 cases
// only) make the same edits editorPause apart, as an editor saves after
// typing, which leaves the preview the time to collect its garbage
// between them (collectWhenIdle).
func BenchmarkSaveToReload(b *testing.B) {
	// As `portal serve` does (cli.Run): the heap in huge pages.
	hugeheap.Prepare(4 << 30)
	root := sitetest.RepoRoot(b)
	for _, size := range []int{0, 10000} {
		name := "real"
		if size > 0 {
			name = strconv.Itoa(size)
		}
		kinds := []string{"text", "framsida", "struktur"}
		if size > 0 {
			kinds = append(kinds, "framsida-paus", "struktur-paus")
		}
		saveToReload(b, root, name, size, kinds)
	}
}

// editorPause is the time between two saves in the "-paus" kinds.
const editorPause = time.Second

// edited is orig with edit number e of kind.
func edited(b *testing.B, orig, kind string, e int) string {
	switch strings.TrimSuffix(kind, "-paus") {
	case "text":
		return strings.Replace(orig, "\n---\n", fmt.Sprintf("\n---\n\nRedigering %d.\n", e), 1)
	case "struktur":
		return sitetest.OtherStatus(b, orig, e)
	}
	// The words go first in the summary, after its opening quote if any.
	i := strings.Index(orig, "\nsummary: ")
	if i < 0 {
		b.Fatal("no summary in the case")
	}
	i += len("\nsummary: ")
	if orig[i] == '"' || orig[i] == '\'' {
		i++
	}
	return orig[:i] + fmt.Sprintf("Redigering %d. ", e) + orig[i:]
}

func saveToReload(b *testing.B, root, name string, size int, kinds []string) {
	dir := b.TempDir()
	theme := os.DirFS(root)
	if size == 0 {
		for _, d := range []string{"content", "layouts", "assets"} {
			if err := fsutil.CopyTree(filepath.Join(root, d), filepath.Join(dir, d)); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		if err := corpus.FromRepo(dir, root, size, 1); err != nil {
			b.Fatal(err)
		}
	}
	// The debounce as `portal serve` has it (Options.Debounce's default).
	s := New(Options{Root: dir, Theme: theme, Search: true, IndexBeforeReload: true})
	defer s.Close()
	if len(s.Errors()) > 0 {
		b.Fatal(s.Errors())
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	stop := make(chan struct{})
	go s.Watch(stop)
	defer close(stop)
	events, disconnect := liveEvents(b, ts.URL)
	defer disconnect()
	// The base index of the first build, made in the background.
	for deadline := time.Now().Add(2 * time.Minute); s.search.Load() == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("no search index")
		}
	}
	// Its "search" event follows; an edit must not take it for its own.
	for seen := false; !seen; {
		select {
		case ev := <-events:
			seen = ev == "search"
		case <-time.After(10 * time.Second):
			b.Fatal("no search event after the base index")
		}
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "content", "exempel", "*.md"))
	sort.Strings(matches)
	target := matches[len(matches)/2]
	orig, _ := os.ReadFile(target)
	// save writes text the way editors do and waits for the reload; an
	// edit must be in the search index by then (the case as it was is in
	// the base index).
	//
	// It also reports whether a collection ended during the edit: such
	// an edit waited for the collector's marking beside the build.
	gcs := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	cycles := func() uint64 { metrics.Read(gcs); return gcs[0].Value.Uint64() }
	save := func(b *testing.B, text string, edit bool) (time.Duration, bool) {
		tmp := target + ".tmp"
		os.WriteFile(tmp, []byte(text), 0o644)
		gc0 := cycles()
		start := time.Now()
		os.Rename(tmp, target)
		select {
		case ev := <-events:
			if ev != "reload" {
				b.Fatalf("event %s", ev)
			}
			if _, ok := s.index.Load().Get(ReplacedFile); edit && !ok {
				b.Fatal("reloaded before the search index took the edit")
			}
		case <-time.After(60 * time.Second):
			b.Fatal("no reload")
		}
		return time.Since(start), cycles() != gc0
	}
	for _, kind := range kinds {
		edits := 30
		if kind == "text" {
			edits = 50
		}
		if v, err := strconv.Atoi(os.Getenv("SAVE_EDITS")); err == nil && v > 0 {
			edits = v
		}
		b.Run(name+"/"+kind, func(b *testing.B) {
			var lat, calm []time.Duration // every edit's, and those without a collection
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			alloc0 := ms.TotalAlloc
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat, calm = lat[:0], calm[:0]
				for e := 0; e < edits; e++ {
					if strings.HasSuffix(kind, "-paus") {
						time.Sleep(editorPause)
					}
					d, collected := save(b, edited(b, string(orig), kind, e), true)
					lat = append(lat, d)
					if !collected {
						calm = append(calm, d)
					}
				}
			}
			b.StopTimer()
			// What each edit allocates, in this process: the rate at which
			// collections come, which a build running beside one waits for.
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.TotalAlloc-alloc0)/float64(b.N*edits)/1e6, "MB/edit")
			slices.Sort(lat)
			p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
			// How many edits a collection ended in, and the p95 of the
			// others: what the collector adds to the p95 above.
			b.ReportMetric(float64(len(lat)-len(calm)), "gc-edits")
			if len(calm) > 0 {
				slices.Sort(calm)
				b.ReportMetric(float64(calm[len(calm)*95/100].Microseconds())/1000, "p95-nogc-ms")
			}
			// Back to the case as it was, for the next kind.
			save(b, string(orig), false)
		})
	}
}
