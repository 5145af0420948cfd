package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// errBusy is lockFile's answer when another process holds the lock.
var errBusy = errors.New("upptaget")

// lockFileName is the lock of builds into dir: a hidden sibling that stays
// (removing a lock file races with the next build that opens it).
func lockFileName(dir string) string { return sibling(dir, "lås") }

// lockDir takes the build lock of dir, so that one build at a time writes
// it and its siblings. When another build holds it, onWait (if not nil) is
// told and the call waits. The returned function releases the lock.
func lockDir(dir string, onWait func(lockFile string)) (func(), error) {
	name := lockFileName(dir)
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("skapa låsfilen för %s: %w", filepath.Base(dir), err)
	}
	err = lockFile(f, false)
	if errors.Is(err, errBusy) {
		if onWait != nil {
			onWait(name)
		}
		err = lockFile(f, true)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
