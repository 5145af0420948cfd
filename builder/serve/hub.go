package serve

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Hub fans live-reload events out to connected browsers over Server-Sent
// Events. It owns the client set; a client that does not keep up is dropped
// rather than allowed to stall the others.
type Hub struct {
	mu      sync.Mutex
	clients map[chan event]struct{}
	closed  bool
}

type event struct {
	name, data string
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{clients: map[chan event]struct{}{}} }

// Broadcast sends an event to every client without blocking.
func (h *Hub) Broadcast(name, data string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- event{name, data}:
		default: // a slow client: drop it; its browser reconnects
			delete(h.clients, c)
			close(c)
		}
	}
}

// Clients reports the number of connected clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Close disconnects every client.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		delete(h.clients, c)
		close(c)
	}
}

func (h *Hub) register() (chan event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	c := make(chan event, 8)
	h.clients[c] = struct{}{}
	return c, true
}

func (h *Hub) unregister(c chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c)
	}
}

// ServeHTTP streams events to one browser until it goes away.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "strömning stöds inte", http.StatusInternalServerError)
		return
	}
	c, ok := h.register()
	if !ok {
		http.Error(w, "servern stängs", http.StatusServiceUnavailable)
		return
	}
	defer h.unregister(c)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // the stream outlives the server's WriteTimeout
	fmt.Fprint(w, "retry: 500\n\n")
	fl.Flush()
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-c:
			if !ok {
				return
			}
			rc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(w, formatEvent(ev)); err != nil {
				return
			}
			fl.Flush()
		case <-ping.C:
			rc.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }

// formatEvent writes ev as one Server-Sent Event. A line break of any kind
// (LF, CR, CRLF) in the data starts a new "data:" line, which the browser
// joins back with LF, so that no text (a file name with a line break in
// it, say) can end the event or add fields of its own. Names are the
// server's own words; anything else in them is dropped.
func formatEvent(ev event) string {
	var b strings.Builder
	b.WriteString("event: ")
	for _, r := range ev.name {
		if r >= 'a' && r <= 'z' || r == '-' {
			b.WriteRune(r)
		}
	}
	b.WriteString("\n")
	data := strings.ReplaceAll(strings.ReplaceAll(ev.data, "\r\n", "\n"), "\r", "\n")
	for _, line := range strings.Split(data, "\n") {
		b.WriteString("data: ")
		b.WriteString(line)
		b.WriteString("\n")
	}
	b.WriteString("\n")
	return b.String()
}
