// Package storefile reads and writes the files in which a build keeps
// what the next one can reuse (site's stores, search.Memo, output's
// inventory): a magic line, unsigned varints and length-prefixed strings,
// and a CRC-32C of it all at the end. A file is written through a
// temporary file and a rename, so that a reader never sees half of one;
// a missing, damaged or foreign file reads as none.
package storefile

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Path is the file in dir/sub that keeps what builds of the site at root
// reuse, one per site (a hash of root's absolute path); "" when there is
// no cache folder (dir "") or root has no absolute path.
func Path(dir, sub, root string) string {
	abs, err := filepath.Abs(root)
	if dir == "" || err != nil {
		return ""
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(dir, sub, hex.EncodeToString(sum[:8])+".bin")
}

// Segment returns the name of segment i of a store kept in several files
// beside file (a .bin name): "abc.bin" → "abc-3.bin".
func Segment(file string, i int) string {
	return strings.TrimSuffix(file, ".bin") + "-" + strconv.Itoa(i) + ".bin"
}

// Encoder writes the fields of a file.
type Encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

// Uint writes v.
func (e *Encoder) Uint(v uint64) { e.w.Write(e.buf[:binary.PutUvarint(e.buf[:], v)]) }

// Str writes s with its length.
func (e *Encoder) Str(s string) {
	e.Uint(uint64(len(s)))
	e.w.WriteString(s)
}

// Raw writes b as it is, without its length.
func (e *Encoder) Raw(b []byte) { e.w.Write(b) }

// Bytes writes b with its length.
func (e *Encoder) Bytes(b []byte) {
	e.Uint(uint64(len(b)))
	e.w.Write(b)
}

// Write writes file: magic, what fill writes, and the checksum, through a
// temporary file beside it (".name-123"; the folder is made when missing)
// and a rename. Such temporary files of file that killed processes left
// over an hour ago are removed.
func Write(file, magic string, fill func(e *Encoder)) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	temp := "." + filepath.Base(file) + "-*"
	fsutil.RemoveStale(dir, temp, time.Hour)
	f, err := os.CreateTemp(dir, temp)
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	sum := crc32.New(castagnoli)
	e := &Encoder{w: bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<20)}
	e.w.WriteString(magic)
	fill(e)
	err = e.w.Flush()
	if err == nil {
		_, err = f.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32()))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), file)
}

// Decoder reads the fields of a file. The first error sticks: every read
// after it gives zero values, and Err reports it.
type Decoder struct {
	b       []byte
	damaged bool
}

// Read reads file, written by Write with magic, and returns a Decoder of
// its fields; false when the file is missing, of another magic, or
// damaged. Strings and byte slices read from it share the file's bytes:
// they live while any of them does, and must not be written to.
func Read(file, magic string) (*Decoder, bool) {
	b, err := os.ReadFile(file)
	return decode(b, err, magic)
}

// Map is Read with the file mapped into memory on Linux and macOS instead
// of read: its bytes are those the system already holds for the file,
// which a new process gets without taking memory of its own (on a virtual
// machine that hands back free memory to its host, fresh memory is dear).
// The mapping is never undone: for a process that reads each of its
// stores once, such as portal build. (The files are replaced by a rename,
// never truncated, so a mapped file never shrinks under its reader.)
func Map(file, magic string) (*Decoder, bool) {
	b, err := mapFile(file)
	return decode(b, err, magic)
}

// decode checks the bytes b of a file (err: reading it failed) and
// returns a Decoder of its fields.
func decode(b []byte, err error, magic string) (*Decoder, bool) {
	if err != nil || len(b) < len(magic)+4 || !bytes.HasPrefix(b, []byte(magic)) {
		return nil, false
	}
	body := b[:len(b)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, false
	}
	return &Decoder{b: body[len(magic):]}, true
}

func (d *Decoder) fail() {
	d.damaged, d.b = true, nil
}

// Uint reads an unsigned varint.
func (d *Decoder) Uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// Bytes reads a length-prefixed byte slice.
func (d *Decoder) Bytes() []byte {
	n := d.Uint()
	if d.damaged || n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// Str reads a length-prefixed string.
func (d *Decoder) Str() string {
	b := d.Bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Count reads a number of entries to come, each of at least one byte:
// 0, and the Decoder damaged, when the file cannot hold them.
func (d *Decoder) Count() uint64 {
	n := d.Uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return n
}

// Fail marks the file damaged, for a reader that finds a value it cannot
// have written: every read after it gives zero values, and Err is true.
func (d *Decoder) Fail() { d.fail() }

// Ok reports whether everything was read, without error and to the end.
func (d *Decoder) Ok() bool { return !d.damaged && len(d.b) == 0 }

// Err reports whether a read failed.
func (d *Decoder) Err() bool { return d.damaged }

// Prune removes the files in dir's folders (dir/<folder>/<file>: the
// stores of every site built on this machine, and the files kept by
// content, such as compiled stylesheets) that nothing has written or used
// for maxAge. Such files belong to sites that were moved or removed, or
// to versions of the content long replaced; without pruning the cache
// folder would only grow. The stores of the site at root, which is being
// built, are kept and marked as used (their time set to now: a store a
// build reads but need not write again keeps its old time otherwise), so
// a site's files go only when it has not been built for maxAge. It runs
// at most once per interval for each site (the time of the file
// dir/.rensat-<site>) and reports how many files it removed; a file it
// cannot remove stays, and nothing here fails a build.
func Prune(dir, root string, maxAge, interval time.Duration, now time.Time) int {
	own := ""
	if p := Path(dir, "x", root); p != "" {
		own = strings.TrimSuffix(filepath.Base(p), ".bin")
	}
	if own == "" {
		return 0
	}
	mark := filepath.Join(dir, ".rensat-"+own)
	if st, err := os.Stat(mark); err == nil && now.Sub(st.ModTime()) < interval {
		return 0
	}
	folders, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	removed := 0
	for _, f := range folders {
		// Other sites' marks go with their files.
		if f.Type().IsRegular() && strings.HasPrefix(f.Name(), ".rensat-") {
			if info, err := f.Info(); err == nil && now.Sub(info.ModTime()) >= maxAge {
				os.Remove(filepath.Join(dir, f.Name()))
			}
			continue
		}
		// The unpacked themes (tema-…) are whole folders that a build
		// may be reading: not pruned here.
		if !f.IsDir() || strings.HasPrefix(f.Name(), "tema-") || strings.HasPrefix(f.Name(), ".") {
			continue
		}
		sub := filepath.Join(dir, f.Name())
		files, err := os.ReadDir(sub)
		if err != nil {
			continue
		}
		for _, e := range files {
			name := e.Name()
			if !e.Type().IsRegular() {
				continue
			}
			file := filepath.Join(sub, name)
			if strings.HasPrefix(name, own+".") || strings.HasPrefix(name, own+"-") {
				os.Chtimes(file, now, now)
				continue
			}
			if info, err := e.Info(); err != nil || now.Sub(info.ModTime()) < maxAge {
				continue
			}
			if os.Remove(file) == nil {
				removed++
			}
		}
	}
	if err := os.WriteFile(mark, nil, 0o644); err == nil {
		os.Chtimes(mark, now, now)
	}
	return removed
}
