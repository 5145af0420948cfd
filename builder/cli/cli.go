// Package cli implements the portal command: build, serve, check, new and
// help. Run returns the exit status: 0 on success, 1 on content errors, 2 on
// usage errors. cmd/portal only wires it to the process.
package cli

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	texttemplate "text/template"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
	"github.com/exempelbanken/portal/builder/internal/hugeheap"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/site"
	"github.com/exempelbanken/portal/builder/sv"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitContent = 1
	ExitUsage   = 2
	// ExitInterrupted is the status of a build stopped by SIGINT or
	// SIGTERM (128 + SIGINT, as shells report it).
	ExitInterrupted = 130
)

// Env is the process environment of a run.
type Env struct {
	Stdout, Stderr io.Writer
	// SearchCLI indexes a built site in dir with Pagefind's CLI
	// (search.IndexContext), for -pagefind-cli, stopping when ctx is done;
	// nil leaves -pagefind-cli without a search index. Without
	// -pagefind-cli the portal writes the index itself (builder/pagefind).
	SearchCLI func(ctx context.Context, dir string, root string, stderr io.Writer) error
	// Theme provides layouts/ and assets/ for roots without them.
	Theme fs.FS
}

const usage = `portal – bygger Exempelbanken, en statisk portal om sociala investeringar.

Användning:
  portal build [-root DIR] [-out DIR] [-drafts] [-baseurl URL] [-search=false] [-fsync] [-v] [-htmlexec=false] [-search-terms=false] [-open-data=false] [-pagefind-cli]
  portal serve [-root DIR] [-addr 127.0.0.1:1313] [-allowed-hosts H,H] [-drafts] [-open] [-pagefind-cli]
  portal check [-root DIR] [-format text|gitlab|github]
  portal new [-root DIR] exempel|begrepp|sida "Titel"
  portal help

Kommandon:
  build   Läser och validerar innehållet, bygger hela webbplatsen i en temporär
          mapp bredvid -out och byter in den först när allt lyckats.
  serve   Förhandsgranskning med automatisk omladdning: bygger i minnet,
          bevakar content/, layouts/ och assets/ och laddar om webbläsaren.
  check   Validerar innehåll, länkar, mallar och stilmallar utan att skriva något,
          utkasten inräknade.
  new     Skapar en ny markdown-fil som utkast, ett värde per rad och med
          de tillåtna värdena i kommentarer.
  help    Visar den här texten.

Flaggor för serve:
  -addr ADR       adress att lyssna på (standard 127.0.0.1:1313, bara den här datorn)
  -allowed-hosts H,H
                  fler värdnamn att svara på, utöver localhost och adressen
                  servern lyssnar på (andra får 403, som skydd mot DNS-rebinding)
  -drafts         visa utkast, med en tydlig utkastbanderoll
  -open           öppna webbläsaren

Flaggor för build:
  -root DIR       webbplatsens rot med content/, layouts/ och assets/ (standard .)
  -out DIR        utdatamapp (standard ROOT/public); en befintlig mapp ersätts
                  bara om portal build har byggt den
  -drafts         ta med utkast (draft: true)
  -baseurl URL    ersätter baseURL i content/site.yaml
  -search         skriv sökindexet (standard true): portalen skriver det själv,
                  i Pagefind 1.6.0:s format, medan sidorna byggs
  -pagefind-cli   låt Pagefinds eget program indexera i stället (långsammare;
                  referensen som sökindexet jämförs med; också för serve)
  -fsync          skriv webbplatsen till disken innan den byts in, så att bytet
                  också klarar ett strömavbrott (långsammare på stora webbplatser)
  -v              visa tiden för varje byggsteg
  -search-terms=false
                  bygger sökindexet utan orddelar och synonymer (för jämförelser)
  -open-data=false
                  bygger utan öppna data (/data/) och Atom-flöden (för jämförelser)
  -htmlexec=false kör alla sidor genom html/template i stället för den snabbare
                  htmlexec (för jämförelser; också för check och serve)
  -cpuprofile F   skriv en CPU-profil till F
  -trace F        skriv en körningsspårning till F (go tool trace F)
  -memprofile F   skriv en minnesprofil till F

Flaggor för check:
  -format F       text (standard), gitlab (Code Quality-rapport i JSON) eller
                  github (arbetsflödeskommandon för GitHub och Forgejo Actions)

Felkoder: 0 lyckades, 1 fel i innehållet, 2 felaktigt anrop, 130 avbrutet.
`

// Run runs the command line args (without the program name).
func Run(args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "build", "check", "serve":
		prepareHeap()
	}
	switch args[0] {
	case "build":
		return runBuild(args[1:], env)
	case "check":
		return runCheck(args[1:], env)
	case "new":
		return runNew(args[1:], env)
	case "serve":
		return runServe(args[1:], env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "portal: okänt kommando %q\n\n%s", args[0], usage)
	return ExitUsage
}

// heapReserve is the heap a build may grow into with huge pages: the
// 4 GB the largest sites (100,000 cases) need. It is address space only;
// memory is taken as the heap grows.
const heapReserve = 4 << 30

// prepareHeap readies the heap for huge pages once per process (see
// package hugeheap): a build of 10,000 cases after a one-case change
// takes 1.9 s instead of 2.6 s on a 2-core virtual machine.
var prepareHeap = sync.OnceFunc(func() { hugeheap.Prepare(heapReserve) })

// newFlags returns a flag set that prints the usage text on -h.
func newFlags(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("portal "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, usage) }
	return fs
}

// parse parses flags; it returns an exit status ≥ 0 when the run is over.
func parse(fs *flag.FlagSet, args []string, env Env) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 && fs.Name() != "portal new" {
		fmt.Fprintf(env.Stderr, "%s: oväntat argument %q\n", fs.Name(), fs.Arg(0))
		return ExitUsage
	}
	return -1
}

// PrintWarnings prints each warning on its own line, marked as one; they
// do not stop a build.
func PrintWarnings(w io.Writer, warnings []*diag.Error) {
	for _, e := range warnings {
		fmt.Fprintf(w, "varning: %v\n", e)
	}
}

// PrintErrors prints every build error on its own line, with a count.
func PrintErrors(w io.Writer, err error) {
	errs := diag.AsList(err)
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
	}
	if len(errs) > 1 {
		fmt.Fprintf(w, "%d fel; inget skrevs.\n", len(errs))
	} else {
		fmt.Fprintln(w, "1 fel; inget skrevs.")
	}
}

// interruptible returns a context that is cancelled on SIGINT or SIGTERM,
// which stops the search indexer; if the build does not then end on its
// own within a second (it is busy in a phase that does not watch ctx), the
// process exits with ExitInterrupted. A killed build leaves public/ as it
// was; the next build clears away its folder. stop ends the watch.
func interruptible(env Env) (ctx context.Context, stop func()) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
		}
		select {
		case <-done:
		case <-time.After(time.Second):
			fmt.Fprintln(env.Stderr, "portal build: avbrutet; public/ är orört.")
			os.Exit(ExitInterrupted)
		}
	}()
	return ctx, func() {
		close(done)
		cancel()
	}
}

func runCheck(args []string, env Env) int {
	fs := newFlags("check", env)
	root := fs.String("root", ".", "")
	// -drafts is still accepted: check always includes drafts now.
	fs.Bool("drafts", true, "")
	htmlexec := fs.Bool("htmlexec", true, "")
	format := fs.String("format", "text", "")
	if st := parse(fs, args, env); st >= 0 {
		return st
	}
	report, ok := reporters[*format]
	if !ok {
		fmt.Fprintf(env.Stderr, "portal check: okänt format %q; ange text, gitlab eller github\n", *format)
		return ExitUsage
	}
	// Drafts are checked too (and built, so their links and layouts are
	// checked as well): a draft is where new mistakes are.
	b := site.New(site.Options{Root: *root, Drafts: true, Theme: env.Theme, HTMLTemplateOnly: !*htmlexec})
	defer b.Close()
	mem := output.NewMemory()
	res, err := b.Build(mem)
	var warnings []*diag.Error
	if res != nil {
		warnings = res.Site.Warnings
	}
	if st := report(env, err, warnings); st != ExitOK {
		return st
	}
	cases, terms, pages, drafts := countDocs(res.Site)
	summary := env.Stdout
	if *format != "text" {
		summary = env.Stderr // stdout is the report
	}
	fmt.Fprintf(summary, "Inga fel: %d exempel, %d begrepp, %d sidor, %d filer. Utkast kontrollerade: %d (de publiceras inte).\n",
		cases, terms, pages, res.Files, drafts)
	return ExitOK
}

// countDocs counts the published documents of each kind and the drafts.
func countDocs(s *content.Site) (cases, terms, pages, drafts int) {
	for _, c := range s.Cases {
		if c.Draft {
			drafts++
		} else {
			cases++
		}
	}
	for _, t := range s.Terms {
		if t.Draft {
			drafts++
		} else {
			terms++
		}
	}
	for _, p := range s.Pages {
		if p.Draft {
			drafts++
		} else {
			pages++
		}
	}
	return
}

func runNew(args []string, env Env) int {
	fs := newFlags("new", env)
	root := fs.String("root", ".", "")
	if st := parse(fs, args, env); st >= 0 {
		return st
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(env.Stderr, `portal new: ange typ och titel, till exempel: portal new exempel "Fotosyntes"`)
		return ExitUsage
	}
	kind, title := fs.Arg(0), strings.TrimSpace(fs.Arg(1))
	slug := sv.Slugify(title)
	if slug == "" {
		fmt.Fprintln(env.Stderr, "portal new: titeln ger ingen slug; använd bokstäver eller siffror")
		return ExitUsage
	}
	dir, ok := map[string]string{"exempel": "exempel", "begrepp": "begrepp", "sida": "sidor"}[kind]
	if !ok {
		fmt.Fprintf(env.Stderr, "portal new: okänd typ %q; ange exempel, begrepp eller sida\n", kind)
		return ExitUsage
	}
	var b strings.Builder
	if err := archetypes.ExecuteTemplate(&b, kind+".md", newData(*root, yamlQuote(title))); err != nil {
		fmt.Fprintf(env.Stderr, "portal new: %v\n", err)
		return ExitUsage
	}
	body := b.String()
	p := filepath.Join(*root, "content", dir, slug+".md")
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(env.Stderr, "portal new: %s finns redan; inget skrevs över\n", p)
		} else {
			fmt.Fprintf(env.Stderr, "portal new: %v\n", err)
		}
		return ExitContent
	}
	defer f.Close()
	if _, err := f.WriteString(body); err != nil {
		fmt.Fprintf(env.Stderr, "portal new: %v\n", err)
		return ExitContent
	}
	url := map[string]string{"exempel": "/exempel/" + slug + "/", "begrepp": "/begrepp/" + slug + "/", "sida": "/" + slug + "/"}[kind]
	fmt.Fprintf(env.Stdout, "Skapade %s\n", p)
	fmt.Fprintf(env.Stdout, "Det är ett utkast: fyll i fälten (kommentarerna i filen säger vad som är tillåtet) och förhandsgranska med\n")
	fmt.Fprintf(env.Stdout, "  portal serve -drafts   och öppna http://127.0.0.1:1313%s\n", url)
	fmt.Fprintf(env.Stdout, "`portal check` säger vad som saknas. Ta bort draft: true när texten är klar.\n")
	return ExitOK
}

// archetypes are the new files of `portal new`, one per kind
// (archetypes/exempel.md, begrepp.md, sida.md), as text/template with
// .Title (YAML-quoted) and .Today.
//
//go:embed archetypes/*.md
var archetypeFiles embed.FS

var archetypes = texttemplate.Must(texttemplate.ParseFS(archetypeFiles, "archetypes/*.md"))

// archetypeData is what a new file is filled with: the title, today's
// date, and the values the contract allows, for the comments.
type archetypeData struct {
	Title, Today, Kommun, Source, Target, Model                    string
	TargetGroups, FocusAreas, CaseTypes, Models, Statuses, Sources string
}

// newData reads the site's vocabularies for the comments of a new file.
// A site that does not load (it has errors) gets the places to look
// instead of the lists.
func newData(root, title string) archetypeData {
	d := archetypeData{Title: title, Today: time.Now().Format("2006-01-02"), Kommun: `""`, Source: `""`,
		Target: "Målgrupp ej angiven", Model: "Finansiering ej angiven",
		TargetGroups: "se content/vokabular.yaml", FocusAreas: "se content/vokabular.yaml", CaseTypes: "se content/vokabular.yaml",
		Models: "titlarna på begreppen med kind: investeringsmodell i content/begrepp/"}
	names := make([]string, len(content.Statuses))
	for i, st := range content.Statuses {
		names[i] = string(st)
	}
	d.Statuses = strings.Join(names, ", ")
	s, err := content.Load(root, content.WithDrafts(true))
	if err != nil {
		return d
	}
	vocab := func(name string) string {
		var out []string
		if v := s.Vocab[name]; v != nil {
			for _, val := range v.Values {
				out = append(out, val.Label)
			}
		}
		return strings.Join(out, "; ")
	}
	d.TargetGroups, d.FocusAreas, d.CaseTypes = vocab("target_group"), vocab("focus_area"), vocab("case_type")
	var models, sources []string
	for _, t := range s.Terms {
		if t.IsModel() {
			models = append(models, t.Title)
		}
	}
	for _, src := range s.Sources {
		sources = append(sources, src.ID)
	}
	d.Models, d.Sources = strings.Join(models, "; "), strings.Join(sources, ", ")
	// The "not stated" values where the site has them, else a blank to fill.
	if !slices.Contains(strings.Split(d.TargetGroups, "; "), d.Target) {
		d.Target = `""`
	}
	if !slices.Contains(models, d.Model) {
		d.Model = `""`
	}
	return d
}

// yamlQuote quotes s as a YAML double-quoted string.
func yamlQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// gcFloor is the least room the collector leaves between collections
// (EXEMPELBANKEN_GCFLOOR_MB for experiments): 256 MB, in which a build
// of 10,000 cases after a one-case change needs one collection instead of
// six (1.8 s of processor time instead of 2.2 s; peak 370 MB instead of
// 290 MB).
func gcFloor() uint64 {
	mb := uint64(256)
	if v, err := strconv.Atoi(os.Getenv("EXEMPELBANKEN_GCFLOOR_MB")); err == nil && v > 0 {
		mb = uint64(v)
	}
	return mb << 20
}
