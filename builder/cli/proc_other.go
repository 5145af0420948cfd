//go:build !linux && !darwin

package cli

// maxRSS is not measured on this system.
func maxRSS() (int64, bool) { return 0, false }
