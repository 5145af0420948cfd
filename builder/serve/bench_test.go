package serve

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// BenchmarkSaveToReload measures, over 50 saved edits, the time from an
// editor's save (temp file + rename) to the reload event that the browser
// receives once the new build is served, with the search index brought up
// to date for the edited pages first (the portal's own indexer,
// Options.IndexBeforeReload, as `portal serve` runs). It reports p50 and
// p95. The first reload after the start waits for the base index.
//
// "text" edits change a case's body, the common case while writing;
// "framsida" edits change its summary in the front matter, which shows in
// lists and related cases, so more pages depend on it (30 edits unless
// SAVE_EDITS is set).
func BenchmarkSaveToReload(b *testing.B) {
	root := sitetest.RepoRoot(b)
	edits := 50
	if v, err := strconv.Atoi(os.Getenv("SAVE_EDITS")); err == nil && v > 0 {
		edits = v
	}
	for _, size := range []int{0, 10000} {
		for _, kind := range []string{"text", "framsida"} {
			name := "real"
			if size > 0 {
				name = strconv.Itoa(size)
			}
			n := edits
			if kind == "framsida" && os.Getenv("SAVE_EDITS") == "" {
				n = 30
			}
			saveToReload(b, root, name+"/"+kind, size, kind, n)
		}
	}
}

func saveToReload(b *testing.B, root, name string, size int, kind string, edits int) {
	b.Run(name, func(b *testing.B) {
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
		s := New(Options{Root: dir, Theme: theme, Debounce: 10 * time.Millisecond,
			Search: true, IndexBeforeReload: true})
		defer s.Close()
		if len(s.Errors()) > 0 {
			b.Fatal(s.Errors())
		}
		ts := httptest.NewServer(s.Handler())
		defer ts.Close()
		stop := make(chan struct{})
		go s.Watch(stop)
		defer close(stop)
		resp, err := http.Get(ts.URL + "/__livereload")
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		events := make(chan string, 16)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if l := sc.Text(); strings.HasPrefix(l, "event: ") {
					events <- strings.TrimPrefix(l, "event: ")
				}
			}
		}()
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
		var lat []time.Duration
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		alloc0 := ms.TotalAlloc
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			lat = lat[:0]
			for e := 0; e < edits; e++ {
				text := strings.Replace(string(orig), "\n---\n", fmt.Sprintf("\n---\n\nRedigering %d.\n", e), 1)
				if kind == "framsida" {
					text = strings.Replace(string(orig), "\nsummary: \"", fmt.Sprintf("\nsummary: \"Redigering %d. ", e), 1)
				}
				tmp := target + ".tmp"
				os.WriteFile(tmp, []byte(text), 0o644)
				start := time.Now()
				os.Rename(tmp, target)
				select {
				case ev := <-events:
					if ev != "reload" {
						b.Fatalf("event %s", ev)
					}
					if _, ok := s.index.Load().Get(ReplacedFile); !ok {
						b.Fatal("reloaded before the search index took the edit")
					}
				case <-time.After(60 * time.Second):
					b.Fatal("no reload")
				}
				lat = append(lat, time.Since(start))
			}
		}
		// What each edit allocates, in this process: the rate at which
		// collections come, which a build running beside one waits for.
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.TotalAlloc-alloc0)/float64(b.N*edits)/1e6, "MB/edit")
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p50, p95 := lat[len(lat)/2], lat[len(lat)*95/100]
		b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	})
}
