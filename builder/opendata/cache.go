package opendata

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// keepCached is how many files the cache keeps; older ones are removed.
const keepCached = 8

// xlsxVersion changes when exempel.xlsx is laid out differently, so that
// files cached before are not reused.
const xlsxVersion = "1"

// xlsxKey is the cache key of exempel.xlsx: it holds the same cells as
// exempel.csv, the column headers, and the site title and date in its
// document properties.
func xlsxKey(csv []byte, d *dataset) string {
	h := sha256.New()
	h.Write([]byte(xlsxVersion + "\x00" + d.s.Config.Title + "\x00" + isoDate(d.modified) + "\x00"))
	for _, c := range Columns {
		h.Write([]byte(c.Header + "\x00"))
	}
	h.Write(csv)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// cached returns the file dir/key+ext when it is there, else makes it and
// keeps it there. A cache that cannot be read or written is no error:
// the file is made.
func cached(dir, key, ext string, make func() ([]byte, error)) ([]byte, error) {
	if dir == "" {
		return make()
	}
	file := filepath.Join(dir, key+ext)
	if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
		return b, nil
	}
	b, err := make()
	if err != nil {
		return nil, err
	}
	if os.MkdirAll(dir, 0o755) == nil {
		tmp := file + ".tmp"
		if os.WriteFile(tmp, b, 0o644) == nil && os.Rename(tmp, file) == nil {
			prune(dir, ext)
		} else {
			os.Remove(tmp)
		}
	}
	return b, nil
}

// prune removes all but the keepCached newest files ending in ext.
func prune(dir, ext string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type aged struct {
		name string
		mod  int64
	}
	var files []aged
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ext) {
			continue
		}
		if info, err := e.Info(); err == nil {
			files = append(files, aged{e.Name(), info.ModTime().UnixNano()})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod > files[j].mod })
	for i := keepCached; i < len(files); i++ {
		os.Remove(filepath.Join(dir, files[i].name))
	}
}
