package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

func openFDs() int {
	entries, _ := os.ReadDir("/proc/self/fd")
	return len(entries)
}

// TestLoad: 200 concurrent clients, half fetching pages and half holding
// live-reload connections, plus one client that never reads, while files
// are saved; bounded in time, loopback only. No request may fail, the slow
// client may not stall the others, and goroutines and file descriptors
// return to their baseline afterwards.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	s := New(Options{Root: dir, Debounce: 20 * time.Millisecond})
	ts := httptest.NewServer(s.Handler())
	stop := make(chan struct{})
	watchDone := make(chan struct{})
	go func() { s.Watch(stop); close(watchDone) }()
	time.Sleep(50 * time.Millisecond)
	http.Get(ts.URL + "/") // warm up
	baseG, baseFD := runtime.NumGoroutine(), openFDs()

	const duration = 3 * time.Second
	deadline := time.Now().Add(duration)
	tr := &http.Transport{MaxIdleConnsPerHost: 200}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var failures, requests, events atomic.Int64
	var wg sync.WaitGroup

	// A client that connects to /__livereload and never reads.
	slow, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(slow, "GET /__livereload HTTP/1.1\r\nHost: x\r\n\r\n")

	pages := []string{"/", "/exempel/", "/exempel/fotosyntes/", "/exempel/minimili/", "/begrepp/", "/kommun/ale/", "/finns-inte/", "/css/main.css"}
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				p := pages[(i+n)%len(pages)]
				resp, err := client.Get(ts.URL + p)
				if err != nil {
					failures.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				want := 200
				if p == "/finns-inte/" {
					want = 404
				}
				if resp.StatusCode != want {
					failures.Add(1)
				}
				requests.Add(1)
			}
		}(i)
	}
	sseClient := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", ts.URL+"/__livereload", nil)
			resp, err := sseClient.Do(req)
			if err != nil {
				failures.Add(1)
				return
			}
			defer resp.Body.Close()
			go func() { time.Sleep(time.Until(deadline)); resp.Body.Close() }()
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: reload") {
					events.Add(1)
				}
			}
		}()
	}
	// Saves while under load.
	saves := 0
	mm := read(t, dir, "content/exempel/minimili.md")
	for time.Now().Before(deadline.Add(-300 * time.Millisecond)) {
		saves++
		save(t, dir, "content/exempel/minimili.md", strings.Replace(mm, "Förebygger missbruk", fmt.Sprintf("Version %d förebygger missbruk", saves), 1))
		time.Sleep(150 * time.Millisecond)
	}
	wg.Wait()
	slow.Close()
	tr.CloseIdleConnections()
	sseClient.CloseIdleConnections()
	close(stop)
	<-watchDone

	if failures.Load() > 0 {
		t.Errorf("%d failed requests out of %d", failures.Load(), requests.Load())
	}
	if requests.Load() < 500 {
		t.Errorf("only %d requests served in %v: the server stalled", requests.Load(), duration)
	}
	if events.Load() < 100 {
		t.Errorf("only %d reload events reached 100 live clients over %d saves", events.Load(), saves)
	}
	// Goroutines and descriptors settle back to the baseline.
	waitFor(t, func() bool { return runtime.NumGoroutine() <= baseG+5 && openFDs() <= baseFD+5 })
	t.Logf("%d requests, %d reload events over %d saves; goroutines %d→%d, fds %d→%d",
		requests.Load(), events.Load(), saves, baseG, runtime.NumGoroutine(), baseFD, openFDs())
	s.Close()
	ts.Close()
}
