package cli

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// maxRSS returns the peak resident memory of this process in bytes.
func maxRSS() (int64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return ru.Maxrss << 10, true // kilobytes on Linux
}

// lowerPriority makes this process yield CPU and disk to everything else:
// nice 19 and the idle I/O class.
func lowerPriority() {
	syscall.Setpriority(syscall.PRIO_PROCESS, 0, 19)
	const ioprioWhoProcess, ioprioClassIdle = 1, 3
	unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, 0, ioprioClassIdle<<13)
}
