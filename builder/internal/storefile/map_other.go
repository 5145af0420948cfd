//go:build !(linux || darwin)

package storefile

import "os"

// mapFile reads file: this system is not asked to map it.
func mapFile(file string) ([]byte, error) { return os.ReadFile(file) }
