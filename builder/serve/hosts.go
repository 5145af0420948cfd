package serve

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// hostGuard answers only requests addressed to this server: a web page on
// another site cannot use DNS rebinding (its own name pointing at
// 127.0.0.1) to read drafts, the live-reload stream or the search index,
// nor call the preview from its scripts (a foreign Origin). It sets no
// CORS headers: browsers then keep other sites' scripts from reading
// answers anyway.
type hostGuard struct {
	allowed map[string]bool // lower case, without port or trailing dot
	next    http.Handler
}

// newHostGuard allows loopback names (localhost, *.localhost, 127.0.0.0/8,
// ::1), the host of addr (the listen address), extra (-allowed-hosts), and
// when addr listens on every interface, the addresses of this machine's
// interfaces and its host name.
func newHostGuard(addr string, extra []string, next http.Handler) *hostGuard {
	g := &hostGuard{allowed: map[string]bool{}, next: next}
	add := func(h string) {
		if h = normHost(h); h != "" {
			g.allowed[h] = true
		}
	}
	for _, h := range extra {
		add(h)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	add(host)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					add(n.IP.String())
				}
			}
		}
		if name, err := os.Hostname(); err == nil {
			add(name)
			add(name + ".local")
		}
	}
	return g
}

// normHost lowers h and strips a port, IPv6 brackets and a trailing dot.
func normHost(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(strings.ToLower(h), ".")
}

// allows reports whether host (as in a Host header) names this server.
func (g *hostGuard) allows(host string) bool {
	h := normHost(host)
	if h == "" {
		return false
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") || g.allowed[h] {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func (g *hostGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.allows(r.Host) {
		forbid(w, fmt.Sprintf("förbjuden värd %q: förhandsgranskningen svarar bara på localhost och adressen den lyssnar på (lägg till fler med -allowed-hosts)", r.Host))
		return
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !g.allows(u.Host) {
			forbid(w, fmt.Sprintf("förbjudet ursprung %q: förhandsgranskningen svarar inte på anrop från andra webbplatser", o))
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

func forbid(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintln(w, msg)
}

// Timeouts of the preview's HTTP server: a client that sends its request
// slowly, or never reads the answer, is cut off. The live-reload stream
// sets a deadline of its own for each event it writes.
var (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
)

// HTTPServer returns an http.Server for the preview, with timeouts and a
// cap on header size.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}
