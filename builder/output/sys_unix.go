//go:build unix

package output

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// writeFile writes data to the file at name, replacing what was there,
// with open(2), write(2), ftruncate(2) and close(2) alone. os.WriteFile
// also registers every file with the network poller (four more system
// calls, which fail for regular files); on a virtual machine, where system
// calls are dear, that was a quarter of the time spent writing a site. An
// existing file is overwritten in place and then cut to length, not opened
// with O_TRUNC: truncating frees the file's blocks and waits for their
// writeback, overwriting reuses them (12,000 pages: 0.27 s of system time
// against 1 to 4 s). Links are not followed.
//
// With isNew, the file must not exist yet (O_EXCL), and since it starts
// empty it is not truncated: one system call less. It returns the file's
// stamp once written (fstat(2)).
func writeFile(name string, data []byte, isNew bool) (stamp, error) {
	flags := unix.O_WRONLY | unix.O_CREAT | unix.O_CLOEXEC | unix.O_NOFOLLOW
	if isNew {
		flags |= unix.O_EXCL
	}
	var fd int
	var err error
	for {
		fd, err = unix.Open(name, flags, 0o644)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return stamp{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var size int64
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return stamp{}, &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
		size += int64(n)
	}
	if !isNew {
		if err := unix.Ftruncate(fd, size); err != nil {
			unix.Close(fd)
			return stamp{}, &fs.PathError{Op: "truncate", Path: name, Err: err}
		}
	}
	var st unix.Stat_t
	serr := unix.Fstat(fd, &st)
	if err := unix.Close(fd); err != nil {
		return stamp{}, &fs.PathError{Op: "close", Path: name, Err: err}
	}
	if serr != nil {
		return stamp{}, nil // written; without a stamp it is written again next time
	}
	return stampOf(&st), nil
}

// fileStamp returns the stamp of the regular file at name (links are not
// followed); false for anything else.
func fileStamp(name string) (stamp, bool) {
	var st unix.Stat_t
	if err := unix.Lstat(name, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return stamp{}, false
	}
	return stampOf(&st), true
}

// dirStamp returns the stamp of the directory at name (links are not
// followed); false for anything else. Adding, removing or renaming an
// entry changes a directory's modification and change times.
func dirStamp(name string) (stamp, bool) {
	var st unix.Stat_t
	if err := unix.Lstat(name, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return stamp{}, false
	}
	return stampOf(&st), true
}

func stampOf(st *unix.Stat_t) stamp {
	return stamp{size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: uint64(st.Ino)}
}

// renameOntoEmpty renames the directory from onto the empty directory to,
// atomically: rename(2) replaces an empty directory (os.Rename refuses).
func renameOntoEmpty(from, to string) error {
	return syscall.Rename(from, to)
}

// syncDir flushes the entries of dir to stable storage.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// lockFile takes an exclusive lock on f, waiting for it when wait is
// true; errBusy means another process holds it. The lock goes with the
// process: a killed build releases it.
func lockFile(f *os.File, wait bool) error {
	how := unix.LOCK_EX
	if !wait {
		how |= unix.LOCK_NB
	}
	for {
		err := unix.Flock(int(f.Fd()), how)
		switch err {
		case nil:
			return nil
		case unix.EINTR:
			continue
		case unix.EWOULDBLOCK:
			return errBusy
		}
		return fmt.Errorf("lås %s: %w", f.Name(), err)
	}
}
