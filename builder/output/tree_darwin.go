//go:build darwin && !portable

package output

import "golang.org/x/sys/unix"

// AtomicExchange reports whether Commit swaps the new site in with one
// atomic exchange of two folders (else it takes two renames).
const AtomicExchange = true

// renameExchange swaps the directories a and b atomically with
// renamex_np(2) RENAME_SWAP (APFS and HFS+).
func renameExchange(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}

// dirReader lists directories with os.ReadDir.
type dirReader struct{}

func (dirReader) list(dir string, add func(name string, kind uint8)) { readDir(dir, add) }

func syncTree(root string) error { return syncEach(root) }
