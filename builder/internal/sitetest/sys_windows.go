package sitetest

import "testing"

// Inode skips the test: inode numbers are a Unix notion.
func Inode(t testing.TB, p string) uint64 {
	t.Skip("inodnummer finns bara på Unix")
	return 0
}

// Unreadable skips the test: Windows has no simple unreadable file.
func Unreadable(t testing.TB, p, content string) {
	t.Skip("en oläslig fil går inte att göra enkelt på Windows")
}
