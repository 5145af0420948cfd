package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/corpus"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
	"github.com/exempelbanken/portal/builder/search"
)

// TestMain lets the test binary act as the portal command, so the crash
// test can run and kill a real build process. The builds keep what they
// cache (rendered markdown, search entries, CSS) in a cache folder of
// the test run's, not in the user's (XDG_CACHE_HOME, which Linux's
// os.UserCacheDir reads).
func TestMain(m *testing.M) {
	if os.Getenv("PORTAL_TEST_AS_CLI") == "1" {
		os.Exit(Run(os.Args[1:], Env{Stdout: os.Stdout, Stderr: os.Stderr, SearchCLI: search.IndexContext}))
	}
	cache, err := os.MkdirTemp("", "portal-cache-")
	if err == nil {
		os.Setenv("XDG_CACHE_HOME", cache)
	}
	code := m.Run()
	if err == nil {
		os.RemoveAll(cache)
	}
	os.Exit(code)
}

// treeHash hashes every file path and content below dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		h.Write([]byte(rel + "\x00"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// generatedSite writes a generated site of 300 cases with the portal's
// layouts and assets (copied, not linked: a layout outside the site root
// is refused) and returns its root.
func generatedSite(t *testing.T) string {
	t.Helper()
	repo := sitetest.RepoRoot(t)
	site := t.TempDir()
	if err := corpus.FromRepo(site, repo, 300, 7); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"layouts", "assets"} {
		if err := fsutil.CopyTree(filepath.Join(repo, d), filepath.Join(site, d)); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// portal returns the command `portal args...`, run by this test binary.
func portal(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PORTAL_TEST_AS_CLI=1")
	return cmd
}

// TestKilledBuildLeavesOldOrNewSite kills `portal build` with SIGKILL at
// random moments and checks that public/ is always one complete site: the
// one before the build or the one it was building.
func TestKilledBuildLeavesOldOrNewSite(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a generated site several times")
	}
	site := generatedSite(t)
	yaml := filepath.Join(site, "content/site.yaml")
	orig, _ := os.ReadFile(yaml)
	setVersion := func(v string) {
		os.WriteFile(yaml, []byte(strings.Replace(string(orig), "title: Exempelbanken", "title: Version "+v, 1)), 0o644)
	}
	run := func(out string) *exec.Cmd {
		return portal("build", "-root", site, "-out", out, "-search=false")
	}
	// Reference builds of both versions, and how long one takes.
	hashes := map[string]string{}
	var took time.Duration
	for _, v := range []string{"A", "B"} {
		setVersion(v)
		ref := filepath.Join(t.TempDir(), "ref")
		start := time.Now()
		if out, err := run(ref).CombinedOutput(); err != nil {
			t.Fatalf("reference build %s: %v\n%s", v, err, out)
		}
		took = time.Since(start)
		hashes[treeHash(t, ref)] = v
	}
	pub := filepath.Join(site, "public")
	setVersion("A")
	if out, err := run(pub).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	seed := uint64(time.Now().UnixNano())
	r := rand.New(rand.NewPCG(seed, 1))
	t.Logf("build takes %v; seed %d", took, seed)
	completed, killed := 0, 0
	published := "A"
	// At least 8 rounds, and more (up to 24) until 3 builds were killed:
	// other tests running beside this one make build times vary, and a
	// build that finished before its kill proves less.
	for i := 0; i < 24 && (i < 8 || killed < 3); i++ {
		v := map[string]string{"A": "B", "B": "A"}[published]
		setVersion(v)
		cmd := run(pub)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(r.Int64N(int64(took) * 11 / 10))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if err == nil {
			took = min(took, time.Since(start)) // builds got faster: kill sooner
		}
		got, ok := hashes[treeHash(t, pub)]
		if _, err := os.Stat(pub); !ok && err != nil && !output.AtomicExchange {
			// Killed between the two renames of the fallback swap: the
			// next build puts the old site back before anything else.
			if d, err := output.NewDisk(pub); err == nil {
				d.Abort()
			}
			got, ok = hashes[treeHash(t, pub)]
			t.Logf("a kill at %v fell between the two renames; the old site was put back", delay)
		}
		if !ok {
			t.Fatalf("after a kill at %v public/ is neither the old nor the new site", delay)
		}
		if err == nil {
			completed++
			if got != v {
				t.Fatalf("a completed build left version %s, want %s", got, v)
			}
		} else {
			killed++
		}
		published = got
	}
	t.Logf("%d builds killed, %d completed", killed, completed)
	if killed == 0 {
		t.Error("no build was killed; the test proved nothing")
	}
}

// TestPreviousSiteReused: `portal build` keeps the previous site beside
// public/ and the next build overwrites its files in place (the same
// inodes) instead of creating and deleting thousands of files; no build
// folder is left behind.
func TestPreviousSiteReused(t *testing.T) {
	t.Parallel()
	root := sitetest.RepoRoot(t)
	site := t.TempDir()
	sitetest.Write(t, site, "")
	pub := filepath.Join(site, "public")
	var inodes []uint64
	for i := 0; i < 3; i++ {
		cmd := portal("build", "-root", site, "-out", pub, "-search=false")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build %d: %v\n%s", i, err, out)
		}
		page := filepath.Join(pub, "exempel", "minimili", "index.html")
		if _, err := os.Stat(page); err != nil {
			t.Fatalf("build %d: no site: %v", i, err)
		}
		inodes = append(inodes, sitetest.Inode(t, page))
	}
	if inodes[2] != inodes[0] {
		t.Errorf("the third build did not overwrite the first build's files (inodes %v)", inodes)
	}
	entries, _ := os.ReadDir(site)
	for _, e := range entries {
		if strings.Contains(e.Name(), "-bygge-") {
			t.Errorf("build folder %s left behind", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(site, ".public-reserv", "exempel", "minimili", "index.html")); err != nil {
		t.Errorf("no previous site kept beside public/: %v", err)
	}
}
