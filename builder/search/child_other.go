//go:build !linux

package search

import "os/exec"

// runChild runs cmd. Systems other than Linux have no parent-death signal:
// the command line stops Pagefind through the context on SIGINT and
// SIGTERM, and a terminal's Ctrl-C reaches it directly.
func runChild(cmd *exec.Cmd) error { return cmd.Run() }
