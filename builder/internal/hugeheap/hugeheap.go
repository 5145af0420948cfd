// Package hugeheap lets the Go heap of a build use the kernel's
// transparent huge pages where the system leaves them to each program
// (Linux with /sys/kernel/mm/transparent_hugepage/enabled set to
// "madvise", as on Ubuntu and on many virtual machines).
//
// Memory a process touches for the first time costs a page fault per
// 4 KiB page. On a 2-core virtual machine that is about 3 ms per MB: the
// 400 MB a build of 10,000 cases touches cost 1.2 s of processor time,
// more than its parsing and rendering together. With 2 MiB pages the same
// memory costs about 0.07 ms per MB. The Go runtime itself asks for huge
// pages only where the system gives them to every program ("always").
//
// Prepare reserves heap address space up front, marks it
// MADV_HUGEPAGE and hands it back to the runtime unused: the heap then
// grows into memory that faults in 2 MiB at a time. Nothing is touched,
// so the resident memory does not grow until the heap does.
package hugeheap

// Prepare readies up to max bytes of heap for huge pages and reports how
// many it did. It does nothing (0) on systems other than 64-bit Linux,
// under the race detector, when GODEBUG has disablethp=1, when the kernel
// gives every program huge pages anyway or none at all, and when strict
// overcommit accounting (vm.overcommit_memory=2) would charge the
// reservation; it reserves at most a quarter of the machine's memory.
// Call it once, early, in a process that builds a site.
func Prepare(max int) int { return prepare(max) }
