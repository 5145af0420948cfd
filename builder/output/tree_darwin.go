package output

import "golang.org/x/sys/unix"

// renameExchange swaps the directories a and b atomically with
// renamex_np(2) RENAME_SWAP (APFS and HFS+).
func renameExchange(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}

func listTree(root string, kind map[string]uint8) { walkTree(root, kind) }

func syncTree(root string) error { return syncEach(root) }
