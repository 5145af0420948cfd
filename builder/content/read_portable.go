package content

import (
	"io"
	"os"
)

// readSmallFilePortable is readSmallFile with the os package, for systems
// without the Unix calls (Windows); Linux and macOS use the faster
// read_unix.go. The result is the same: the file's bytes when it opens,
// is a regular file of at most MaxFileSize bytes and reads without error.
func readSmallFilePortable(full string) (raw []byte, ok bool) {
	f, err := os.Open(full)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxFileSize {
		return nil, false
	}
	raw, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil || len(raw) > MaxFileSize {
		return nil, false
	}
	return raw, true
}
