// Package portal holds the portal's default theme: the layouts/ and assets/
// folders of this repository, embedded in the binary. A site root without
// its own layouts/ or assets/ folder is built with these.
package portal

import "embed"

// Theme holds layouts/ and assets/.
//
//go:embed all:layouts all:assets
var Theme embed.FS
