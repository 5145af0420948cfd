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

	// Found in node_modules of a parent folder.
	if p, err := FindTool("TEST_TOOL_BINARY", []string{"verktyg-*/bin/verktyg"}, "finns-inte-i-path", notFound, sub); err != nil || p != bin {
		t.Errorf("node_modules: %q %v", p, err)
	}
	// The environment variable wins, and a wrong one is an error naming it.
	t.Setenv("TEST_TOOL_BINARY", "/finns/inte")
	if _, err := FindTool("TEST_TOOL_BINARY", nil, "x", notFound); err == nil || !strings.Contains(err.Error(), "TEST_TOOL_BINARY=/finns/inte") {
		t.Errorf("env: %v", err)
	}
	t.Setenv("TEST_TOOL_BINARY", "")
	if _, err := FindTool("TEST_TOOL_BINARY", []string{"nope/*"}, "finns-inte-i-path", notFound, t.TempDir()); err != notFound {
		t.Errorf("missing: %v", err)
	}
	if !strings.Contains(ErrNoSass.Error(), "make") {
		t.Error("the Sass error does not say how to install it")
	}
}

func TestFingerprint(t *testing.T) {
	a, b := Fingerprint("css/main.css", []byte("a")), Fingerprint("css/main.css", []byte("b"))
	if a == b || !strings.HasPrefix(a, "css/main.") || !strings.HasSuffix(a, ".css") || len(a) != len("css/main.0123456789.css") {
		t.Errorf("%s %s", a, b)
	}
}
