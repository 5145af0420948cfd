package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

// TestOutRefused: `portal build -out` replaces only a folder that it made.
// Each place it must not write is refused with exit status 2 and a message
// naming the folder, and nothing of the user's is moved or deleted.
func TestOutRefused(t *testing.T) {
	base := t.TempDir()
	home := filepath.Join(base, "hem")
	root := filepath.Join(home, "sajt")
	sitetest.Write(t, root, "")
	writeFile(t, filepath.Join(root, "dokument/rapport.txt"), "mitt arbete")
	writeFile(t, filepath.Join(root, "gammal-public/index.html"), "en webbplats utan markering")
	t.Setenv("HOME", home)
	tests := []struct {
		name, out, want string
	}{
		{"a folder of the user's", filepath.Join(root, "dokument"), "mappen har innehåll som portal build inte har skrivit (filen .exempelbanken-utdata saknas); inget flyttades eller raderades"},
		{"an unmarked old site", filepath.Join(root, "gammal-public"), "ta bort mappen om den är en webbplats som en äldre version av portal byggde"},
		{"the site root", root, "är webbplatsens rot"},
		{"content", filepath.Join(root, "content"), "ligger i webbplatsens content/, som bygget läser"},
		{"a folder in content", filepath.Join(root, "content/public"), "ligger i webbplatsens content/"},
		{"layouts", filepath.Join(root, "layouts"), "ligger i webbplatsens layouts/"},
		{"assets", filepath.Join(root, "assets"), "ligger i webbplatsens assets/"},
		{"the home folder", home, "är din hemmapp"},
		{"above the home folder", base, "innehåller din hemmapp"},
		{"the filesystem root", "/", "är filsystemets rot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := treeHash(t, base)
			code, _, stderr := run(t, "build", "-root", root, "-out", tt.out, "-search=false")
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitUsage, stderr)
			}
			if !strings.HasPrefix(stderr, "portal build: -out "+tt.out+": ") || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not name the folder and say %q:\n%s", tt.want, stderr)
			}
			t.Logf("%s", strings.TrimSpace(stderr))
			if treeHash(t, base) != before {
				t.Error("a refused build changed files")
			}
		})
	}
	// The default, ROOT/public, and a folder the portal made are fine.
	for i := 0; i < 2; i++ {
		if code, _, stderr := run(t, "build", "-root", root, "-search=false"); code != ExitOK {
			t.Fatalf("build %d into public/: exit %d\n%s", i, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "public", output.Marker)); err != nil {
		t.Errorf("public/ lacks the marker: %v", err)
	}
}

// TestConcurrentBuilds: a second `portal build` of the same folder while
// one runs waits for it, says so, and publishes a complete site; neither
// fails.
func TestConcurrentBuilds(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a generated site three times")
	}
	site := generatedSite(t)
	start := func(out string) (*exec.Cmd, *bytes.Buffer) {
		cmd := portal("build", "-root", site, "-out", out, "-search=false")
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &b
	}
	ref := filepath.Join(t.TempDir(), "ref")
	if cmd, out := start(ref); cmd.Wait() != nil {
		t.Fatalf("reference build: %s", out)
	}
	want := treeHash(t, ref)

	pub := filepath.Join(site, "public")
	first, out1 := start(pub)
	// Once the first build has made its folder, it holds the lock.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(site, ".public-bygge-*")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first build made no folder: %s", out1)
		}
		time.Sleep(time.Millisecond)
	}
	second, out2 := start(pub)
	err1, err2 := first.Wait(), second.Wait()
	if err1 != nil || err2 != nil {
		t.Fatalf("first: %v\n%s\nsecond: %v\n%s", err1, out1, err2, out2)
	}
	if !strings.Contains(out2.String(), "Väntar: en annan byggprocess skriver redan till "+pub) {
		t.Errorf("the second build did not say it waited:\n%s", out2)
	}
	t.Logf("second build: %s", strings.SplitN(out2.String(), "\n", 2)[0])
	if got := treeHash(t, pub); got != want {
		t.Errorf("public/ after two concurrent builds differs from a single build")
	}
}
