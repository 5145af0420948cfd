// Package search indexes a built site with Pagefind, so the static portal
// has full-text search in Swedish with filters and no server.
//
// The Pagefind binary is found like Dart Sass (assets.Tool): $PAGEFIND_BINARY,
// then beside the portal executable, then the binary the npm package
// pagefind installs in node_modules, then `pagefind` on PATH.
package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/exempelbanken/portal/builder/assets"
)

// ErrNoPagefind is returned when no Pagefind binary can be found.
var ErrNoPagefind = errors.New("Pagefind saknas: kör `make` (installerar npm-paketet pagefind i node_modules/), " +
	"lägg pagefind_extended bredvid programmet portal, eller ange sökvägen i PAGEFIND_BINARY; bygg utan sökindex med -search=false")

// Pagefind is the search indexer: the binary the npm package pagefind
// installs, or one from a Pagefind release beside the portal executable.
var Pagefind = assets.Tool{
	Env:         "PAGEFIND_BINARY",
	Beside:      []string{"pagefind_extended", "pagefind"},
	NodeModules: []string{"@pagefind/*/bin/pagefind_extended", "@pagefind/*/bin/pagefind"},
	Path:        "pagefind",
	NotFound:    ErrNoPagefind,
}

// FindPagefind locates the Pagefind binary (see Pagefind), searching
// node_modules from each of dirs and their parents.
func FindPagefind(dirs ...string) (string, error) { return Pagefind.Find(dirs...) }

// Index runs Pagefind over the complete site in dir, writing dir/pagefind/.
// root is the site root (used to find node_modules). Pagefind's own output
// goes to log only when indexing fails.
func Index(dir, root string, log io.Writer) error {
	return IndexContext(context.Background(), dir, root, log)
}

// IndexContext is Index that stops Pagefind when ctx is done. Pagefind
// never outlives this process: on Linux it gets SIGKILL when the process
// dies, however it dies (a parent-death signal).
func IndexContext(ctx context.Context, dir, root string, log io.Writer) error {
	cwd, _ := os.Getwd()
	exe, _ := os.Executable()
	bin, err := FindPagefind(root, cwd, filepath.Dir(exe))
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "--site", dir, "--output-subdir", "pagefind", "--quiet")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := runChild(cmd); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("Pagefind avbröts: %w", ctx.Err())
		}
		msg := strings.TrimSpace(out.String())
		if log != nil && msg != "" {
			fmt.Fprintln(log, msg)
		}
		return fmt.Errorf("Pagefind (%s): %w", bin, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind.js")); err != nil {
		return fmt.Errorf("Pagefind skrev inget sökindex: %s", strings.TrimSpace(out.String()))
	}
	return nil
}
