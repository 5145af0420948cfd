//go:build !unix

package content

// readSmallFile: see read_unix.go.
func readSmallFile(full string) ([]byte, bool) { return readSmallFilePortable(full) }
