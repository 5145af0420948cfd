// Command portal builds, checks and previews Exempelbanken. See `portal help`.
package main

import (
	"os"

	portal "github.com/exempelbanken/portal"
	"github.com/exempelbanken/portal/builder/cli"
	"github.com/exempelbanken/portal/builder/search"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Theme: portal.Theme, SearchCLI: search.IndexContext}))
}
