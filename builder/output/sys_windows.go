//go:build windows

package output

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// writeFile writes data to the file at name, replacing what was there.
// With isNew, the file must not exist yet. An existing file is overwritten
// in place and then cut to length. It returns the file's stamp once
// written and closed (NTFS may set the modification time as late as the
// close).
func writeFile(name string, data []byte, isNew bool) (stamp, error) {
	flags := os.O_WRONLY | os.O_CREATE
	if isNew {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(name, flags, 0o644)
	if err != nil {
		return stamp{}, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return stamp{}, err
	}
	if !isNew {
		if err := f.Truncate(int64(len(data))); err != nil {
			f.Close()
			return stamp{}, err
		}
	}
	if err := f.Close(); err != nil {
		return stamp{}, err
	}
	st, _ := fileStamp(name)
	return st, nil
}

// fileStamp returns the stamp of the regular file at name (links are not
// followed): its size and modification time, which is all that Windows
// reports without opening it; false for anything else.
func fileStamp(name string) (stamp, bool) {
	fi, err := os.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return stamp{}, false
	}
	return stamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}, true
}

// dirStamp reports no stamp for directories here: without change times
// and file numbers, a Disk lists every directory of the spare.
func dirStamp(string) (stamp, bool) { return stamp{}, false }

// renameOntoEmpty renames the directory from onto the empty directory to.
// Windows renames only to a free name, so to is removed first; the build
// lock keeps other builds away in between.
func renameOntoEmpty(from, to string) error {
	if err := os.Remove(to); err != nil {
		return err
	}
	if err := os.Rename(from, to); err != nil {
		os.Mkdir(to, 0o755)
		return err
	}
	return nil
}

// syncDir does nothing: Windows cannot flush a directory, and NTFS
// journals renames.
func syncDir(string) error { return nil }

// lockFile takes an exclusive lock on f with LockFileEx, waiting for it
// when wait is true; errBusy means another process holds it. The lock goes
// with the process: a killed build releases it.
func lockFile(f *os.File, wait bool) error {
	flags := uint32(windows.LOCKFILE_EXCLUSIVE_LOCK)
	if !wait {
		flags |= windows.LOCKFILE_FAIL_IMMEDIATELY
	}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, new(windows.Overlapped))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION):
		return errBusy
	}
	return fmt.Errorf("lås %s: %w", f.Name(), err)
}
