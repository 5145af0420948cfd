package cli

import (
	"fmt"

	"github.com/exempelbanken/portal/builder/content"
)

// checkBaseURL validates the -baseurl flag like site.yaml's baseURL
// (content.CheckBaseURL) and normalises it to end in a slash. A bad value
// is a usage error: it returns ExitUsage after saying why, else -1.
func checkBaseURL(baseURL *string, env Env) int {
	if *baseURL == "" {
		return -1
	}
	u, err := content.CheckBaseURL(*baseURL)
	if err != nil {
		fmt.Fprintf(env.Stderr, "portal build: -baseurl %q är ingen webbadress: %v\n", *baseURL, err)
		return ExitUsage
	}
	*baseURL = u
	return -1
}
