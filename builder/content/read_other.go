//go:build !unix

package content

// readSmallFile: see read_unix.go.
func readSmallFile(full string) ([]byte, bool) { return readSmallFilePortable(full) }

func readSmallFileStamped(full string) ([]byte, fileStamp, bool) {
	return readSmallFileStampedPortable(full)
}

func stampFile(full string) (fileStamp, bool) { return stampFilePortable(full) }
