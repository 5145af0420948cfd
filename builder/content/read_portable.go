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
	raw, _, ok = readSmallFileStampedPortable(full)
	return raw, ok
}

// readSmallFileStampedPortable is readSmallFilePortable that also returns
// the file's stamp, taken before its bytes are read.
func readSmallFileStampedPortable(full string) (raw []byte, stamp fileStamp, ok bool) {
	f, err := os.Open(full)
	if err != nil {
		return nil, stamp, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > MaxFileSize {
		return nil, stamp, false
	}
	stamp = fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	raw, err = io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil || len(raw) > MaxFileSize {
		return nil, stamp, false
	}
	return raw, stamp, true
}

// stampFilePortable is stampFile with the os package.
func stampFilePortable(full string) (fileStamp, bool) {
	fi, err := os.Stat(full)
	if err != nil || !fi.Mode().IsRegular() {
		return fileStamp{}, false
	}
	return fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}, true
}
