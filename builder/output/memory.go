package output

import (
	"io/fs"
	"sort"
	"sync"
)

// Memory keeps a build in memory. It is safe for concurrent use.
type Memory struct {
	mu    sync.RWMutex
	files map[string][]byte
	later map[string]*later // files made on their first read (WriteLater)
}

// later is one WriteLater call: its files, made once.
type later struct {
	once  sync.Once
	make  func() (map[string][]byte, error)
	files map[string][]byte
	err   error
}

func (l *later) get(name string) ([]byte, error) {
	l.once.Do(func() { l.files, l.err = l.make() })
	if l.err != nil {
		return nil, l.err
	}
	b, ok := l.files[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return b, nil
}

var (
	_ Writer      = (*Memory)(nil)
	_ LaterWriter = (*Memory)(nil)
)

// LaterWriter is implemented by Writers that can leave files to be made
// when they are first read: the preview's way of not making, in every
// build, costly files that nobody may look at (the open data's Excel
// file). A disk build never does.
type LaterWriter interface {
	Writer
	// WriteLater adds the files names, which make returns (name →
	// content) on the first read of any of them, once. make may run
	// after the build, in another goroutine, so it must hold all it
	// needs. A name make leaves out is not found; an error of make is
	// every name's error.
	WriteLater(names []string, make func() (map[string][]byte, error)) error
}

// NewMemory returns an empty in-memory site.
func NewMemory() *Memory { return NewMemorySize(0) }

// NewMemorySize returns an empty in-memory site with room for n files
// made by Write: a preview's rebuild writes as many as the build before,
// and its map need not grow to them one doubling at a time.
func NewMemorySize(n int) *Memory {
	return &Memory{files: make(map[string][]byte, n), later: map[string]*later{}}
}

// Write implements Writer.
func (m *Memory) Write(name string, data []byte) error {
	c, err := CleanPath(name)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.files[c] = data
	delete(m.later, c)
	m.mu.Unlock()
	return nil
}

// WriteLater implements LaterWriter.
func (m *Memory) WriteLater(names []string, mk func() (map[string][]byte, error)) error {
	l := &later{make: mk}
	cs := make([]string, 0, len(names))
	for _, name := range names {
		c, err := CleanPath(name)
		if err != nil {
			return err
		}
		cs = append(cs, c)
	}
	m.mu.Lock()
	for _, c := range cs {
		delete(m.files, c)
		m.later[c] = l
	}
	m.mu.Unlock()
	return nil
}

// Get returns the file at name, making it first when it was written with
// WriteLater (false when making it failed; Open tells why).
func (m *Memory) Get(name string) ([]byte, bool) {
	b, err := m.Open(name)
	return b, err == nil
}

// Open returns the file at name: fs.ErrNotExist when there is none, or
// the error of making a WriteLater file.
func (m *Memory) Open(name string) ([]byte, error) {
	m.mu.RLock()
	b, ok := m.files[name]
	l := m.later[name]
	m.mu.RUnlock()
	switch {
	case ok:
		return b, nil
	case l != nil:
		return l.get(name)
	}
	return nil, fs.ErrNotExist
}

// Later reports whether name is a file of WriteLater, made only when read.
func (m *Memory) Later(name string) bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.later[name] != nil
}

// Delete removes name.
func (m *Memory) Delete(name string) {
	m.mu.Lock()
	delete(m.files, name)
	delete(m.later, name)
	m.mu.Unlock()
}

// Names returns every path, sorted, those of WriteLater included.
func (m *Memory) Names() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.files)+len(m.later))
	for k := range m.files {
		out = append(out, k)
	}
	for k := range m.later {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Each calls f with every file written with Write (not those left to
// WriteLater), in no particular order: cheaper than Names and Get for a
// caller that visits them all. f must not call m's methods.
func (m *Memory) Each(f func(name string, data []byte)) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for name, data := range m.files {
		if m.later[name] == nil {
			f(name, data)
		}
	}
}

// Len reports the number of files, those of WriteLater included.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.files) + len(m.later)
}

// Clone returns a copy of m sharing the file contents, which are never
// modified in place, and the files of WriteLater (made once for both).
func (m *Memory) Clone() *Memory {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c := &Memory{files: make(map[string][]byte, len(m.files)), later: make(map[string]*later, len(m.later))}
	for k, v := range m.files {
		c.files[k] = v
	}
	for k, v := range m.later {
		c.later[k] = v
	}
	return c
}
