package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dirFor returns the folder that holds sub (layouts or assets) for a build:
// the site root when it has one, else the default theme unpacked on disk.
func (b *Builder) dirFor(sub string) (string, error) {
	if fi, err := os.Stat(filepath.Join(b.opts.Root, sub)); err == nil && fi.IsDir() {
		return b.opts.Root, nil
	}
	if b.opts.Theme == nil {
		return b.opts.Root, nil
	}
	if b.themeDir == "" {
		d, err := unpackTheme(b.opts.Theme)
		if err != nil {
			return "", err
		}
		b.themeDir = d
	}
	return b.themeDir, nil
}

// unpackTheme writes the theme into a cache folder named by its content
// hash, once; later calls reuse it.
func unpackTheme(theme fs.FS) (string, error) {
	h := sha256.New()
	var files []string
	for _, top := range []string{"layouts", "assets"} {
		err := fs.WalkDir(theme, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(theme, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
			h.Write(b)
			files = append(files, p)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("läs standardtemat: %w", err)
		}
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	dir := filepath.Join(base, "exempelbanken", "tema-"+hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".tema-")
	if err != nil {
		return "", err
	}
	for _, p := range files {
		b, _ := fs.ReadFile(theme, p)
		out := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil // another build unpacked it first
		}
		return "", err
	}
	return dir, nil
}
