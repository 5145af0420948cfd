//go:build linux || darwin

package storefile

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps file read-only and shared: its bytes are the page cache's,
// not a copy. The mapping is never undone.
func mapFile(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() == 0 || int64(int(fi.Size())) != fi.Size() {
		return os.ReadFile(file)
	}
	return unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
}
