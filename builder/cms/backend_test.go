package cms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/internal/fsutil"
	yaml "go.yaml.in/yaml/v3"
)

// realSite copies the portal's own content into a temporary site root.
func realSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := fsutil.CopyTree(filepath.Join("..", "..", "content"), filepath.Join(root, "content")); err != nil {
		t.Fatal(err)
	}
	return root
}

// call posts one protocol request and decodes the answer into out (when
// not nil); it returns the status and the raw answer.
func call(t *testing.T, b *Backend, action string, params any, out any) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"action": action, "params": params})
	rec := httptest.NewRecorder()
	b.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, APIPath, bytes.NewReader(body)))
	if out != nil && rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s: %v: %s", action, err, rec.Body)
		}
	}
	return rec.Code, rec.Body.String()
}

// TestRoundTrip loads every case, term and page through the protocol and
// saves it back, as the editor does when someone opens a document and
// presses Publicera without changing anything: every file stays
// byte-identical, and the site still validates. A save of the front
// matter rewritten by another YAML writer (as Decap writes it) is also
// kept as it was, since it says the same.
func TestRoundTrip(t *testing.T) {
	root := realSite(t)
	b := &Backend{Root: root}
	for _, folder := range entryFolders {
		var entries []Entry
		if code, body := call(t, b, "entriesByFolder", map[string]any{"folder": folder, "extension": "md", "depth": 1}, &entries); code != 200 {
			t.Fatalf("entriesByFolder %s: %d %s", folder, code, body)
		}
		if len(entries) == 0 {
			t.Fatalf("%s: no entries", folder)
		}
		for _, e := range entries {
			before, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(e.File.Path)))
			if err != nil {
				t.Fatal(err)
			}
			for _, raw := range []string{*e.Data, rewritten(t, e.File.Path, *e.Data)} {
				code, body := call(t, b, "persistEntry", map[string]any{"entry": map[string]any{"path": e.File.Path, "raw": raw}, "assets": []any{}}, nil)
				if code != 200 {
					t.Fatalf("%s: persistEntry: %d %s", e.File.Path, code, body)
				}
				after, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(e.File.Path)))
				if !bytes.Equal(before, after) {
					t.Fatalf("%s changed on a save without changes:\n%s", e.File.Path, after)
				}
			}
		}
	}
	if _, err := content.Load(root); err != nil {
		t.Fatalf("the site no longer validates: %v", err)
	}
}

// rewritten returns the document with its front matter decoded and
// encoded again (other key order, quoting and list style).
func rewritten(t *testing.T, file, raw string) string {
	fm, body, err := content.SplitFile(file, []byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := decodeDoc(file, []byte(raw))
	_ = fm
	out, err := yamlMarshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return "---\n" + string(out) + "---\n" + string(body) + "\n"
}

func TestEditorSeesLists(t *testing.T) {
	raw := "---\ntitle: X\nmunicipality: Ale # kommunen\ntarget_group: Äldre\nstatus: okänd\n---\nText\n"
	got := string(forEditor("content/exempel/x.md", []byte(raw)))
	for _, want := range []string{"municipality:\n    - Ale", "target_group:\n    - Äldre", "status: okänd", "---\nText\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("forEditor: missing %q in\n%s", want, got)
		}
	}
	if !sameDocument("content/exempel/x.md", []byte(raw), []byte(got)) {
		t.Error("the editor's version does not say the same as the file")
	}
	if sameDocument("content/exempel/x.md", []byte(raw), []byte(strings.Replace(got, "Ale", "Alingsås", 1))) {
		t.Error("a changed municipality counts as unchanged")
	}
}

const newCase = `---
title: Ett nytt exempel
summary: Ett exempel som redigeraren skapar.
municipality:
  - Ale
target_group:
  - Äldre
investment_model:
  - Social investeringsfond
status: okänd
date: 2026-12-01
%s---
Text.
`

// TestSaveIsValidated: a save that portal check would reject is refused
// with the validator's Swedish message, and nothing is written; a valid
// one is written and reported.
func TestSaveIsValidated(t *testing.T) {
	root := realSite(t)
	var saved []string
	b := &Backend{Root: root, Saved: func(files []string) { saved = append(saved, files...) }}
	for _, tc := range []struct{ name, extra, want string }{
		{"future status date", "status_as_of: 2099\n", "status_as_of: 2099 ligger i framtiden"},
		{"unknown source", "sources:\n  - source: ale-smt-2041\n", `okänd källa "ale-smt-2041"`},
		{"repaid over cost", "cost_sek: 10\nrepaid_sek: 20\n", "repaid_sek (20 kr) är större än cost_sek (10 kr)"},
		{"unknown case type", "case_type: Insatts\n", `case_type: okänt värde "Insatts" (menade du "Insats"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := "content/exempel/ett-nytt-exempel.md"
			code, body := call(t, b, "persistEntry", map[string]any{"entry": map[string]any{"path": p, "raw": fmt.Sprintf(newCase, tc.extra)}, "assets": []any{}}, nil)
			var e struct{ Error string }
			_ = json.Unmarshal([]byte(body), &e)
			body = e.Error
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Sparades inte") || !strings.Contains(body, tc.want) {
				t.Fatalf("got %d %s; want 422 with %q", code, body, tc.want)
			}
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); !os.IsNotExist(err) {
				t.Fatalf("an invalid case was written (%v)", err)
			}
		})
	}
	if len(saved) != 0 {
		t.Fatalf("Saved called for refused saves: %v", saved)
	}
	p := "content/exempel/ett-nytt-exempel.md"
	if code, body := call(t, b, "persistEntry", map[string]any{"entry": map[string]any{"path": p, "raw": fmt.Sprintf(newCase, "")}, "assets": []any{}}, nil); code != 200 {
		t.Fatalf("a valid case was refused: %d %s", code, body)
	}
	if len(saved) != 1 || saved[0] != p {
		t.Fatalf("Saved got %v", saved)
	}
	s, err := content.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range s.Cases {
		found = found || c.Slug == "ett-nytt-exempel"
	}
	if !found {
		t.Fatal("the saved case is not in the site")
	}
}

// TestConfinement: the API reads and writes only below content/, never
// through a symbolic link, and refuses traversal in every form.
func TestConfinement(t *testing.T) {
	root := realSite(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "hemlig.md")
	if err := os.WriteFile(secret, []byte("hemligt"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		if err := os.Symlink(secret, filepath.Join(root, "content", "exempel", "lank.md")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(root, "content", "media")); err != nil {
			t.Fatal(err)
		}
	}
	b := &Backend{Root: root}
	bad := []string{"../hemlig.md", "content/../../hemlig.md", "content/exempel/../../../x.md", "/etc/passwd",
		`content\exempel\x.md`, "layouts/base.html", "content", "", "content/exempel/x.md\x00.png", "C:/x.md", secret}
	if symlinks {
		bad = append(bad, "content/exempel/lank.md", "content/media/hemlig.md", "content/media/ny.png")
	}
	for _, p := range bad {
		for _, req := range []struct {
			action string
			params any
		}{
			{"getEntry", map[string]any{"path": p}},
			{"getMediaFile", map[string]any{"path": p}},
			{"persistEntry", map[string]any{"entry": map[string]any{"path": p, "raw": fmt.Sprintf(newCase, "")}, "assets": []any{}}},
			{"persistMedia", map[string]any{"asset": map[string]any{"path": p, "content": "aGVq", "encoding": "base64"}}},
			{"deleteFile", map[string]any{"path": p}},
		} {
			code, body := call(t, b, req.action, req.params, nil)
			if code != http.StatusForbidden && code != http.StatusNotFound {
				t.Errorf("%s %q: got %d %s; want 403", req.action, p, code, body)
			}
		}
	}
	if got, _ := os.ReadFile(secret); string(got) != "hemligt" {
		t.Fatalf("the file outside the site was changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(outside, "ny.png")); !os.IsNotExist(err) {
		t.Fatal("a file was written through a symlinked folder")
	}
	var media []MediaFile
	if code, _ := call(t, b, "getMedia", map[string]any{"mediaFolder": "content/media"}, &media); symlinks && code != http.StatusForbidden {
		t.Errorf("getMedia through a symlinked folder: %d", code)
	}
	// Writing a page somewhere else in content/ is refused too.
	code, _ := call(t, b, "persistEntry", map[string]any{"entry": map[string]any{"path": "content/site.yaml", "raw": "title: x\n"}, "assets": []any{}}, nil)
	if code != http.StatusForbidden {
		t.Errorf("persistEntry content/site.yaml: %d; want 403", code)
	}
}

// TestAtomicWriteUnderKill kills a process that keeps replacing a file
// and checks that the file is always one whole version, never a part.
func TestAtomicWriteUnderKill(t *testing.T) {
	if dir := os.Getenv("CMS_ATOMIC_CHILD"); dir != "" {
		name := filepath.Join(dir, "fil.md")
		for i := 0; ; i++ {
			data := bytes.Repeat([]byte{byte('a' + i%2)}, 4<<20)
			if err := atomicWrite(name, data); err != nil {
				os.Exit(3)
			}
		}
	}
	if testing.Short() {
		t.Skip("kills child processes")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "fil.md")
	if err := os.WriteFile(name, bytes.Repeat([]byte("b"), 4<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAtomicWriteUnderKill$")
		cmd.Env = append(os.Environ(), "CMS_ATOMIC_CHILD="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+round*70) * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) != 4<<20 || bytes.Count(data, data[:1]) != len(data) {
			t.Fatalf("round %d: the file is not one whole version (%d bytes)", round, len(data))
		}
	}
}

func yamlMarshal(v any) ([]byte, error) { return yaml.Marshal(v) }
