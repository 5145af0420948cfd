// Package output is the single place the builder writes a site to. A
// Writer receives every file of one build; Commit publishes them all at once.
//
// Disk builds into a temporary sibling of the target directory and swaps it
// in with one atomic rename exchange, so a failed or killed build leaves the
// previous site untouched. It replaces only a folder it made itself (one
// holding the Marker file), one build at a time (a lock file beside the
// folder). Memory keeps the files in a map for the preview server, and
// can hold files that are made when first read (LaterWriter).
//
// The fast paths are per system: getdents(2), renameat2(2) and syncfs(2)
// on Linux (tree_linux.go), renamex_np(2) on macOS (tree_darwin.go), plain
// os calls elsewhere (tree_other.go, sys_windows.go), each keeping the same
// guarantees where the system allows it.
package output

import (
	"fmt"
	"strings"

	"github.com/exempelbanken/portal/builder/internal/stable"
)

// Writer receives the files of one build. Write may be called from several
// goroutines. Paths are slash-separated, relative, without "..".
type Writer interface {
	Write(name string, data []byte) error
}

// Streaming is implemented by Writers that keep no reference to the data
// given to Write once Write returns (they copy it into a file), so the
// caller may reuse its buffer.
type Streaming interface {
	Writer
	Streams() bool
}

// Streams reports whether w is a Streaming Writer.
func Streams(w Writer) bool {
	s, ok := w.(Streaming)
	return ok && s.Streams()
}

// DirMaker is implemented by Writers that can create the directories of
// files before the files are written, so a builder can have that done while
// it is still busy with other work.
type DirMaker interface {
	// MakeDirs creates the slash-separated, site-relative directories
	// dirs and their parents. It may run concurrently with Write, and
	// must return before the build is committed or aborted. Errors are
	// left for Write to report.
	MakeDirs(dirs []string)
}

// Keeper is implemented by Writers that can keep a file as the last build
// wrote it without being given it again: a builder that knows a file is
// the same as in the last build (its inputs are) calls Keep with the
// file's length and Checksum, and writes it when Keep returns false.
type Keeper interface {
	Writer
	// Keep reports whether the file name is in the build as it was, with
	// the given length and Checksum; indexed tells a Writer that also
	// indexes pages for search whether the file is such a page. It may
	// run concurrently with Write.
	Keep(name string, size int, sum uint64, indexed bool) bool
}

// Checksum is the checksum Keeper.Keep is given: stable.Sum64 of the
// file's contents.
func Checksum(data []byte) uint64 { return stable.Sum64(data) }

// CleanPath validates a site-relative output path and returns it without
// its leading slash: a path is valid when it is already clean (path.Clean
// would leave it as it is: no empty, "." or ".." segment, no trailing
// slash) and has no backslash. The result is a substring of name, so a
// build writing thousands of files allocates nothing here.
func CleanPath(name string) (string, error) {
	c := strings.TrimPrefix(name, "/")
	if !clean(c) {
		return "", fmt.Errorf("ogiltig sökväg i utdata: %q", name)
	}
	return c, nil
}

// clean reports whether the relative path p is non-empty, has no
// backslash and is what path.Clean makes of it.
func clean(p string) bool {
	if p == "" || strings.IndexByte(p, '\\') >= 0 {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
