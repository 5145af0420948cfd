package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

// TestBuildAfterBuildMatchesFreshBuild: a build that keeps what it can
// from the builds before (rendered markdown, search terms, pages not
// rendered again, files not written again, search entries) publishes,
// after each edit, byte for byte the site a build with nothing kept
// does: after a body edit, a front-matter edit, and files of public/ and
// of its spare changed or added by hand.
func TestBuildAfterBuildMatchesFreshBuild(t *testing.T) {
	repo := sitetest.RepoRoot(t)
	site := t.TempDir()
	for _, d := range []string{"content", "layouts", "assets"} {
		if err := fsutil.CopyTree(filepath.Join(repo, d), filepath.Join(site, d)); err != nil {
			t.Fatal(err)
		}
	}
	pub := filepath.Join(t.TempDir(), "public")
	cache := t.TempDir()
	keptRe := regexp.MustCompile(`sidor som inte ändrats \(renderades inte\) +([0-9  ]+)`)
	build := func(step string) (kept int) {
		t.Helper()
		t.Setenv("XDG_CACHE_HOME", cache)
		code, out, errs := run(t, "build", "-root", site, "-out", pub, "-v")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", step, code, errs)
		}
		if m := keptRe.FindStringSubmatch(out); m != nil {
			for _, r := range m[1] {
				if r >= '0' && r <= '9' {
					kept = kept*10 + int(r-'0')
				}
			}
		}
		t.Setenv("XDG_CACHE_HOME", t.TempDir())
		fresh := filepath.Join(t.TempDir(), "public")
		if code, _, errs := run(t, "build", "-root", site, "-out", fresh); code != 0 {
			t.Fatalf("%s: fresh build: exit %d: %s", step, code, errs)
		}
		if got, want := treeHash(t, pub), treeHash(t, fresh); got != want {
			t.Errorf("%s: public/ differs from a fresh build", step)
		}
		return kept
	}
	edit := func(name, old, new string) {
		t.Helper()
		p := filepath.Join(site, name)
		b, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %q", name, old)
		}
		os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
	}
	if n := build("first build"); n != 0 {
		t.Errorf("first build: %d pages kept", n)
	}
	all := build("again")
	if all < 100 {
		t.Fatalf("again: only %d pages kept", all)
	}
	if n := build("and again (into the spare)"); n != all {
		t.Errorf("and again: %d pages kept, want %d", n, all)
	}
	edit("content/exempel/autismgruppen.md", "Källan säger inget om", "Källan säger ingenting om")
	if n := build("one body edited"); n >= all || n < all-5 {
		t.Errorf("one body edited: %d pages kept, want a few less than %d", n, all)
	}
	edit("content/exempel/autismgruppen.md", "status: pågående", "status: avslutad")
	build("a case's status edited")
	// Pages changed by hand in the published site and in the spare.
	for _, p := range []string{filepath.Join(pub, "begrepp", "index.html"), filepath.Join(filepath.Dir(pub), ".public-reserv", "index.html"),
		filepath.Join(pub, "data", "exempel.csv"), filepath.Join(filepath.Dir(pub), ".public-reserv", "exempel", "atom.xml")} {
		tamper(t, p, "<p>ändrad för hand</p>")
	}
	build("files changed by hand")
	build("and again")
	// Files added by hand to folders of the published site and of the
	// spare, which the build reads only when their stamps changed.
	for _, p := range []string{filepath.Join(pub, "exempel", "extra.html"), filepath.Join(filepath.Dir(pub), ".public-reserv", "begrepp", "extra.html")} {
		tamper(t, p, "<p>lagd dit för hand</p>")
	}
	build("files added by hand")
	build("and again")
}

// tamper replaces the file at p with s, as an editor would.
func tamper(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
