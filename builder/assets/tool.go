package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Tool is an external program the portal runs (Dart Sass, Pagefind) and
// where to look for it. Find looks, in this order, at the environment
// variable Env; beside the portal executable (Beside, so that a downloaded
// portal finds tools unpacked next to it); in node_modules below each
// folder it is given and their parents (NodeModules, for `make`, which
// installs the npm packages); on PATH (Path). On Windows every name is
// also tried with .exe, .bat and .cmd.
type Tool struct {
	Env         string   // an environment variable holding the binary's path
	Beside      []string // slash paths relative to the folder of the portal executable
	NodeModules []string // glob patterns below node_modules
	Path        string   // the command's name on PATH
	NotFound    error    // what Find returns when nothing is found
}

// executable is os.Executable, replaced in tests.
var executable = os.Executable

// Find returns the path of the tool's binary; dirs are the folders whose
// node_modules (and their parents') are searched.
func (tl Tool) Find(dirs ...string) (string, error) {
	if p := os.Getenv(tl.Env); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", tl.Env, p, err)
		}
		return p, nil
	}
	if exe, err := executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		for _, rel := range tl.Beside {
			if p := firstExecutable(filepath.Join(filepath.Dir(exe), filepath.FromSlash(rel))); p != "" {
				return p, nil
			}
		}
	}
	for _, pattern := range tl.NodeModules {
		if p := findInNodeModules(dirs, pattern); p != "" {
			return p, nil
		}
	}
	if tl.Path != "" {
		if p, err := exec.LookPath(tl.Path); err == nil {
			return p, nil
		}
	}
	return "", tl.NotFound
}

// ErrNoSass is returned when no Dart Sass binary can be found.
var ErrNoSass = errors.New("Dart Sass saknas: kör `make` (installerar npm-paketet sass-embedded i node_modules/), " +
	"packa upp Dart Sass (mappen dart-sass) bredvid programmet portal, eller ange sökvägen i DART_SASS_BINARY")

// DartSass is the Dart Sass compiler: the binary the npm package
// sass-embedded ships, or the dart-sass folder of a Dart Sass release.
var DartSass = Tool{
	Env:         "DART_SASS_BINARY",
	Beside:      []string{"dart-sass/sass"},
	NodeModules: []string{"sass-embedded-*/dart-sass/sass"},
	Path:        "sass",
	NotFound:    ErrNoSass,
}

// FindDartSass locates the Dart Sass binary (see DartSass).
func FindDartSass(dirs ...string) (string, error) { return DartSass.Find(dirs...) }

// exeSuffixes are the endings a command may have on this system.
func exeSuffixes() []string {
	if runtime.GOOS == "windows" {
		return []string{"", ".exe", ".bat", ".cmd"}
	}
	return []string{""}
}

// firstExecutable returns p, or p with one of this system's command
// endings, if that is an executable file; else "".
func firstExecutable(p string) string {
	for _, suffix := range exeSuffixes() {
		if fi, err := os.Stat(p + suffix); err == nil && isExecutable(p+suffix, fi) {
			return p + suffix
		}
	}
	return ""
}

// isExecutable reports whether the file at p can be run: an execute bit on
// Unix, a command ending on Windows.
func isExecutable(p string, fi fs.FileInfo) bool {
	if fi.IsDir() {
		return false
	}
	if runtime.GOOS == "windows" {
		ext := strings.ToLower(filepath.Ext(p))
		return ext == ".exe" || ext == ".bat" || ext == ".cmd"
	}
	return fi.Mode()&0o111 != 0
}

func findInNodeModules(dirs []string, pattern string) string {
	seen := map[string]bool{}
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			continue
		}
		for dir := abs; !seen[dir]; dir = filepath.Dir(dir) {
			seen[dir] = true
			var matches []string
			for _, suffix := range exeSuffixes() {
				m, _ := filepath.Glob(filepath.Join(dir, "node_modules", pattern+suffix))
				matches = append(matches, m...)
			}
			sort.Strings(matches)
			for _, m := range matches {
				if fi, err := os.Stat(m); err == nil && isExecutable(m, fi) {
					return m
				}
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return ""
}
