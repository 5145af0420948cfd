package output

import (
	"io/fs"
	"os"
	"path/filepath"
)

// walkTree lists every file and directory below root (not root itself)
// with their kinds, without following links: listTree for systems without
// a faster way.
func walkTree(root string, kind map[string]uint8) {
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err == nil && p != root {
			kind[p] = modeKind(e.Type())
		}
		return nil
	})
}

// modeKind maps a file mode to a kind.
func modeKind(m fs.FileMode) uint8 {
	switch {
	case m.IsDir():
		return kindDir
	case m.IsRegular():
		return kindFile
	}
	return kindOther
}

//lint:ignore U1000 syncTree on systems without syncfs(2) (tree_darwin.go, tree_other.go).

// syncEach flushes every file and directory below root to stable storage,
// one fsync each: syncTree for systems without syncfs(2). Directories that
// cannot be flushed (Windows) are skipped.
func syncEach(root string) error {
	return filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && !e.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		if e.IsDir() {
			return nil
		}
		return err
	})
}
