// Package output is the single place the builder writes a site to. A
// Writer receives every file of one build; Commit publishes them all at once.
//
// Disk builds into a temporary sibling of the target directory and swaps it
// in with one atomic rename exchange, so a failed or killed build leaves the
// previous site untouched. Memory keeps the files in a map for the preview
// server.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Writer receives the files of one build. Write may be called from several
// goroutines. Paths are slash-separated, relative, without "..".
type Writer interface {
	Write(name string, data []byte) error
}

// Streaming is implemented by Writers that keep no reference to the data
// given to Write once Write returns (they copy it into a file), so the
// caller may reuse its buffer.
type Streaming interface {
	Writer
	Streams() bool
}

// Streams reports whether w is a Streaming Writer.
func Streams(w Writer) bool {
	s, ok := w.(Streaming)
	return ok && s.Streams()
}

// DirMaker is implemented by Writers that can create the directories of
// files before the files are written, so a builder can have that done while
// it is still busy with other work.
type DirMaker interface {
	// MakeDirs creates the slash-separated, site-relative directories
	// dirs and their parents. It may run concurrently with Write, and
	// must return before the build is committed or aborted. Errors are
	// left for Write to report.
	MakeDirs(dirs []string)
}

// CleanPath validates a site-relative output path.
func CleanPath(name string) (string, error) {
	c := path.Clean("/" + name)[1:]
	if c == "" || c != strings.TrimPrefix(name, "/") || strings.Contains(name, "\\") {
		return "", fmt.Errorf("ogiltig sökväg i utdata: %q", name)
	}
	return c, nil
}

// Disk writes a build into dir atomically. Create it with NewDisk, write
// the files, then Commit or Abort.
type Disk struct {
	// Durable makes Commit flush the new site to stable storage before
	// swapping it in, so the swap also survives a power loss. Without it
	// the swap is still atomic for a build that is killed or crashes.
	Durable bool
	// Discard disposes of the previous site once the new one is in place
	// (a hidden sibling of the output directory). Nil removes it before
	// Commit returns; the command line hands it to a background process,
	// since on large sites removing thousands of files takes longer than
	// building them. A copy that is never removed is removed by the next
	// build of the same directory.
	Discard func(dir string)

	dir string // the published directory, e.g. public
	tmp string // the build directory, a sibling of dir
	mu  sync.Mutex
	mk  map[string]bool
	n   int
}

var _ Streaming = (*Disk)(nil)

// Streams implements Streaming: Disk is done with the data when Write
// returns.
func (d *Disk) Streams() bool { return true }

// NewDisk prepares a build of dir in a fresh temporary sibling directory.
// It also removes leftovers of earlier killed builds.
func NewDisk(dir string) (*Disk, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("skapa %s: %w", parent, err)
	}
	cleanLeftovers(dir)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+"-bygge-")
	if err != nil {
		return nil, fmt.Errorf("skapa byggmapp: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return &Disk{dir: dir, tmp: tmp, mk: map[string]bool{}}, nil
}

// cleanLeftovers removes temporary directories of earlier builds of dir.
// If dir itself is missing but an old copy survived an interrupted
// fallback swap, that copy is restored first.
func cleanLeftovers(dir string) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, _ := os.ReadDir(parent)
	old := filepath.Join(parent, "."+base+"-gammal")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(old); err == nil {
			os.Rename(old, dir)
		}
	}
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "."+base+"-bygge-") || n == "."+base+"-gammal" {
			os.RemoveAll(filepath.Join(parent, n))
		}
	}
}

// Write implements Writer. Writes are serialised: on the disks this
// builder runs on, parallel metadata operations are slower than sequential
// ones, and one writer keeps the number of system calls minimal.
func (d *Disk) Write(name string, data []byte) error {
	c, err := CleanPath(name)
	if err != nil {
		return err
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(c))
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	d.n++
	return writeFile(full, data)
}

// writeFile writes data to a new file at name with open(2), write(2) and
// close(2) alone. os.WriteFile also tries to register every file with the
// network poller (four more system calls, which fail for regular files);
// on a virtual machine, where system calls are dear, that is a quarter of
// the time spent writing a site.
func writeFile(name string, data []byte) error {
	var fd int
	var err error
	for {
		fd, err = unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// MakeDirs implements DirMaker.
func (d *Disk) MakeDirs(dirs []string) {
	for _, name := range dirs {
		c, err := CleanPath(strings.Trim(name, "/"))
		if err != nil {
			continue
		}
		d.mu.Lock()
		d.mkdir(filepath.Join(d.tmp, filepath.FromSlash(c)))
		d.mu.Unlock()
	}
}

var _ DirMaker = (*Disk)(nil)

// mkdir creates dir and its missing parents below the build folder, one
// mkdir(2) each, remembering what exists. d.mu must be held.
func (d *Disk) mkdir(dir string) error {
	if d.mk[dir] || len(dir) <= len(d.tmp) {
		return nil // the build folder itself, or something outside it
	}
	if err := d.mkdir(filepath.Dir(dir)); err != nil {
		return err
	}
	if err := unix.Mkdir(dir, 0o755); err != nil && err != unix.EEXIST {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	d.mk[dir] = true
	return nil
}

// Dir returns the temporary build directory, for tools (such as a search
// indexer) that must run on the complete site before it is published.
func (d *Disk) Dir() string { return d.tmp }

// Files reports how many files were written.
func (d *Disk) Files() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

// Commit swaps the build in place of dir atomically (after flushing it to
// disk when Durable): readers see either the whole old site or the whole
// new one.
func (d *Disk) Commit() error {
	if d.Durable {
		if err := syncTree(d.tmp); err != nil {
			d.Abort()
			return fmt.Errorf("skriv %s till disk: %w", d.tmp, err)
		}
	}
	if _, err := os.Lstat(d.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dir); err != nil {
			d.Abort()
			return fmt.Errorf("publicera %s: %w", d.dir, err)
		}
		if d.Durable {
			return syncDir(filepath.Dir(d.dir))
		}
		return nil
	}
	err := unix.Renameat2(unix.AT_FDCWD, d.tmp, unix.AT_FDCWD, d.dir, unix.RENAME_EXCHANGE)
	if err != nil {
		// Filesystems without RENAME_EXCHANGE: two renames, with recovery
		// of the old copy by the next build if we are killed in between.
		old := filepath.Join(filepath.Dir(d.dir), "."+filepath.Base(d.dir)+"-gammal")
		os.RemoveAll(old)
		if err := os.Rename(d.dir, old); err != nil {
			d.Abort()
			return fmt.Errorf("publicera %s: %w", d.dir, err)
		}
		if err := os.Rename(d.tmp, d.dir); err != nil {
			os.Rename(old, d.dir)
			d.Abort()
			return fmt.Errorf("publicera %s: %w", d.dir, err)
		}
		syncDir(filepath.Dir(d.dir))
		return os.RemoveAll(old)
	}
	// d.tmp now holds the previous site.
	if d.Durable {
		syncDir(filepath.Dir(d.dir))
	}
	if d.Discard != nil {
		d.Discard(d.tmp)
		return nil
	}
	return os.RemoveAll(d.tmp)
}

// IsLeftover reports whether dir is a build directory or an old copy of a
// site that a Disk left behind, and so safe to remove: a hidden sibling
// named like ".public-bygge-123".
func IsLeftover(dir string) bool {
	base := filepath.Base(dir)
	return strings.HasPrefix(base, ".") && strings.Contains(base, "-bygge-")
}

// Abort discards the build.
func (d *Disk) Abort() { os.RemoveAll(d.tmp) }

// syncTree flushes the build to stable storage with one syncfs(2) call on
// its filesystem, far cheaper than an fsync per file.
func syncTree(root string) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Memory keeps a build in memory. It is safe for concurrent use.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
}

var _ Writer = (*Memory)(nil)

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory { return &Memory{files: map[string][]byte{}} }

// Write implements Writer.
func (m *Memory) Write(name string, data []byte) error {
	c, err := CleanPath(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.files[c] = data
	m.mu.Unlock()
	return nil
}

// Get returns the file at name.
func (m *Memory) Get(name string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[name]
	return b, ok
}

// Delete removes name.
func (m *Memory) Delete(name string) {
	m.mu.Lock()
	delete(m.files, name)
	m.mu.Unlock()
}

// Names returns every path, sorted.
func (m *Memory) Names() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.files))
	for k := range m.files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Len reports the number of files.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.files)
}

// Equal reports whether name holds exactly data.
func (m *Memory) Equal(name string, data []byte) bool {
	b, ok := m.Get(name)
	return ok && bytes.Equal(b, data)
}

// Clone returns a copy of m sharing the file contents, which are never
// modified in place.
func (m *Memory) Clone() *Memory {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := &Memory{files: make(map[string][]byte, len(m.files))}
	for k, v := range m.files {
		c.files[k] = v
	}
	return c
}
