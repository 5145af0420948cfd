//go:build unix

package content

import "golang.org/x/sys/unix"

// readSmallFile reads the file at full when it opens, is at most
// MaxFileSize bytes and reads without error; ok is false otherwise. It
// saves the separate stat of the path that readDoc's checks need, and
// goes straight to open(2), fstat(2), read(2) and close(2): os.Open also
// registers every file with the network poller, five more system calls
// per file that fail for regular files.
func readSmallFile(full string) (raw []byte, ok bool) {
	raw, _, ok = readSmallFileStamped(full)
	return raw, ok
}

// readSmallFileStamped is readSmallFile that also returns the file's
// stamp, taken before its bytes are read.
func readSmallFileStamped(full string) (raw []byte, stamp fileStamp, ok bool) {
	fd, err := unix.Open(full, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, stamp, false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size > MaxFileSize {
		return nil, stamp, false
	}
	stamp = stampOf(&st)
	// Read the size fstat reported; only an empty file is read to EOF
	// (files of some file systems report size 0).
	size := int(st.Size)
	raw = make([]byte, 0, max(size, 512))
	for size == 0 || len(raw) < size {
		if len(raw) == cap(raw) {
			raw = append(raw, 0)[:len(raw)]
		}
		n, err := unix.Read(fd, raw[len(raw):cap(raw)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, stamp, false
		}
		if n == 0 {
			break
		}
		raw = raw[:len(raw)+n]
	}
	if len(raw) > MaxFileSize {
		return nil, stamp, false
	}
	return raw, stamp, true
}

// stampFile returns the stamp of the regular file at full.
func stampFile(full string) (fileStamp, bool) {
	var st unix.Stat_t
	if err := unix.Stat(full, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileStamp{}, false
	}
	return stampOf(&st), true
}

func stampOf(st *unix.Stat_t) fileStamp {
	return fileStamp{size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: uint64(st.Ino)}
}
