package site

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/internal/warm"
	"github.com/exempelbanken/portal/builder/output"
)

var corpora sync.Map // size → dir

// TestMain removes the generated sites of the benchmarks when the test
// binary is done (40 MB for 10,000 cases, made anew by every run).
func TestMain(m *testing.M) {
	code := m.Run()
	corpora.Range(func(_, dir any) bool {
		os.RemoveAll(dir.(string))
		return true
	})
	os.Exit(code)
}

// generated returns a generated site root of n cases, made once per run
// and removed by TestMain.
func generated(b *testing.B, n int) string {
	b.Helper()
	if d, ok := corpora.Load(n); ok {
		return d.(string)
	}
	root := sitetest.RepoRoot(b)
	dir, err := os.MkdirTemp("", "exempelbanken-corpus-"+strconv.Itoa(n)+"-")
	if err != nil {
		b.Fatal(err)
	}
	if err := corpus.FromRepo(dir, root, n, 1); err != nil {
		b.Fatal(err)
	}
	corpora.Store(n, dir)
	return dir
}

// BenchmarkRelatedAndGlossary measures ranking related cases and rendering
// every body with wiki links and glossary linking, on 10,000 cases.
func BenchmarkRelatedAndGlossary(b *testing.B) {
	dir := generated(b, 10000)
	s, err := content.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("related", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			relatedCases(s, 4)
		}
	})
	// A one-off build drops each body once rendered; put them back.
	bodies := map[*content.Doc][]byte{}
	for _, c := range s.Cases {
		bodies[&c.Doc] = c.Body
	}
	for _, t := range s.Terms {
		bodies[&t.Doc] = t.Body
	}
	for _, p := range s.Pages {
		bodies[&p.Doc] = p.Body
	}
	b.Run("markdown+glossary", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			for d, body := range bodies {
				d.Body = body
			}
			b.StartTimer()
			bl := New(Options{Root: dir})
			var errs diag.List
			bl.renderMarkdown(s, &errs)
			if errs.Len() > 0 {
				b.Fatal(errs.Error())
			}
		}
	})
}

// BenchmarkLayoutTimes prints the template time per layout on a build of
// 10,000 generated cases, to see which layouts to optimise.
func BenchmarkLayoutTimes(b *testing.B) {
	dir := generated(b, 10000)
	layoutTimes = newTimeSums()
	defer func() { layoutTimes = nil }()
	for i := 0; i < b.N; i++ {
		bl := New(Options{Root: dir, Theme: os.DirFS(sitetest.RepoRoot(b))})
		if _, err := bl.Build(output.NewMemory()); err != nil {
			b.Fatal(err)
		}
		bl.Close()
	}
	for k, v := range layoutTimes.m {
		b.Logf("%-16s %5d sidor %10v totalt %8v/sida", k, layoutTimes.n[k], v, v/time.Duration(layoutTimes.n[k]))
	}
}

// BenchmarkBuild builds generated sites into memory (no disk, no search).
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			dir := generated(b, n)
			for i := 0; i < b.N; i++ {
				bl := New(Options{Root: dir, Theme: os.DirFS(sitetest.RepoRoot(b))})
				if _, err := bl.Build(output.NewMemory()); err != nil {
					b.Fatal(err)
				}
				bl.Close()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
		})
	}
}

// BenchmarkPreviewFrontMatter measures the incremental build of the
// preview (Options.Incremental, into an output.Memory, which makes feeds
// and open data only when read) after an edit of one case's status, on
// 10,000 generated cases: p50 and p95 over 20 edits, the process's CPU
// time per edit, and the mean time of each phase over them (one build's
// phases move too much to compare). Then what the collector visits in the
// heap the preview keeps (kobjects, scan-MB) and what a full collection
// of it costs (gc-cpu-ms, gc-wall-ms): the price of every collection
// that falls in an edit. (An edit of a text field such as the
// summary does not come here in a preview: Patch takes it.) The first
// builds read every file and fill the memos; then each build is told
// which file changed (Builder.Changed), as the preview's watcher tells it.
func BenchmarkPreviewFrontMatter(b *testing.B) {
	dir := generated(b, 10000)
	bl := New(Options{Root: dir, Theme: os.DirFS(sitetest.RepoRoot(b)), Incremental: true, StableAssets: true})
	defer bl.Close()
	matches, _ := filepath.Glob(filepath.Join(dir, "content", "exempel", "*.md"))
	sort.Strings(matches)
	target := matches[len(matches)/2]
	orig, _ := os.ReadFile(target)
	defer os.WriteFile(target, orig, 0o644)
	// Files just generated are read on every build until they have been
	// left alone for a while (content.Cache); an editor's are older.
	for range 2 {
		if _, err := bl.Build(output.NewMemory()); err != nil {
			b.Fatal(err)
		}
		time.Sleep(3 * time.Second)
	}
	// The preview grows its heap to its working size once it has built
	// (warm.Heap); without it the first edits wait for page faults.
	warm.Heap()
	var lat []time.Duration
	var last *Result
	var names []string // the phases in order
	sum := map[string]time.Duration{}
	cpu := processCPU()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lat = lat[:0]
		for e := range 20 {
			text := sitetest.OtherStatus(b, string(orig), e)
			if err := os.WriteFile(target, []byte(text), 0o644); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			bl.Changed([]string{"content/exempel/" + filepath.Base(target)}) // as the preview's watcher does
			res, err := bl.Build(output.NewMemory())
			if err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			last = res
			for _, p := range res.Phases {
				if _, ok := sum[p.Name]; !ok {
					names = append(names, p.Name)
				}
				sum[p.Name] += p.Duration
			}
		}
	}
	b.StopTimer()
	// The process's CPU time per edit, which other processes on a busy
	// machine move much less than the wall time.
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(len(lat)*b.N), "cpu-ms/edit")
	b.Logf("in order: %v", roundAll(lat))
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
	for _, n := range names {
		b.Logf("%-56s %8v", n, (sum[n] / time.Duration(len(lat)*b.N)).Round(100*time.Microsecond))
	}
	b.Logf("%d of %d pages rendered, %d with the facet overview spliced in", last.Rendered, last.Pages, last.Spliced)
	// What the collector has to visit in the preview's heap after the
	// edits, and what one collection of it costs: the objects and the
	// bytes that may hold pointers, and the CPU and wall time of a full
	// collection (the mean of five).
	ms := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/heap/objects:objects"}, {Name: "/gc/scan/heap:bytes"}}
	runtime.GC()
	metrics.Read(ms)
	gcCPU := ms[0].Value.Float64()
	start := time.Now()
	for range 5 {
		runtime.GC()
	}
	wall := time.Since(start) / 5
	metrics.Read(ms)
	b.ReportMetric((ms[0].Value.Float64()-gcCPU)/5*1000, "gc-cpu-ms")
	b.ReportMetric(float64(wall.Microseconds())/1000, "gc-wall-ms")
	b.ReportMetric(float64(ms[1].Value.Uint64())/1000, "kobjects")
	b.ReportMetric(float64(ms[2].Value.Uint64())/1e6, "scan-MB")
	runtime.KeepAlive(bl)
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
