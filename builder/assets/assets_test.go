package assets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindTool(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "node_modules", "verktyg-linux", "bin", "verktyg")
	os.MkdirAll(filepath.Dir(bin), 0o755)
	os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755)
	sub := filepath.Join(dir, "a", "b")
	os.MkdirAll(sub, 0o755)
	notFound := errors.New("saknas")
	tool := Tool{Env: "TEST_TOOL_BINARY", Beside: []string{"verktyg/bin/verktyg"}, NodeModules: []string{"verktyg-*/bin/verktyg"},
		Path: "finns-inte-i-path", NotFound: notFound}
	exeDir := t.TempDir()
	executable = func() (string, error) { return filepath.Join(exeDir, "portal"), nil }
	defer func() { executable = os.Executable }()

	// Found in node_modules of a parent folder.
	if p, err := tool.Find(sub); err != nil || p != bin {
		t.Errorf("node_modules: %q %v", p, err)
	}
	// Beside the portal executable, before node_modules; a file that
	// cannot be run does not count.
	beside := filepath.Join(exeDir, "verktyg", "bin", "verktyg")
	os.MkdirAll(filepath.Dir(beside), 0o755)
	os.WriteFile(beside, []byte("#!/bin/sh\n"), 0o644)
	if p, _ := tool.Find(sub); p != bin {
		t.Errorf("a file without the execute bit was taken: %q", p)
	}
	os.Chmod(beside, 0o755)
	if p, err := tool.Find(sub); err != nil || p != beside {
		t.Errorf("beside the executable: %q %v, want %q", p, err, beside)
	}
	// The environment variable wins, and a wrong one is an error naming it.
	t.Setenv("TEST_TOOL_BINARY", "/finns/inte")
	if _, err := tool.Find(sub); err == nil || !strings.Contains(err.Error(), "TEST_TOOL_BINARY=/finns/inte") {
		t.Errorf("env: %v", err)
	}
	t.Setenv("TEST_TOOL_BINARY", "")
	os.Remove(beside)
	if _, err := tool.Find(t.TempDir()); err != notFound {
		t.Errorf("missing: %v", err)
	}
	if !strings.Contains(ErrNoSass.Error(), "make") || !strings.Contains(ErrNoSass.Error(), "bredvid programmet portal") {
		t.Error("the Sass error does not say how to install it")
	}
}

func TestFingerprint(t *testing.T) {
	a, b := Fingerprint("css/main.css", []byte("a")), Fingerprint("css/main.css", []byte("b"))
	if a == b || !strings.HasPrefix(a, "css/main.") || !strings.HasSuffix(a, ".css") || len(a) != len("css/main.0123456789.css") {
		t.Errorf("%s %s", a, b)
	}
}
