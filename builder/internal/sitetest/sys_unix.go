//go:build unix

package sitetest

import (
	"os"
	"syscall"
	"testing"
)

// Inode returns the inode number of the file at p.
func Inode(t testing.TB, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// Unreadable makes a file at p that cannot be read as a document: one
// without read permission, or for root, who reads any file, a FIFO.
func Unreadable(t testing.TB, p, content string) {
	t.Helper()
	if os.Geteuid() == 0 {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(p, []byte(content), 0); err != nil {
		t.Fatal(err)
	}
}
