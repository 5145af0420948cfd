package cli

import "syscall"

// maxRSS returns the peak resident memory of this process in bytes.
func maxRSS() (int64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return ru.Maxrss << 10, true // kilobytes on Linux
}
