//go:build linux && !portable

package output

import (
	"bytes"
	"os"

	"golang.org/x/sys/unix"
)

// listTree lists every file and directory below root (not root itself),
// with plain getdents(2): a directory listing through os.ReadDir costs
// five more system calls per directory. kind holds the kind of each entry
// (kindDir, kindFile, kindOther).
func listTree(root string, kind map[string]uint8) {
	var walk func(dir string)
	buf := make([]byte, 32<<10)
	walk = func(dir string) {
		fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err != nil {
			return
		}
		var subdirs []string
		for {
			n, err := unix.Getdents(fd, buf)
			if err == unix.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				break
			}
			for b := buf[:n]; len(b) > 0; {
				reclen := int(b[16]) | int(b[17])<<8
				typ := b[18]
				name := b[19:reclen]
				if i := bytes.IndexByte(name, 0); i >= 0 {
					name = name[:i]
				}
				b = b[reclen:]
				if string(name) == "." || string(name) == ".." {
					continue
				}
				p := dir + "/" + string(name)
				k := direntKind(p, typ)
				kind[p] = k
				if k == kindDir {
					subdirs = append(subdirs, p)
				}
			}
		}
		unix.Close(fd)
		for _, sd := range subdirs {
			walk(sd)
		}
	}
	walk(root)
}

// direntKind maps a getdents(2) type to a kind, asking lstat(2) when the
// filesystem does not say (DT_UNKNOWN).
func direntKind(p string, typ uint8) uint8 {
	switch typ {
	case unix.DT_DIR:
		return kindDir
	case unix.DT_REG:
		return kindFile
	case unix.DT_UNKNOWN:
		if fi, err := os.Lstat(p); err == nil {
			return modeKind(fi.Mode())
		}
	}
	return kindOther
}

// AtomicExchange reports whether Commit swaps the new site in with one
// atomic exchange of two folders (else it takes two renames).
const AtomicExchange = true

// renameExchange swaps the directories a and b atomically with
// renameat2(2) RENAME_EXCHANGE (Linux 3.15; ext4, xfs, btrfs, tmpfs).
func renameExchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

// syncTree flushes the build to stable storage with one syncfs(2) call on
// its filesystem, far cheaper than an fsync per file.
func syncTree(root string) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
