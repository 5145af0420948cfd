package search

import (
	"os/exec"
	"runtime"
	"syscall"
)

// runChild runs cmd so that it gets SIGKILL if this process dies first.
// The parent-death signal fires when the thread that started the child
// exits, so the goroutine keeps its thread until the child is done.
func runChild(cmd *exec.Cmd) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd.Run()
}
