package cms

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/exempelbanken/portal/builder/content"
	"github.com/exempelbanken/portal/builder/diag"
)

// MaxRequest is the largest request the backend reads: a media file of
// 16 MB in base64, with room for the JSON around it.
const MaxRequest = 24 << 20

// entryFolders are the folders whose markdown files are validated before
// a save; media goes to MediaFolder.
var entryFolders = []string{"content/exempel", "content/begrepp", "content/sidor"}

// Backend answers Decap CMS's local-backend protocol (POST /api/v1 with a
// JSON {action, params}) over the site below Root. It reads and writes
// only below content/ (the collections' folders and MediaFolder), never
// through a symbolic link; every write is atomic (a temporary file in the
// same folder, then a rename); and a markdown file is written only if
// content.Load accepts the site with it: otherwise the request fails with
// the validator's Swedish messages, as {"error": "..."}, and nothing on
// disk changes.
//
// Backend does not check Host or Origin: wrap it in SameOrigin (and the
// preview server's host guard).
type Backend struct {
	// Root is the site root (holding content/).
	Root string
	// Saved is called with the slash paths of the files a request wrote
	// or deleted, after they are on disk (the preview server rebuilds at
	// once instead of waiting for its watcher). It may be nil.
	Saved func(files []string)
}

type request struct {
	Action string          `json:"action"`
	Params json.RawMessage `json:"params"`
}

// apiError is an error the editor shows: a message in Swedish and an
// HTTP status.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// ServeHTTP implements the protocol.
func (b *Backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "bara POST"})
		return
	}
	var req request
	dec := json.NewDecoder(io.LimitReader(r.Body, MaxRequest+1))
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "ogiltig begäran: " + err.Error()})
		return
	}
	res, err := b.do(req)
	if err != nil {
		status := http.StatusInternalServerError
		var ae *apiError
		if errors.As(err, &ae) {
			status = ae.status
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Entry is a file as the protocol sends it.
type Entry struct {
	Data *string   `json:"data"`
	File entryFile `json:"file"`
}

type entryFile struct {
	Path  string  `json:"path"`
	Label string  `json:"label,omitempty"`
	ID    *string `json:"id"`
}

// MediaFile is a media file as the protocol sends it.
type MediaFile struct {
	ID       string `json:"id"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
	Path     string `json:"path"`
	Name     string `json:"name"`
}

// DataFile is a file to write, as persistEntry sends it.
type DataFile struct {
	Path    string `json:"path"`
	Raw     string `json:"raw"`
	NewPath string `json:"newPath,omitempty"`
}

// Asset is a media file to write, as persistEntry and persistMedia send it.
type Asset struct {
	Path     string `json:"path"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
}

func (b *Backend) do(req request) (any, error) {
	var p struct {
		Folder      string     `json:"folder"`
		Extension   string     `json:"extension"`
		Depth       int        `json:"depth"`
		Files       []entryRef `json:"files"`
		Path        string     `json:"path"`
		Paths       []string   `json:"paths"`
		MediaFolder string     `json:"mediaFolder"`
		Entry       *DataFile  `json:"entry"`
		DataFiles   []DataFile `json:"dataFiles"`
		Assets      []Asset    `json:"assets"`
		Asset       *Asset     `json:"asset"`
	}
	if len(req.Params) > 0 && string(req.Params) != "null" {
		if err := json.Unmarshal(req.Params, &p); err != nil {
			return nil, badRequest("ogiltiga parametrar: %v", err)
		}
	}
	switch req.Action {
	case "info":
		return map[string]any{"repo": filepath.Base(absOr(b.Root)), "publish_modes": []string{"simple"}, "type": "local_fs"}, nil
	case "entriesByFolder":
		files, err := b.list(p.Folder, p.Extension, max(p.Depth, 1))
		if err != nil {
			return nil, err
		}
		refs := make([]entryRef, len(files))
		for i, f := range files {
			refs[i] = entryRef{Path: f}
		}
		return b.entries(refs)
	case "entriesByFiles":
		return b.entries(p.Files)
	case "getEntry":
		es, err := b.entries([]entryRef{{Path: p.Path}})
		if err != nil {
			return nil, err
		}
		return es[0], nil
	case "persistEntry":
		files := p.DataFiles
		if len(files) == 0 && p.Entry != nil {
			files = []DataFile{*p.Entry}
		}
		if err := b.persist(files, p.Assets); err != nil {
			return nil, err
		}
		return map[string]string{"message": "sparat"}, nil
	case "getMedia":
		files, err := b.list(p.MediaFolder, "", 1)
		if err != nil {
			return nil, err
		}
		out := make([]MediaFile, 0, len(files))
		for _, f := range files {
			m, err := b.media(f)
			if err != nil {
				return nil, err
			}
			out = append(out, *m)
		}
		return out, nil
	case "getMediaFile":
		return b.media(p.Path)
	case "persistMedia":
		if p.Asset == nil {
			return nil, badRequest("persistMedia: asset saknas")
		}
		if err := b.persist(nil, []Asset{*p.Asset}); err != nil {
			return nil, err
		}
		return b.media(p.Asset.Path)
	case "deleteFile":
		return b.remove([]string{p.Path})
	case "deleteFiles":
		return b.remove(p.Paths)
	case "getDeployPreview":
		return nil, nil
	}
	return nil, &apiError{http.StatusUnprocessableEntity, fmt.Sprintf("okänd åtgärd %q", req.Action)}
}

type entryRef struct {
	Path  string `json:"path"`
	Label string `json:"label,omitempty"`
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// list returns the slash paths of the regular files in folder (and its
// sub-folders, to depth) whose names end in ext, sorted.
func (b *Backend) list(folder, ext string, depth int) ([]string, error) {
	dir, err := b.resolve(folder, true)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(full, rel string, depth int) error
	walk = func(full, rel string, depth int) error {
		ents, err := os.ReadDir(full)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			r := path.Join(rel, name)
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				// never followed
			case e.IsDir():
				if depth > 1 {
					if err := walk(filepath.Join(full, name), r, depth-1); err != nil {
						return err
					}
				}
			case e.Type().IsRegular() && strings.HasSuffix(name, ext):
				out = append(out, r)
			}
		}
		return nil
	}
	if err := walk(dir, path.Clean(folder), depth); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

func (b *Backend) entries(refs []entryRef) ([]Entry, error) {
	out := make([]Entry, len(refs))
	for i, ref := range refs {
		out[i].File = entryFile{Path: ref.Path, Label: ref.Label}
		full, err := b.resolve(ref.Path, false)
		if err != nil {
			return nil, err
		}
		raw, err := os.ReadFile(full)
		if err != nil {
			continue // Decap expects data: null for a missing file
		}
		if isEntry(ref.Path) {
			raw = forEditor(ref.Path, raw)
		}
		s, id := string(raw), hash(raw)
		out[i].Data, out[i].File.ID = &s, &id
	}
	return out, nil
}

func (b *Backend) media(p string) (*MediaFile, error) {
	full, err := b.resolve(p, false)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(full)
	if err != nil {
		return nil, &apiError{http.StatusNotFound, fmt.Sprintf("%s: finns inte", p)}
	}
	return &MediaFile{ID: hash(raw), Content: base64.StdEncoding.EncodeToString(raw), Encoding: "base64",
		Path: p, Name: path.Base(p)}, nil
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// write is one file a request writes (data nil: deletes).
type write struct {
	path string
	data []byte
}

// persist validates and writes an entry's files and its assets. Markdown
// files in the collections are checked with content.Load first; a file
// moved by the editor (newPath) is written at its new path and removed
// from its old one.
func (b *Backend) persist(files []DataFile, assets []Asset) error {
	var ws []write
	for _, f := range files {
		target := f.Path
		if f.NewPath != "" {
			target = f.NewPath
		}
		moved := f.NewPath != "" && f.NewPath != f.Path
		if !moved && isEntry(target) && b.unchanged(target, []byte(f.Raw)) {
			continue // opened and saved as it was: keep the file's bytes
		}
		ws = append(ws, write{target, []byte(f.Raw)})
		if moved {
			ws = append(ws, write{f.Path, nil})
		}
	}
	for _, a := range assets {
		data, err := decodeAsset(a)
		if err != nil {
			return err
		}
		ws = append(ws, write{a.Path, data})
	}
	return b.apply(ws)
}

// unchanged reports whether the file at p already says what raw says
// (sameDocument).
func (b *Backend) unchanged(p string, raw []byte) bool {
	full, err := b.resolve(p, false)
	if err != nil {
		return false
	}
	old, err := os.ReadFile(full)
	return err == nil && sameDocument(p, old, raw)
}

func decodeAsset(a Asset) ([]byte, error) {
	switch a.Encoding {
	case "base64":
		data, err := base64.StdEncoding.DecodeString(a.Content)
		if err != nil {
			return nil, badRequest("%s: ogiltig base64: %v", a.Path, err)
		}
		return data, nil
	case "", "utf8", "utf-8":
		return []byte(a.Content), nil
	}
	return nil, badRequest("%s: okänd kodning %q", a.Path, a.Encoding)
}

func (b *Backend) remove(paths []string) (any, error) {
	ws := make([]write, len(paths))
	for i, p := range paths {
		ws[i] = write{p, nil}
	}
	if err := b.apply(ws); err != nil {
		return nil, err
	}
	return map[string]string{"message": "borttaget"}, nil
}

// apply checks every path, validates the site with the new markdown, and
// only then writes (or deletes) the files.
func (b *Backend) apply(ws []write) error {
	if len(ws) == 0 {
		return nil
	}
	fulls := make([]string, len(ws))
	var opts []content.Option
	var docs []string
	for i, w := range ws {
		full, err := b.resolve(w.path, false)
		if err != nil {
			return err
		}
		fulls[i] = full
		if isEntry(w.path) {
			opts = append(opts, content.WithOverlay(path.Clean(w.path), w.data))
			docs = append(docs, path.Clean(w.path))
		} else if !inFolder(w.path, MediaFolder) {
			return &apiError{http.StatusForbidden, fmt.Sprintf("%s: bara markdownfiler i %s och filer i %s kan sparas här", w.path, strings.Join(entryFolders, ", "), MediaFolder)}
		}
	}
	if len(docs) > 0 {
		if err := b.validate(docs, opts); err != nil {
			return err
		}
	}
	var done []string
	for i, w := range ws {
		var err error
		if w.data == nil {
			err = os.Remove(fulls[i])
			if errors.Is(err, fs.ErrNotExist) {
				err = nil
			}
		} else {
			err = atomicWrite(fulls[i], w.data)
		}
		if err != nil {
			if b.Saved != nil && len(done) > 0 {
				b.Saved(done)
			}
			return fmt.Errorf("%s: %w", w.path, err)
		}
		done = append(done, path.Clean(w.path))
	}
	if b.Saved != nil {
		b.Saved(done)
	}
	return nil
}

// validate loads the site, drafts included, as if the writes were made.
// A save is refused for an error in one of the files it writes, or for
// any error that the site on disk does not already have (a slug another
// file now collides with, say); errors elsewhere that were there before
// do not block it.
func (b *Backend) validate(docs []string, opts []content.Option) error {
	_, err := content.Load(b.Root, append(opts, content.WithDrafts(true))...)
	if err == nil {
		return nil
	}
	var after *diag.List
	if !errors.As(err, &after) {
		return err
	}
	before := map[string]bool{}
	if _, err := content.Load(b.Root, content.WithDrafts(true)); err != nil {
		var l *diag.List
		if errors.As(err, &l) {
			for _, e := range l.Errors() {
				if !slices.Contains(docs, e.File) {
					before[e.Error()] = true
				}
			}
		}
	}
	var msgs []string
	for _, e := range after.Errors() {
		if slices.Contains(docs, e.File) || !before[e.Error()] {
			msgs = append(msgs, e.Error())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return &apiError{http.StatusUnprocessableEntity, "Sparades inte, eftersom portal check skulle avvisa det:\n" + strings.Join(msgs, "\n")}
}

func isEntry(p string) bool {
	if !strings.EqualFold(path.Ext(p), ".md") {
		return false
	}
	return slices.Contains(entryFolders, path.Dir(path.Clean(p)))
}

func inFolder(p, folder string) bool {
	p = path.Clean(p)
	return strings.HasPrefix(p, folder+"/")
}

// resolve turns a slash path from the editor into a path on disk. The
// path must be relative, clean of "..", inside content/, and no part of it
// below the root may be a symbolic link (so nothing is read or written
// outside the site, whatever the folders hold). A folder (dir true) may be
// content/ itself.
func (b *Backend) resolve(p string, dir bool) (string, error) {
	if p == "" || strings.ContainsRune(p, '\\') || strings.ContainsRune(p, 0) || path.IsAbs(p) || filepath.IsAbs(p) || filepath.VolumeName(p) != "" {
		return "", &apiError{http.StatusForbidden, fmt.Sprintf("%q: ogiltig sökväg", p)}
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return "", &apiError{http.StatusForbidden, fmt.Sprintf("%q: sökvägen får inte gå uppåt (..)", p)}
		}
	}
	clean := path.Clean(p)
	if clean != "content" && !strings.HasPrefix(clean, "content/") || (clean == "content" && !dir) {
		return "", &apiError{http.StatusForbidden, fmt.Sprintf("%q: redigeraren når bara filer i content/", p)}
	}
	full := b.Root
	parts := strings.Split(clean, "/")
	for i, part := range parts {
		full = filepath.Join(full, part)
		fi, err := os.Lstat(full)
		if errors.Is(err, fs.ErrNotExist) {
			break // the rest is new
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return "", &apiError{http.StatusForbidden, fmt.Sprintf("%q: %s är en symbolisk länk, som redigeraren inte följer", p, strings.Join(parts[:i+1], "/"))}
		}
	}
	return filepath.Join(b.Root, filepath.FromSlash(clean)), nil
}

// atomicWrite writes data to a temporary file in the same folder, syncs
// it and renames it over name: a reader (or a crash) sees the old file or
// the new one, never half of it.
func atomicWrite(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
