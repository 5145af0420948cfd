package serve

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// TestHostCheck: every route, the live-reload stream and the search index
// included, answers only requests addressed to this server, and none sends
// a CORS header that would let another site read it.
func TestHostCheck(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	s := New(Options{Root: dir, Addr: "127.0.0.1:1313", AllowedHosts: []string{"förhand.example", "Granska.Example."}})
	defer s.Close()
	s.index.Load().Write("pagefind/pagefind.js", []byte("// index"))
	h := s.Handler()
	routes := map[string]int{"/": 200, "/__livereload": 200, "/pagefind/pagefind.js": 200, "/finns-inte/": 404}
	hosts := []struct {
		host string
		ok   bool
	}{
		{"localhost:1313", true},
		{"LOCALHOST", true},
		{"sajt.localhost:1313", true},
		{"127.0.0.1:1313", true},
		{"127.0.0.2", true},
		{"[::1]:1313", true},
		{"förhand.example", true},
		{"granska.example:1313", true},
		{"localhost.:1313", true},
		{"evil.example", false},
		{"evil.example:1313", false},
		{"localhost.evil.example", false},
		{"127.0.0.1.nip.io", false},
		{"10.0.0.5:1313", false},
		{"", false},
	}
	for route, okStatus := range routes {
		for _, hc := range hosts {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			req := httptest.NewRequest("GET", route, nil).WithContext(ctx)
			req.Host = hc.host
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			cancel()
			want := okStatus
			if !hc.ok {
				want = http.StatusForbidden
			}
			if rec.Code != want {
				t.Errorf("%s for Host %q: status %d, want %d", route, hc.host, rec.Code, want)
			}
			if !hc.ok && !strings.Contains(rec.Body.String(), "förbjuden värd") {
				t.Errorf("%s for Host %q: body %q", route, hc.host, rec.Body.String())
			}
			if v := rec.Header().Get("Access-Control-Allow-Origin"); v != "" {
				t.Errorf("%s for Host %q: Access-Control-Allow-Origin: %s", route, hc.host, v)
			}
		}
	}
	origins := []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{"http://localhost:1313", true},
		{"http://127.0.0.1:1313", true},
		{"https://förhand.example", true},
		{"https://evil.example", false},
		{"http://localhost.evil.example", false},
		{"null", false},
		{"file://", false},
	}
	for _, oc := range origins {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = "localhost:1313"
		if oc.origin != "" {
			req.Header.Set("Origin", oc.origin)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if (rec.Code == 200) != oc.ok {
			t.Errorf("Origin %q: status %d, want allowed=%v", oc.origin, rec.Code, oc.ok)
		}
	}
	// Listening on every interface adds this machine's own addresses.
	all := newHostGuard("[::]:1313", nil, nil)
	if addrs, _ := net.InterfaceAddrs(); len(addrs) > 0 {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !all.allows(net.JoinHostPort(n.IP.String(), "1313")) {
				t.Errorf("own address %s refused when listening on every interface", n.IP)
			}
		}
	}
	if all.allows("evil.example") || newHostGuard("192.0.2.7:1313", nil, nil).allows("192.0.2.8") {
		t.Error("a foreign host was allowed")
	}
	if !newHostGuard("192.0.2.7:1313", nil, nil).allows("192.0.2.7:1313") {
		t.Error("the listen address was refused")
	}
}

// readEvents parses a Server-Sent Events stream as a browser does
// (html.spec.whatwg.org, "Interpreting an event stream") and sends each
// event as name and data.
func readEvents(r io.Reader, out chan<- [2]string) {
	sc := bufio.NewScanner(r)
	// Lines end in CRLF, LF or CR.
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		for i, c := range data {
			switch c {
			case '\n':
				return i + 1, data[:i], nil
			case '\r':
				if i+1 < len(data) {
					if data[i+1] == '\n' {
						return i + 2, data[:i], nil
					}
					return i + 1, data[:i], nil
				}
				if atEOF {
					return i + 1, data[:i], nil
				}
				return 0, nil, nil
			}
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	name, data, has := "", "", false
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if has {
				if name == "" {
					name = "message"
				}
				out <- [2]string{name, strings.TrimSuffix(data, "\n")}
			}
			name, data, has = "", "", false
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			name = value
		case "data":
			data += value + "\n"
			has = true
		}
	}
	close(out)
}

// TestEventsCannotBeInjected: data with line breaks of every kind arrives
// as the one event it was sent as, with its lines intact.
func TestEventsCannotBeInjected(t *testing.T) {
	hub := NewHub()
	ts := httptest.NewServer(hub)
	defer ts.Close()
	defer hub.Close()
	resp, err := http.Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan [2]string, 16)
	go readEvents(resp.Body, events)
	waitFor(t, func() bool { return hub.Clients() == 1 })
	sent := []struct{ name, data, want string }{
		{"reload", "content/exempel/a\nevent: errors\ndata: <script>x</script>.md", "content/exempel/a\nevent: errors\ndata: <script>x</script>.md"},
		{"errors", "rad ett\r\nrad två\rrad tre\n\nretry: 1", "rad ett\nrad två\nrad tre\n\nretry: 1"},
		{"css\nevent: reload", "1", "1"},
		{"search", "", ""},
	}
	for _, ev := range sent {
		hub.Broadcast(ev.name, ev.data)
	}
	wantNames := []string{"reload", "errors", "csseventreload", "search"}
	for i, ev := range sent {
		select {
		case got := <-events:
			if got[0] != wantNames[i] || got[1] != ev.want {
				t.Errorf("event %d = %q %q, want %q %q", i, got[0], got[1], wantNames[i], ev.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("event %d never arrived", i)
		}
	}
	select {
	case got := <-events:
		t.Errorf("an extra event arrived: %q", got)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestStreamOutlivesWriteTimeout: the server cuts off slow writers, but
// the live-reload stream stays open past the write timeout and still
// delivers.
func TestStreamOutlivesWriteTimeout(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	s := New(Options{Root: dir})
	defer s.Close()
	old := writeTimeout
	writeTimeout = 100 * time.Millisecond
	srv := s.HTTPServer()
	writeTimeout = old
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Errorf("server without timeouts: %+v", srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	resp, err := http.Get("http://" + ln.Addr().String() + "/__livereload")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan [2]string, 4)
	go readEvents(resp.Body, events)
	waitFor(t, func() bool { return s.Hub().Clients() == 1 })
	time.Sleep(300 * time.Millisecond) // three write timeouts
	s.Hub().Broadcast("reload", "7")
	select {
	case got, ok := <-events:
		if !ok || got != [2]string{"reload", "7"} {
			t.Errorf("got %q (open %v)", got, ok)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stream was cut")
	}
}

// TestEditorAPIOrigin: the web editor's API, which writes files, answers
// only pages of this very server: a rebinding Host, a foreign Origin, a
// missing Origin, another allowed name's Origin and a cross-site fetch all
// get 403; the server's own page gets an answer.
func TestEditorAPIOrigin(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	s := New(Options{Root: dir, Addr: "127.0.0.1:1313"})
	defer s.Close()
	h := s.Handler()
	for _, tc := range []struct {
		name, host, origin, site string
		want                     int
	}{
		{"own page", "127.0.0.1:1313", "http://127.0.0.1:1313", "same-origin", 200},
		{"own page, no Sec-Fetch-Site", "localhost:1313", "http://localhost:1313", "", 200},
		{"rebinding host", "evil.example:1313", "http://evil.example:1313", "same-origin", 403},
		{"foreign origin", "127.0.0.1:1313", "https://evil.example", "cross-site", 403},
		{"foreign origin, same-origin claimed", "127.0.0.1:1313", "http://evil.example", "same-origin", 403},
		{"other allowed name", "127.0.0.1:1313", "http://localhost:1313", "same-site", 403},
		{"other port", "127.0.0.1:1313", "http://127.0.0.1:8080", "", 403},
		{"no origin", "127.0.0.1:1313", "", "", 403},
		{"null origin", "127.0.0.1:1313", "null", "cross-site", 403},
	} {
		req := httptest.NewRequest("POST", "/api/v1", strings.NewReader(`{"action":"info"}`))
		req.Host = tc.host
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", tc.site)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%s: got %d %s; want %d", tc.name, rec.Code, rec.Body, tc.want)
		}
		if tc.want == 200 && !strings.Contains(rec.Body.String(), `"local_fs"`) {
			t.Errorf("%s: %s", tc.name, rec.Body)
		}
	}
}
