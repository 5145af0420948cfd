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
	"slices"
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
// the files, Prune, then Commit or Abort.
//
// The previous site is not deleted when a new one is swapped in: it is kept
// beside dir as a spare (".public-reserv" for public) and the next build
// writes into it, overwriting its files in place and pruning what it did not
// write. Creating and deleting thousands of files per build is what costs
// most on ext4, which after mass deletions scans past every recently freed
// inode for each new one; overwriting reuses the inodes.
type Disk struct {
	// Durable makes Commit flush the new site to stable storage before
	// swapping it in, so the swap also survives a power loss. Without it
	// the swap is still atomic for a build that is killed or crashes.
	Durable bool
	// Discard disposes of a previous site that cannot be kept as the
	// spare (a hidden sibling of the output directory). Nil removes it
	// before Commit returns; the command line hands it to a background
	// process.
	Discard func(dir string)

	dir string // the published directory, e.g. public
	tmp string // the build directory, a sibling of dir
	mu  sync.Mutex
	n   int

	// entries holds, by full path, what the spare tree held when the build
	// reuses one (listed in the background from NewDisk on, with their
	// types: unix.DT_DIR, DT_REG, ...) and the directories the build
	// made. kept marks what the build wrote or made, so that Prune can
	// remove the rest.
	entries map[string]uint8
	listed  chan struct{} // closed once entries holds the spare's listing
	reused  bool
	pruned  bool
}

// kept is the flag of Disk.entries for a path this build wrote or made.
const kept = 0x80

var _ Streaming = (*Disk)(nil)

// Streams implements Streaming: Disk is done with the data when Write
// returns.
func (d *Disk) Streams() bool { return true }

// spareDir is where the previous site of dir waits to be overwritten by the
// next build.
func spareDir(dir string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+"-reserv")
}

// NewDisk prepares a build of dir in a temporary sibling directory: the
// spare tree of an earlier build when there is one, else a new one. It also
// tidies up leftovers of earlier killed builds.
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
	d := &Disk{dir: dir, tmp: tmp, entries: map[string]uint8{}, listed: make(chan struct{})}
	// Claim the spare by renaming it onto the new, empty folder: atomic,
	// so two builds never share it.
	// (os.Rename refuses to replace a directory; rename(2) replaces an
	// empty one.)
	if fi, err := os.Lstat(spareDir(dir)); err == nil && fi.IsDir() && unix.Rename(spareDir(dir), tmp) == nil {
		d.reused = true
		go func() {
			listTree(tmp, d.entries)
			close(d.listed)
		}()
	} else {
		close(d.listed)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	return d, nil
}

// cleanLeftovers tidies the siblings of dir that earlier builds left. If
// dir itself is missing but an old copy survived an interrupted fallback
// swap, that copy is restored. The folder of a killed build becomes the
// spare when there is none; any other is removed.
func cleanLeftovers(dir string) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, _ := os.ReadDir(parent)
	old := filepath.Join(parent, "."+base+"-gammal")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(old); err == nil {
			os.Rename(old, dir)
		}
	}
	spare := spareDir(dir)
	_, err := os.Lstat(spare)
	haveSpare := err == nil
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, "."+base+"-bygge-") || n == "."+base+"-gammal" {
			p := filepath.Join(parent, n)
			if !haveSpare && e.IsDir() && os.Rename(p, spare) == nil {
				haveSpare = true
				continue
			}
			os.RemoveAll(p)
		}
	}
}

// listTree lists every file and directory below root (not root itself),
// with plain getdents(2): a directory listing through os.ReadDir costs
// five more system calls per directory. kind holds the type of each entry
// as getdents reports it (unix.DT_DIR, DT_REG, DT_LNK, ...).
func listTree(root string, kind map[string]uint8) {
	var walk func(dir string)
	buf := make([]byte, 32<<10)
	walk = func(dir string) {
		fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err != nil {
			return
		}
		var subdirs []string
		for {
			n, err := unix.Getdents(fd, buf)
			if err == unix.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				break
			}
			for b := buf[:n]; len(b) > 0; {
				reclen := int(b[16]) | int(b[17])<<8
				typ := b[18]
				name := b[19:reclen]
				if i := bytes.IndexByte(name, 0); i >= 0 {
					name = name[:i]
				}
				b = b[reclen:]
				if string(name) == "." || string(name) == ".." {
					continue
				}
				p := dir + "/" + string(name)
				kind[p] = typ
				if typ == unix.DT_DIR {
					subdirs = append(subdirs, p)
				}
			}
		}
		unix.Close(fd)
		for _, sd := range subdirs {
			walk(sd)
		}
	}
	walk(root)
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
	// A file that no earlier build left here is created exclusively and
	// needs no truncation.
	<-d.listed
	k, had := d.entries[full]
	isNew := !had
	err = writeFile(full, data, isNew)
	if isNew && errors.Is(err, unix.EEXIST) {
		err = writeFile(full, data, false) // written twice in one build
	}
	if err != nil && d.reused {
		// The spare may hold a directory, a link or a file where this
		// build wants something else.
		d.clear(full)
		err = writeFile(full, data, false)
	}
	if err == nil && had {
		d.entries[full] = k | kept
	}
	return err
}

// clear makes way in a reused tree for a file at full where the spare has
// a directory or a link (mkdir has already made every parent a real
// directory).
func (d *Disk) clear(full string) {
	if fi, err := os.Lstat(full); err == nil && !fi.Mode().IsRegular() {
		os.RemoveAll(full)
	}
}

// writeFile writes data to the file at name, replacing what was there,
// with open(2), write(2), ftruncate(2) and close(2) alone. os.WriteFile
// also registers every file with the network poller (four more system
// calls, which fail for regular files); on a virtual machine, where system
// calls are dear, that was a quarter of the time spent writing a site. An
// existing file is overwritten in place and then cut to length, not opened
// with O_TRUNC: truncating frees the file's blocks and waits for their
// writeback, overwriting reuses them (12,000 pages: 0.27 s of system time
// against 1 to 4 s). Links are not followed.
//
// With isNew, the file must not exist yet (O_EXCL), and since it starts
// empty it is not truncated: one system call less.
func writeFile(name string, data []byte, isNew bool) error {
	flags := unix.O_WRONLY | unix.O_CREAT | unix.O_CLOEXEC | unix.O_NOFOLLOW
	if isNew {
		flags |= unix.O_EXCL
	}
	var fd int
	var err error
	for {
		fd, err = unix.Open(name, flags, 0o644)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	var size int64
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
		size += int64(n)
	}
	if !isNew {
		if err := unix.Ftruncate(fd, size); err != nil {
			unix.Close(fd)
			return &fs.PathError{Op: "truncate", Path: name, Err: err}
		}
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
// mkdir(2) each, remembering what exists. In a reused tree, an existing
// entry that is not a real directory is replaced. d.mu must be held.
func (d *Disk) mkdir(dir string) error {
	if len(dir) <= len(d.tmp) {
		return nil // the build folder itself, or something outside it
	}
	<-d.listed
	k := d.entries[dir]
	if k&kept != 0 {
		return nil
	}
	if err := d.mkdir(filepath.Dir(dir)); err != nil {
		return err
	}
	// The spare's listing says which directories exist already, which
	// saves a failing mkdir(2) and an lstat(2) for each.
	if k == unix.DT_DIR {
		d.entries[dir] = k | kept
		return nil
	}
	err := unix.Mkdir(dir, 0o755)
	if err == unix.EEXIST && d.reused {
		if fi, lerr := os.Lstat(dir); lerr == nil && !fi.IsDir() {
			os.Remove(dir)
			err = unix.Mkdir(dir, 0o755)
		} else {
			err = nil
		}
	}
	if err != nil && err != unix.EEXIST {
		return &fs.PathError{Op: "mkdir", Path: dir, Err: err}
	}
	d.entries[dir] = unix.DT_DIR | kept
	return nil
}

// Prune removes from a reused tree every file and directory that this
// build did not write or make. Call it after the last Write and before
// tools such as a search indexer add their own files; Commit refuses a
// reused tree that was not pruned, so no page of an older site can be
// published by mistake.
func (d *Disk) Prune() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pruned || !d.reused {
		d.pruned = true
		return nil
	}
	<-d.listed
	var stale []string
	for p, k := range d.entries {
		if k&kept == 0 {
			stale = append(stale, p)
		}
	}
	// Sorted, a directory comes before what it holds, which goes with it.
	slices.Sort(stale)
	gone := ""
	for _, p := range stale {
		if gone != "" && strings.HasPrefix(p, gone) {
			continue
		}
		// A directory this build did not make holds nothing it wrote.
		// (ENOTDIR: a parent was replaced by a file of this build.)
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, unix.ENOTDIR) {
			return fmt.Errorf("rensa %s: %w", p, err)
		}
		gone = p + "/"
	}
	d.pruned = true
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
	if d.reused && !d.pruned {
		d.Abort()
		return fmt.Errorf("publicera %s: bygget återanvände en gammal mapp men rensades aldrig (Prune)", d.dir)
	}
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
		d.keep(old)
		return nil
	}
	// d.tmp now holds the previous site: the spare for the next build.
	if d.Durable {
		syncDir(filepath.Dir(d.dir))
	}
	d.keep(d.tmp)
	return nil
}

// keep makes old, a previous site, the spare, or disposes of it if there
// already is one.
func (d *Disk) keep(old string) {
	if os.Rename(old, spareDir(d.dir)) == nil {
		return
	}
	if d.Discard != nil {
		d.Discard(old)
		return
	}
	os.RemoveAll(old)
}

// IsLeftover reports whether dir is a build directory or an old copy of a
// site that a Disk left behind, and so safe to remove: a hidden sibling
// named like ".public-bygge-123".
func IsLeftover(dir string) bool {
	base := filepath.Base(dir)
	return strings.HasPrefix(base, ".") && strings.Contains(base, "-bygge-")
}

// Abort discards the build. A build that reused the spare gives its
// folder back as the spare (the next build overwrites and prunes it
// anyway); a new folder is removed.
func (d *Disk) Abort() {
	if d.reused {
		<-d.listed // the listing reads the folder; let it finish first
	}
	if !d.reused || os.Rename(d.tmp, spareDir(d.dir)) != nil {
		os.RemoveAll(d.tmp)
	}
}

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
