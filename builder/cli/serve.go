package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/exempelbanken/portal/builder/serve"
)

// runServe runs the preview server until SIGINT or SIGTERM. The listener
// is bound before the first build, so a busy port is reported at once.
func runServe(args []string, env Env) int {
	fs := newFlags("serve", env)
	root := fs.String("root", ".", "")
	addr := fs.String("addr", "127.0.0.1:1313", "")
	drafts := fs.Bool("drafts", false, "")
	open := fs.Bool("open", false, "")
	allowed := fs.String("allowed-hosts", "", "")
	htmlexec := fs.Bool("htmlexec", true, "")
	pagefindCLI := fs.Bool("pagefind-cli", false, "")
	if st := parse(fs, args, env); st >= 0 {
		return st
	}
	if fi, err := os.Stat(*root); err != nil || !fi.IsDir() {
		fmt.Fprintf(env.Stderr, "portal serve: -root %s är ingen mapp\n", *root)
		return ExitUsage
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal serve: -addr %q: %v\n", *addr, err)
		return ExitUsage
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		fmt.Fprintf(env.Stderr, "Varning: servern lyssnar på alla nätverksgränssnitt (%s); förhandsgranskningen syns för andra på nätet. Använd -addr 127.0.0.1:1313 för att bara visa den på den här datorn.\n", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal serve: %v\n", err)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The preview's search index: the portal's own, in memory, or
	// Pagefind's CLI over a folder with -pagefind-cli.
	search := !*pagefindCLI || env.SearchCLI != nil
	var index func(dir, root string, log io.Writer) error
	if *pagefindCLI && env.SearchCLI != nil {
		index = func(dir, root string, log io.Writer) error { return env.SearchCLI(ctx, dir, root, log) }
	}
	var hosts []string
	for _, h := range strings.Split(*allowed, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	return Serve(ctx, ln, serve.Options{Root: *root, Drafts: *drafts, Theme: env.Theme, Log: env.Stdout, Search: search, Index: index, IndexBeforeReload: !*pagefindCLI, AllowedHosts: hosts, HTMLTemplateOnly: !*htmlexec}, *open, env)
}

// Serve runs a preview server on ln until ctx is done, then shuts down
// cleanly: browsers are disconnected, in-flight requests finish. It
// answers only requests for ln's address, loopback names and
// o.AllowedHosts.
func Serve(ctx context.Context, ln net.Listener, o serve.Options, openBrowser bool, env Env) int {
	o.Addr = ln.Addr().String()
	s := serve.New(o)
	url := "http://" + ln.Addr().String() + "/"
	if n := len(s.Errors()); n > 0 {
		fmt.Fprintf(env.Stdout, "Första bygget hade %d fel; de visas i webbläsaren.\n", n)
	}
	fmt.Fprintf(env.Stdout, "Förhandsgranskning på %s (avsluta med Ctrl-C)\n", url)
	fmt.Fprintf(env.Stdout, "Webbredigeraren på %sadmin/ sparar i %s\n", url, filepath.Join(o.Root, "content"))
	srv := s.HTTPServer()
	stopWatch := make(chan struct{})
	watchDone := make(chan error, 1)
	go func() { watchDone <- s.Watch(stopWatch) }()
	serveDone := make(chan error, 1)
	go func() { serveDone <- srv.Serve(ln) }()
	if openBrowser {
		exec.Command("xdg-open", url).Start()
	}
	code := ExitOK
	select {
	case <-ctx.Done():
	case err := <-serveDone:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(env.Stderr, "portal serve: %v\n", err)
			code = ExitContent
		}
	case err := <-watchDone:
		if err != nil {
			fmt.Fprintf(env.Stderr, "portal serve: bevakning: %v\n", err)
			code = ExitContent
		}
	}
	close(stopWatch)
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	fmt.Fprintln(env.Stdout, "Förhandsgranskningen avslutad.")
	return code
}
