package corpus

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
)

func TestGenerateIsValidAndDeterministic(t *testing.T) {
	root := sitetest.RepoRoot(t)
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := FromRepo(d, root, 60, 42); err != nil {
			t.Fatal(err)
		}
	}
	s, err := content.Load(a)
	if err != nil {
		t.Fatalf("generated site does not validate:\n%v", err)
	}
	if len(s.Cases) != 60 {
		t.Errorf("%d cases", len(s.Cases))
	}
	files, _ := filepath.Glob(filepath.Join(a, "content", "exempel", "*.md"))
	for _, f := range files {
		x, _ := os.ReadFile(f)
		y, err := os.ReadFile(filepath.Join(b, "content", "exempel", filepath.Base(f)))
		if err != nil || string(x) != string(y) {
			t.Fatalf("%s differs between two runs with the same seed", filepath.Base(f))
		}
	}
}
