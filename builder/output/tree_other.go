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

// dirReader lists directories with os.ReadDir.
type dirReader struct{}

func (dirReader) list(dir string, add func(name string, kind uint8)) { readDir(dir, add) }

func syncTree(root string) error { return syncEach(root) }
