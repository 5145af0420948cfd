package output

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
)

// listTree lists every file and directory below root (not root itself)
// with their kinds, without following links, into kind. A directory below
// root for which known returns entries is not read: known vouches that it
// holds those (Disk's listing of the spare, by the inventory).
func listTree(root string, kind map[string]uint8, known func(dir string) ([]child, bool)) {
	var r dirReader
	var walk func(dir string)
	walk = func(dir string) {
		var subdirs []string
		add := func(name string, k uint8) {
			p := dir + string(filepath.Separator) + name
			kind[p] = k
			if k == kindDir {
				subdirs = append(subdirs, p)
			}
		}
		if cs, ok := known(dir); ok && dir != root {
			for _, c := range cs {
				add(c.name, c.kind)
			}
		} else {
			dirsRead.Add(1)
			r.list(dir, add)
		}
		for _, sd := range subdirs {
			walk(sd)
		}
	}
	walk(root)
}

// dirsRead counts the directories listTree read (for the tests).
var dirsRead atomic.Int64

// child is an entry of a directory: its name and kind.
type child struct {
	name string
	kind uint8
}

//lint:ignore U1000 dirReader on systems without getdents(2) (tree_darwin.go, tree_other.go).

// readDir calls add with the name and kind of each entry of dir; nothing
// when dir cannot be read.
func readDir(dir string, add func(name string, kind uint8)) {
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		add(e.Name(), modeKind(e.Type()))
	}
}

// walkTree lists every file and directory below root (not root itself)
// with their kinds, without following links, with filepath.WalkDir: the
// reference for listTree.
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
