package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// descendants lists the processes (pid: command line) whose environment
// holds tag, that is the children of a build started with it, wherever
// they were reparented to.
func descendants(tag string) map[int]string {
	out := map[int]string{}
	procs, _ := filepath.Glob("/proc/[0-9]*")
	for _, p := range procs {
		env, err := os.ReadFile(p + "/environ")
		if err != nil || !bytes.Contains(env, []byte(tag)) {
			continue
		}
		cmd, _ := os.ReadFile(p + "/cmdline")
		var pid int
		fmt.Sscan(filepath.Base(p), &pid)
		out[pid] = strings.Join(strings.Split(strings.TrimRight(string(cmd), "\x00"), "\x00"), " ")
	}
	return out
}

// TestChildrenDieWithBuild kills `portal build` with SIGKILL while Dart
// Sass compiles the stylesheets and while the search indexer runs, and
// checks that no child outlives it: a kill loop used to pile up orphaned
// indexers. The indexer is a stand-in that would run for a minute (a
// real Pagefind finishes a small site before an orphan could be told
// from a child that is done).
func TestChildrenDieWithBuild(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a generated site with its search index")
	}
	if _, err := assets.FindDartSass(sitetest.RepoRoot(t)); err != nil {
		t.Fatal(err) // the test watches Dart Sass run; say now that it cannot
	}
	site := generatedSite(t)
	slow := filepath.Join(t.TempDir(), "pagefind")
	if err := os.WriteFile(slow, []byte("#!/bin/sh\nexec sleep 61\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	rounds := []struct {
		child string
		sig   syscall.Signal
	}{{"sass.snapshot", syscall.SIGKILL}, {"sleep 61", syscall.SIGKILL}, {"sleep 61", syscall.SIGTERM}, {"sleep 61", syscall.SIGINT}, {"sass.snapshot", syscall.SIGTERM}}
	for round, r := range rounds {
		child := r.child
		tag := fmt.Sprintf("PORTAL_BARNTEST=%d", rand.Uint64())
		// -pagefind-cli: the build runs Pagefind as a child process.
		cmd := portal("build", "-root", site, "-pagefind-cli")
		// An empty cache, so that Dart Sass compiles the stylesheets.
		cmd.Env = append(cmd.Env, tag, "XDG_CACHE_HOME="+t.TempDir(), "PAGEFIND_BINARY="+slow)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child runs, then kill the build.
		var seen map[int]string
		deadline := time.Now().Add(60 * time.Second)
		for {
			seen = descendants(tag)
			delete(seen, cmd.Process.Pid)
			if strings.Contains(fmt.Sprint(seen), child) {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("%s never ran: %s", child, out.String())
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(r.sig)
		err := cmd.Wait()
		if r.sig != syscall.SIGKILL {
			// Stopped cleanly: status 130 and a word on what happened.
			if cmd.ProcessState.ExitCode() != ExitInterrupted || !strings.Contains(out.String(), "avbrutet; public/ är orört") {
				t.Errorf("round %d: %v gave %v, want exit status %d and a message:\n%s", round, r.sig, err, ExitInterrupted, out.String())
			}
		}
		var left map[int]string
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if left = descendants(tag); len(left) == 0 {
				break
			}
		}
		if len(left) > 0 {
			for pid := range left {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("round %d: children %v outlived the killed build (running when it was killed: %v)", round, left, seen)
		}
		t.Logf("round %d: the build got %v while %d children ran; none outlived it", round, r.sig, len(seen))
	}
}
