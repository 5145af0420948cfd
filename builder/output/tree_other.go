//go:build !linux && !darwin

package output

import "errors"

// renameExchange reports that this system cannot swap two directories
// atomically; Commit takes two renames instead.
func renameExchange(a, b string) error {
	return errors.New("atomiskt byte av mappar saknas på det här systemet")
}

func listTree(root string, kind map[string]uint8) { walkTree(root, kind) }

func syncTree(root string) error { return syncEach(root) }
