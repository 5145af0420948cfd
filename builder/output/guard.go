package output

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
)

// Marker is the file that every folder a Disk makes holds, from the
// moment it is made: the published site, its spare and the folders of
// builds in progress. A Disk replaces, moves or deletes only folders that
// hold it (or are empty), so that `portal build -out` never touches a
// folder of the user's. Search indexers and sitemaps see only pages, so
// the file is never published as part of the site's content.
const Marker = ".exempelbanken-utdata"

const markerText = "Den här mappen är byggd av `portal build` (Exempelbanken).\n" +
	"Hela mappen ersätts vid nästa bygge: lägg inga egna filer här.\n"

// TargetError is an output folder that a build must not replace. Dir is
// the folder as given; Reason says why, in Swedish, with what to do.
type TargetError struct {
	Dir    string
	Reason string
}

func (e *TargetError) Error() string { return e.Dir + ": " + e.Reason }

// CheckTarget reports, with a *TargetError, whether a build may not
// publish into dir: the filesystem root, the home folder or a folder
// above it; with root (the site root, "" for none) also root itself, a
// folder above it, and anything in its content/, layouts/ and assets/; and
// an existing folder that is not empty and does not hold the Marker. A
// missing dir, an empty folder and an earlier build's output are fine.
// NewDisk checks the same, and again once it holds the build lock.
func CheckTarget(dir, root string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := checkPlace(abs, root); err != nil {
		return err
	}
	return checkContents(abs)
}

// checkPlace refuses the places a site must never be published to,
// whatever they hold. dir is absolute; paths are compared with every
// symbolic link resolved.
func checkPlace(dir, root string) error {
	real := realPath(dir)
	refuse := func(reason string) error { return &TargetError{Dir: dir, Reason: reason} }
	if filepath.Dir(real) == real {
		return refuse("är filsystemets rot; ange en egen mapp för webbplatsen, till exempel -out public")
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && filepath.Dir(realPath(home)) != realPath(home) &&
		fsutil.IsInside(real, realPath(home)) {
		if realPath(home) == real {
			return refuse("är din hemmapp; ange en egen mapp för webbplatsen, till exempel -out public")
		}
		return refuse("innehåller din hemmapp; ange en egen mapp för webbplatsen, till exempel -out public")
	}
	if root == "" {
		return nil
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	realRoot := realPath(absRoot)
	switch {
	case real == realRoot:
		return refuse("är webbplatsens rot (med content/, layouts/ och assets/); ange en mapp i den, till exempel -out public")
	case fsutil.IsInside(real, realRoot):
		return refuse("innehåller webbplatsens rot; ange en mapp för bara webbplatsen, till exempel -out public")
	}
	for _, src := range []string{"content", "layouts", "assets"} {
		if fsutil.IsInside(realPath(filepath.Join(absRoot, src)), real) {
			return refuse("ligger i webbplatsens " + src + "/, som bygget läser; ange en mapp utanför den, till exempel -out public")
		}
	}
	return nil
}

// checkContents refuses an existing dir that a build did not make: a file,
// a link, or a folder that is not empty and does not hold the Marker.
func checkContents(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return &TargetError{Dir: dir, Reason: "är en symbolisk länk; ange mappen den pekar på, eller en ny mapp"}
	case !fi.IsDir():
		return &TargetError{Dir: dir, Reason: "finns redan och är ingen mapp; inget ändrades. Välj en annan utdatamapp med -out"}
	case isOurs(dir) || isEmptyDir(dir):
		return nil
	}
	return &TargetError{Dir: dir, Reason: "mappen har innehåll som portal build inte har skrivit (filen " + Marker +
		" saknas); inget flyttades eller raderades. Välj en ny eller tom mapp med -out, " +
		"eller ta bort mappen om den är en webbplats som en äldre version av portal byggde"}
}

// isOurs reports whether dir is a folder that holds the Marker.
func isOurs(dir string) bool {
	fi, err := os.Lstat(filepath.Join(dir, Marker))
	return err == nil && fi.Mode().IsRegular()
}

// isEmptyDir reports whether dir is a folder with nothing in it.
func isEmptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	return err == io.EOF
}

// writeMarker puts the Marker into dir.
func writeMarker(dir string) error {
	_, err := writeFile(filepath.Join(dir, Marker), []byte(markerText), false)
	return err
}

// realPath returns the absolute path p with every symbolic link of its
// longest existing prefix resolved, so that paths can be compared before
// the folder they name exists.
func realPath(p string) string {
	var rest []string
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(append([]string{p}, rest...)...)
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}
