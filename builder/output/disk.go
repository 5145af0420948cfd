package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
)

// Disk writes a build into dir atomically. Create it with NewDisk, write
// the files, Prune, then Commit or Abort.
//
// The previous site is not deleted when a new one is swapped in: it is kept
// beside dir as a spare (".public-reserv" for public) and the next build
// writes into it, overwriting its files in place and pruning what it did not
// write. Creating and deleting thousands of files per build is what costs
// most on ext4, which after mass deletions scans past every recently freed
// inode for each new one; overwriting reuses the inodes.
//
// Every folder a Disk makes holds the Marker file from the start, and a
// Disk moves or deletes only folders that hold it: the published site, the
// spare, and what killed builds left behind.
type Disk struct {
	// Durable makes Commit flush the new site to stable storage before
	// swapping it in, so the swap also survives a power loss. Without it
	// the swap is still atomic for a build that is killed or crashes.
	Durable bool

	dir    string // the published directory, e.g. public
	tmp    string // the build directory, a sibling of dir
	unlock func() // releases the build lock of dir
	mu     sync.Mutex

	// entries holds, by full path, what the spare tree held when the build
	// reuses one (listed in the background from NewDisk on, with their
	// kinds: kindDir, kindFile, kindOther) and the directories the build
	// made. kept marks what the build wrote or made, so that Prune can
	// remove the rest.
	entries map[string]uint8
	listed  chan struct{} // closed once entries and inv are ready
	reused  bool
	pruned  bool

	// inv is the inventory of the last two builds (read in the background
	// from NewDisk on); wrote holds the records of this build's files, by
	// slash path: what Commit saves as the new inventory.
	inv       *inventory
	wrote     map[string]record
	unchanged int

	// The directories' stamps for the inventory: verified holds those of
	// the spare's directories that the listing took from the inventory;
	// touched the directories whose entries this build added or removed;
	// unrecorded those holding a file written without a stamp; dirs what
	// Prune found, by slash path.
	verified   map[string]stamp
	touched    map[string]bool
	unrecorded map[string]bool
	dirs       map[string]stamp
}

// The kinds of entries in a listed tree, and the flag of Disk.entries for a
// path this build wrote or made.
const (
	kindOther uint8 = iota + 1
	kindDir
	kindFile

	kept = 0x80
)

var _ Streaming = (*Disk)(nil)

// Streams implements Streaming: Disk is done with the data when Write
// returns.
func (d *Disk) Streams() bool { return true }

// sibling names the hidden sibling of dir with the given suffix:
// ".public-reserv" for public and "reserv".
func sibling(dir, suffix string) string {
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+"-"+suffix)
}

// spareDir is where the previous site of dir waits to be overwritten by the
// next build; oldDir is where the fallback swap parks the published site
// for a moment.
func spareDir(dir string) string { return sibling(dir, "reserv") }
func oldDir(dir string) string   { return sibling(dir, "gammal") }

// Option configures NewDisk.
type Option func(*diskOptions)

type diskOptions struct {
	sourceRoot string
	onWait     func(lockFile string)
}

// SourceRoot names the site root the build reads. NewDisk then also
// refuses an output folder that is the root, lies above it, or lies in
// its content/, layouts/ or assets/ folders.
func SourceRoot(root string) Option {
	return func(o *diskOptions) { o.sourceRoot = root }
}

// OnWait is called, with the lock file's path, when another build holds
// the lock of the output folder; NewDisk then waits until it is released.
func OnWait(f func(lockFile string)) Option {
	return func(o *diskOptions) { o.onWait = f }
}

// NewDisk prepares a build of dir in a temporary sibling directory: the
// spare tree of an earlier build when there is one, else a new one. It
// refuses (with a *TargetError) a dir that it must not replace (see
// CheckTarget), waits while another build of dir runs, and tidies up the
// leftovers of earlier killed builds.
func NewDisk(dir string, opts ...Option) (*Disk, error) {
	var o diskOptions
	for _, opt := range opts {
		opt(&o)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Checked before anything is made beside dir, and the contents again
	// under the lock, when no other build is swapping dir.
	if err := CheckTarget(dir, o.sourceRoot); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("skapa %s: %w", parent, err)
	}
	unlock, err := lockDir(dir, o.onWait)
	if err != nil {
		return nil, err
	}
	d, err := newDisk(dir, unlock)
	if err != nil {
		unlock()
		return nil, err
	}
	return d, nil
}

// newDisk does the work of NewDisk once the build lock of dir is held.
func newDisk(dir string, unlock func()) (*Disk, error) {
	restoreOld(dir)
	if err := checkContents(dir); err != nil {
		return nil, err
	}
	cleanLeftovers(dir)
	parent := filepath.Dir(dir)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+"-bygge-")
	if err != nil {
		return nil, fmt.Errorf("skapa byggmapp: %w", err)
	}
	d := &Disk{dir: dir, tmp: tmp, unlock: unlock, entries: map[string]uint8{}, listed: make(chan struct{}), wrote: map[string]record{},
		verified: map[string]stamp{}, touched: map[string]bool{}, unrecorded: map[string]bool{}}
	// Claim the spare by renaming it onto the new, empty folder.
	if spare := spareDir(dir); isOurs(spare) && renameOntoEmpty(spare, tmp) == nil {
		d.reused = true
	}
	go func() {
		d.inv = readInventory(inventoryFile(dir))
		if d.reused {
			listTree(tmp, d.entries, d.knownDir(d.inv.olderChildren()))
		}
		close(d.listed)
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		d.discardTmp()
		return nil, err
	}
	if err := writeMarker(tmp); err != nil {
		d.discardTmp()
		return nil, fmt.Errorf("skapa byggmapp: %w", err)
	}
	return d, nil
}

// knownDir returns, for the listing of the spare, the entries of a
// directory by the inventory (children, by slash path) when its stamp is
// the one the inventory recorded: nothing has been added to it or removed
// from it since, so it need not be read. (A file changed in place is
// caught by its own stamp when it is kept.)
func (d *Disk) knownDir(children map[string][]child) func(dir string) ([]child, bool) {
	return func(dir string) ([]child, bool) {
		rel, ok := d.rel(dir)
		if !ok {
			return nil, false
		}
		want, ok := d.inv.olderDirs[rel]
		if !ok {
			return nil, false
		}
		if st, ok := dirStamp(dir); !ok || st != want {
			return nil, false
		}
		d.verified[dir] = want
		return children[rel], true
	}
}

// rel returns the slash path of full in the build folder; false for the
// folder itself and what is outside it.
func (d *Disk) rel(full string) (string, bool) {
	r, ok := strings.CutPrefix(full, d.tmp+string(filepath.Separator))
	if !ok || r == "" {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// restoreOld puts back the published site that an interrupted fallback
// swap (Commit without an atomic exchange) left beside a missing dir.
func restoreOld(dir string) {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) && isOurs(oldDir(dir)) {
		os.Rename(oldDir(dir), dir)
	}
}

// cleanLeftovers tidies the siblings of dir that earlier builds left: the
// folder of a killed build becomes the spare when there is none; any other
// is removed. Only folders that hold the Marker, or are empty, are
// touched.
func cleanLeftovers(dir string) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, _ := os.ReadDir(parent)
	spare := spareDir(dir)
	_, err := os.Lstat(spare)
	haveSpare := err == nil
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, "."+base+"-bygge-") && n != "."+base+"-gammal" {
			continue
		}
		p := filepath.Join(parent, n)
		if !e.IsDir() || !(isOurs(p) || isEmptyDir(p)) {
			continue
		}
		if !haveSpare && isOurs(p) && os.Rename(p, spare) == nil {
			haveSpare = true
			continue
		}
		os.RemoveAll(p)
	}
}

// Write implements Writer. Writes are serialised: on the disks this
// builder runs on, parallel metadata operations are slower than sequential
// ones, and one writer keeps the number of system calls minimal. A file
// that the spare holds with the same contents, by the inventory, is left
// as it is.
func (d *Disk) Write(name string, data []byte) error {
	c, err := CleanPath(name)
	if err != nil {
		return err
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(c))
	sum := Checksum(data)
	st, stamped := d.spareStamp(c, full)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.keepSpare(c, full, st, stamped, len(data), sum) {
		return nil
	}
	return d.write(c, full, data, sum)
}

// spareStamp returns the stamp of the file at full (c in the tree) when
// the spare may hold it as the inventory says, taken before the writer's
// lock: the writers' lstat(2) calls then overlap. (No other writer writes
// this path meanwhile: a build writes a path twice only one write after
// the other.)
func (d *Disk) spareStamp(c, full string) (stamp, bool) {
	<-d.listed
	if d.reused && d.inv.has(c) {
		return fileStamp(full)
	}
	return stamp{}, false
}

// keepSpare keeps the spare's file at full (c in the tree, with stamp st
// when stamped) when it holds size bytes with checksum sum, by the
// inventory, and the folders it is in. d.mu must be held.
func (d *Disk) keepSpare(c, full string, st stamp, stamped bool, size int, sum uint64) bool {
	k, had := d.entries[full]
	if !had || k != kindFile || !stamped || !d.inv.match(c, st, size, sum) {
		return false
	}
	if d.mkdir(filepath.Dir(full)) != nil { // kept, not pruned
		return false
	}
	d.entries[full] = k | kept
	d.wrote[c] = record{st: st, sum: sum}
	d.unchanged++
	return true
}

// Keep implements Keeper: the file is in the build when the spare holds
// it as it is, or else when the published site does (both by the
// inventory), from which it is copied (and checked).
func (d *Disk) Keep(name string, size int, sum uint64, _ bool) bool {
	c, err := CleanPath(name)
	if err != nil {
		return false
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(c))
	st, stamped := d.spareStamp(c, full)
	d.mu.Lock()
	if d.keepSpare(c, full, st, stamped, size, sum) {
		d.mu.Unlock()
		return true
	}
	d.mu.Unlock()
	pub := filepath.Join(d.dir, filepath.FromSlash(c))
	if st, ok := fileStamp(pub); !ok || !d.inv.match(c, st, size, sum) {
		return false
	}
	data, err := os.ReadFile(pub)
	if err != nil || len(data) != size || Checksum(data) != sum {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.write(c, full, data, sum) == nil
}

// write writes data (with checksum sum) to the file at full, c in the
// tree. d.mu must be held.
func (d *Disk) write(c, full string, data []byte, sum uint64) error {
	if err := d.mkdir(filepath.Dir(full)); err != nil {
		return err
	}
	// A file that no earlier build left here is created exclusively and
	// needs no truncation.
	k, had := d.entries[full]
	isNew := !had
	st, err := writeFile(full, data, isNew)
	if isNew && errors.Is(err, fs.ErrExist) {
		st, err = writeFile(full, data, false) // written twice in one build
	}
	if err != nil && d.reused {
		// The spare may hold a directory, a link or a file where this
		// build wants something else.
		d.clear(full)
		st, err = writeFile(full, data, false)
	}
	if err != nil {
		return err
	}
	if had {
		d.entries[full] = k | kept
	}
	if !had || k&^kept != kindFile {
		d.touched[filepath.Dir(full)] = true // a new entry
	}
	if st != (stamp{}) {
		d.wrote[c] = record{st: st, sum: sum}
	} else {
		delete(d.wrote, c)
		d.unrecorded[filepath.Dir(full)] = true
	}
	return nil
}

// clear makes way in a reused tree for a file at full where the spare has
// a directory or a link (mkdir has already made every parent a real
// directory).
func (d *Disk) clear(full string) {
	if fi, err := os.Lstat(full); err == nil && !fi.Mode().IsRegular() {
		os.RemoveAll(full)
		d.touched[filepath.Dir(full)] = true
	}
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
	if k == kindDir {
		d.entries[dir] = k | kept
		return nil
	}
	err := os.Mkdir(dir, 0o755)
	if errors.Is(err, fs.ErrExist) && d.reused {
		if fi, lerr := os.Lstat(dir); lerr == nil && !fi.IsDir() {
			os.Remove(dir)
			err = os.Mkdir(dir, 0o755)
		} else {
			err = nil
		}
	}
	d.touched[filepath.Dir(dir)] = true
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	d.entries[dir] = kindDir | kept
	return nil
}

// Prune removes from a reused tree every file and directory that this
// build did not write or make (the Marker stays). Call it after the last
// Write and before tools such as a search indexer add their own files;
// Commit refuses a reused tree that was not pruned, so no page of an older
// site can be published by mistake.
func (d *Disk) Prune() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pruned || !d.reused {
		if !d.pruned {
			d.recordDirs()
		}
		d.pruned = true
		return nil
	}
	<-d.listed
	marker := filepath.Join(d.tmp, Marker)
	var stale []string
	for p, k := range d.entries {
		if k&kept == 0 && p != marker {
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
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("rensa %s: %w", p, err)
		}
		d.touched[filepath.Dir(p)] = true
		gone = p + string(filepath.Separator)
	}
	d.recordDirs()
	d.pruned = true
	return nil
}

// recordDirs records the stamps of the tree's directories for the
// inventory, now that the build has written all it writes: a directory
// taken from the inventory and not touched since keeps its stamp; the
// others are looked at. Directories holding a file without a record are
// left out, so that the next listing reads them. d.mu must be held.
func (d *Disk) recordDirs() {
	d.dirs = map[string]stamp{}
	for full, k := range d.entries {
		if k != kindDir|kept || d.unrecorded[full] {
			continue
		}
		rel, ok := d.rel(full)
		if !ok {
			continue
		}
		if st, ok := d.verified[full]; ok && !d.touched[full] {
			d.dirs[rel] = st
		} else if st, ok := dirStamp(full); ok {
			d.dirs[rel] = st
		}
	}
}

// Unchanged returns how many files the build did not write because the
// spare held them already, as they were.
func (d *Disk) Unchanged() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.unchanged
}

// Dir returns the temporary build directory, for tools (such as a search
// indexer) that must run on the complete site before it is published.
func (d *Disk) Dir() string { return d.tmp }

// exchange swaps two directories atomically, or returns an error when the
// system or filesystem cannot (then Commit falls back to two renames). A
// variable, so that tests can take the fallback.
var exchange = renameExchange

// betweenRenames runs in the fallback swap after the published site was
// moved aside and before the new one takes its place: a test hook that
// simulates a kill at the worst moment by returning false.
var betweenRenames = func() bool { return true }

// Commit swaps the build in place of dir atomically (after flushing it to
// disk when Durable): readers see either the whole old site or the whole
// new one. Where the system has no atomic exchange of two directories
// (Windows, some network filesystems) it takes two renames; a build killed
// between them leaves the old site beside dir, and the next build puts it
// back before anything else.
func (d *Disk) Commit() error {
	defer d.release()
	if d.reused && !d.pruned {
		d.abort()
		return fmt.Errorf("publicera %s: bygget återanvände en gammal mapp men rensades aldrig (Prune)", d.dir)
	}
	if d.Durable {
		if err := syncTree(d.tmp); err != nil {
			d.abort()
			return fmt.Errorf("skriv %s till disk: %w", d.tmp, err)
		}
	}
	if _, err := os.Lstat(d.dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(d.tmp, d.dir); err != nil {
			d.abort()
			return fmt.Errorf("publicera %s: %w", d.dir, err)
		}
		d.saveInventory()
		if d.Durable {
			return syncDir(filepath.Dir(d.dir))
		}
		return nil
	}
	if err := exchange(d.tmp, d.dir); err != nil {
		return d.commitByRenames()
	}
	// d.tmp now holds the previous site: the spare for the next build.
	if d.Durable {
		syncDir(filepath.Dir(d.dir))
	}
	d.keep(d.tmp)
	d.saveInventory()
	return nil
}

// saveInventory records the files of the site just published, and those
// of the site it replaced (the spare), for the next build. An inventory
// that cannot be written only costs that build the writes it would have
// saved; one that is out of date costs nothing else either (see
// inventory), so errors are ignored.
func (d *Disk) saveInventory() {
	<-d.listed
	writeInventory(inventoryFile(d.dir), d.wrote, d.inv.latest, d.dirs, d.inv.latestDirs)
}

// commitByRenames is Commit without an atomic exchange: the published site
// moves aside to oldDir, the build takes its place.
func (d *Disk) commitByRenames() error {
	old := oldDir(d.dir)
	if isOurs(old) {
		os.RemoveAll(old)
	}
	if err := os.Rename(d.dir, old); err != nil {
		d.abort()
		return fmt.Errorf("publicera %s: %w", d.dir, err)
	}
	if !betweenRenames() {
		return errors.New("publicera: avbröts mellan de två namnbytena (test)")
	}
	if err := os.Rename(d.tmp, d.dir); err != nil {
		os.Rename(old, d.dir)
		d.abort()
		return fmt.Errorf("publicera %s: %w", d.dir, err)
	}
	syncDir(filepath.Dir(d.dir))
	d.keep(old)
	d.saveInventory()
	return nil
}

// keep makes old, a previous site, the spare, or disposes of it if there
// already is one.
func (d *Disk) keep(old string) {
	if os.Rename(old, spareDir(d.dir)) == nil {
		return
	}
	os.RemoveAll(old)
}

// Abort discards the build. A build that reused the spare gives its
// folder back as the spare (the next build overwrites and prunes it
// anyway); a new folder is removed.
func (d *Disk) Abort() {
	d.abort()
	d.release()
}

func (d *Disk) abort() {
	<-d.listed // the listing reads the folder; let it finish first
	if !d.reused || os.Rename(d.tmp, spareDir(d.dir)) != nil {
		d.discardTmp()
	}
}

// discardTmp removes the build folder.
func (d *Disk) discardTmp() { os.RemoveAll(d.tmp) }

// release gives up the build lock; later calls do nothing.
func (d *Disk) release() {
	if d.unlock != nil {
		d.unlock()
		d.unlock = nil
	}
}
