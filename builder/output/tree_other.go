//go:build (!linux && !darwin) || portable

package output

import "errors"

// AtomicExchange reports whether Commit swaps the new site in with one
// atomic exchange of two folders (else it takes two renames).
const AtomicExchange = false

// renameExchange reports that this system cannot swap two directories
// atomically; Commit takes two renames instead.
func renameExchange(a, b string) error {
	return errors.New("atomiskt byte av mappar saknas på det här systemet")
}

func listTree(root string, kind map[string]uint8) { walkTree(root, kind) }

func syncTree(root string) error { return syncEach(root) }
