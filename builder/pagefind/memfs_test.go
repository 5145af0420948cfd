package pagefind

import (
	"bytes"
	"io"
	"io/fs"
	"time"

	"github.com/exempelbanken/portal/builder/output"
)

// memFS reads the pagefind/ files of an output.Memory as an fs.FS.
type memFS struct{ m *output.Memory }

func (f memFS) Open(name string) (fs.File, error) {
	b, ok := f.m.Get(Dir + "/" + name)
	if !ok {
		return nil, fs.ErrNotExist
	}
	return &memFile{Reader: bytes.NewReader(b), name: name, size: int64(len(b))}, nil
}

type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Name() string               { return f.name }
func (f *memFile) Size() int64                { return f.size }
func (f *memFile) Mode() fs.FileMode          { return 0o444 }
func (f *memFile) ModTime() time.Time         { return time.Time{} }
func (f *memFile) IsDir() bool                { return false }
func (f *memFile) Sys() any                   { return nil }

var _ io.Reader = (*memFile)(nil)
