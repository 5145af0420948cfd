package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/exempelbanken/portal/builder/cms"
	"github.com/exempelbanken/portal/builder/internal/gctune"
	"github.com/exempelbanken/portal/builder/internal/storefile"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/pagefind"
	"github.com/exempelbanken/portal/builder/site"
	"github.com/exempelbanken/portal/builder/sv"
)

// buildCmd is `portal build` with its flags.
type buildCmd struct {
	root, out, baseURL               string
	drafts, search, verbose, durable bool
	htmlexec, searchTerms, openData  bool
	pagefindCLI                      bool
	cpuProf, traceOut, memProf       string
}

// runBuild parses the flags of `portal build` and runs it.
func runBuild(args []string, env Env) int {
	c, st := parseBuild(args, env)
	if st >= 0 {
		return st
	}
	stop, err := c.profile()
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal build: %v\n", err)
		return ExitUsage
	}
	defer stop()
	return c.run(env)
}

// parseBuild reads the flags; a status ≥ 0 ends the run.
func parseBuild(args []string, env Env) (*buildCmd, int) {
	c := &buildCmd{}
	fs := newFlags("build", env)
	fs.StringVar(&c.root, "root", ".", "")
	fs.StringVar(&c.out, "out", "", "")
	fs.BoolVar(&c.drafts, "drafts", false, "")
	fs.StringVar(&c.baseURL, "baseurl", "", "")
	fs.BoolVar(&c.search, "search", true, "")
	fs.BoolVar(&c.verbose, "v", false, "")
	fs.BoolVar(&c.durable, "fsync", false, "")
	fs.StringVar(&c.cpuProf, "cpuprofile", "", "")
	fs.StringVar(&c.traceOut, "trace", "", "")
	fs.StringVar(&c.memProf, "memprofile", "", "")
	fs.BoolVar(&c.htmlexec, "htmlexec", true, "")
	fs.BoolVar(&c.searchTerms, "search-terms", true, "")
	fs.BoolVar(&c.openData, "open-data", true, "")
	fs.BoolVar(&c.pagefindCLI, "pagefind-cli", false, "")
	if st := parse(fs, args, env); st >= 0 {
		return nil, st
	}
	if st := checkBaseURL(&c.baseURL, env); st >= 0 {
		return nil, st
	}
	if fi, err := os.Stat(c.root); err != nil || !fi.IsDir() {
		fmt.Fprintf(env.Stderr, "portal build: -root %s är ingen mapp\n", c.root)
		return nil, ExitUsage
	}
	if c.out == "" {
		c.out = filepath.Join(c.root, "public")
	}
	return c, -1
}

// profile starts the CPU profile and the execution trace asked for; stop
// ends them and writes the heap profile.
func (c *buildCmd) profile() (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
		if c.memProf != "" {
			if f, err := os.Create(c.memProf); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
	}
	for _, p := range []struct {
		path  string
		start func(io.Writer) error
		stop  func()
	}{{c.cpuProf, pprof.StartCPUProfile, pprof.StopCPUProfile}, {c.traceOut, trace.Start, trace.Stop}} {
		if p.path == "" {
			continue
		}
		f, err := os.Create(p.path)
		if err == nil {
			if err = p.start(f); err != nil {
				f.Close()
			}
		}
		if err != nil {
			stop()
			return nil, err
		}
		stops = append(stops, func() { p.stop(); f.Close() })
	}
	return stop, nil
}

// run builds the site into a temporary folder beside -out, indexes it for
// search and swaps it in: build → prune → search → publish, each timed in
// the report.
func (c *buildCmd) run(env Env) int {
	// A build holds the parsed site until its pages are written: collect
	// rarely while the heap is small, and at 60 % growth once it is large
	// (which keeps the peak of a big site a fifth lower than 100 %).
	defer gctune.Tune(gcFloor())()
	ctx, stop := interruptible(env)
	defer stop()
	start := time.Now()
	b := site.New(site.Options{Root: c.root, Drafts: c.drafts, BaseURL: c.baseURL, Theme: env.Theme, HTMLTemplateOnly: !c.htmlexec, NoSearchTerms: !c.searchTerms, NoOpenData: !c.openData, CacheDir: cacheDir()})
	defer b.Close()
	disk, st := c.openOutput(env)
	if st >= 0 {
		return st
	}
	// The search index is written by the portal itself, from the pages
	// as they are rendered (pagefind.Tee), or by Pagefind's CLI over the
	// finished folder with -pagefind-cli.
	var w output.Writer = disk
	var tee *pagefind.Tee
	var idx *pagefind.Index
	var encoded string // the word index's chunks encoded anew, for -v
	cache := searchCache(c.root)
	if c.search && !c.pagefindCLI {
		idx = pagefind.New()
		if cache != "" {
			idx.Load(cache) // the entries of the last build, read meanwhile
		}
		idx.Begin()
		tee = idx.Tee(disk)
		w = tee
	}
	res, err := b.Build(w)
	if tee != nil {
		if werr := tee.Wait(); err == nil {
			err = werr
		}
	}
	if err == nil && tee != nil {
		// Through the same writer, before Prune: the index of the last
		// build goes as any stale file does.
		t := time.Now()
		var st pagefind.Stats
		if st, err = tee.Index().Write(disk, pagefind.Dir); err == nil {
			res.Phases = append(res.Phases, site.Phase{Name: "sökindex (skriv)", Duration: time.Since(t)})
			encoded = fmt.Sprintf("%s av %s", sv.FormatInt(int64(st.Encoded)), sv.FormatInt(int64(st.Chunks)))
		}
	}
	// The index's entries are saved for the next build while this one
	// is published (they are keyed by content: saving them is right
	// whether or not the publishing succeeds).
	var saved chan error
	if err == nil && idx != nil && cache != "" {
		saved = make(chan error, 1)
		go func() { saved <- idx.Save(cache) }()
		defer func() {
			if saved != nil {
				<-saved
			}
		}()
	}
	if err == nil {
		err = disk.Prune()
	}
	if err != nil {
		disk.Abort()
		PrintErrors(env.Stderr, err)
		return ExitContent
	}
	if tee == nil && c.search && env.SearchCLI != nil {
		if st := c.index(ctx, env, disk, res); st >= 0 {
			return st
		}
	}
	t := time.Now()
	if err := disk.Commit(); err != nil {
		fmt.Fprintf(env.Stderr, "portal build: %v\n", err)
		return ExitContent
	}
	res.Phases = append(res.Phases, site.Phase{Name: "publicera (byt in public/)", Duration: time.Since(t)})
	if saved != nil {
		t = time.Now()
		if err := <-saved; err != nil {
			fmt.Fprintf(env.Stderr, "varning: sökindexets cache (%s): %v\n", cache, err)
		}
		saved = nil
		res.Phases = append(res.Phases, site.Phase{Name: "spara sökindexets cache (väntan)", Duration: time.Since(t)})
	}
	// Once a day: the files of the cache folder that no build has written
	// or used for a month (sites moved or removed, styles and data long
	// replaced); this site's stores are marked as used.
	pruned := storefile.Prune(cacheDir(), c.root, cacheMaxAge, 24*time.Hour, time.Now())
	PrintWarnings(env.Stderr, res.Site.Warnings)
	if res.NoEditor {
		fmt.Fprintf(env.Stderr, "varning: %v\n", cms.ErrNoDecap)
	}
	res.Report(env.Stdout, time.Since(start), c.verbose)
	if c.verbose {
		fmt.Fprintf(env.Stdout, "  %-40s %10s\n", "filer som inte ändrats (skrevs inte)", sv.FormatInt(int64(disk.Unchanged())))
		if pruned > 0 {
			fmt.Fprintf(env.Stdout, "  %-40s %10s\n", "gamla filer borttagna ur cachen", sv.FormatInt(int64(pruned)))
		}
		if encoded != "" {
			fmt.Fprintf(env.Stdout, "  %-40s %10s\n", "sökindexets block som gjordes om", encoded)
		}
		if rss, ok := maxRSS(); ok {
			fmt.Fprintf(env.Stdout, "  %-40s %10s MB\n", "högsta minnesanvändning (RSS)", sv.FormatInt(rss>>20))
		}
	}
	return ExitOK
}

// cacheDir is the portal's folder in the user's cache folder, where a
// build keeps what the next can reuse (rendered markdown, the search
// index's entries); "" when there is none.
func cacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "exempelbanken")
}

// cacheMaxAge is how long a file in the cache folder stays that no build
// writes or uses (storefile.Prune).
const cacheMaxAge = 30 * 24 * time.Hour

// searchCache is the file the search index of the site at root is kept
// in between builds (pagefind.Index.Save), in the user's cache folder; ""
// when there is none.
func searchCache(root string) string { return storefile.Path(cacheDir(), "sokindex", root) }

// openOutput prepares the output folder: refused (exit 2) when it is not
// the portal's to replace, waiting while another build writes it.
func (c *buildCmd) openOutput(env Env) (*output.Disk, int) {
	disk, err := output.NewDisk(c.out, output.SourceRoot(c.root), output.OnWait(func(lock string) {
		fmt.Fprintf(env.Stderr, "Väntar: en annan byggprocess skriver redan till %s (låset är %s) …\n", c.out, lock)
	}))
	var refused *output.TargetError
	if errors.As(err, &refused) {
		fmt.Fprintf(env.Stderr, "portal build: -out %v\n", err)
		return nil, ExitUsage
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal build: %v\n", err)
		return nil, ExitContent
	}
	disk.Durable = c.durable
	return disk, -1
}

// index runs Pagefind's CLI over the built folder (-pagefind-cli); a
// status ≥ 0 ends the run (the build is then discarded).
func (c *buildCmd) index(ctx context.Context, env Env, disk *output.Disk, res *site.Result) int {
	t := time.Now()
	if err := env.SearchCLI(ctx, disk.Dir(), c.root, env.Stderr); err != nil {
		disk.Abort()
		if ctx.Err() != nil {
			fmt.Fprintln(env.Stderr, "portal build: avbrutet; public/ är orört.")
			return ExitInterrupted
		}
		fmt.Fprintf(env.Stderr, "portal build: sökindex: %v\n", err)
		return ExitContent
	}
	res.Phases = append(res.Phases, site.Phase{Name: "sökindex (Pagefind)", Duration: time.Since(t)})
	return -1
}
