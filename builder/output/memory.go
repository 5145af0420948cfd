package output

import (
	"sort"
	"sync"
)

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
