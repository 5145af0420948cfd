package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/exempelbanken/portal/builder/diag"
)

// reporter prints the result of `portal check`: err holds the errors (nil
// when there are none), warnings the problems that do not stop a build. It
// returns the exit status.
type reporter func(env Env, err error, warnings []*diag.Error) int

// reporters are the formats of `portal check -format`: text for people,
// gitlab for a GitLab Code Quality report (errors on the changed lines of
// a merge request), github for GitHub Actions workflow commands (errors
// as annotations on the changed lines of a pull request).
var reporters = map[string]reporter{
	"text": func(env Env, err error, warnings []*diag.Error) int {
		PrintWarnings(env.Stderr, warnings)
		if err != nil {
			PrintErrors(env.Stderr, err)
			return ExitContent
		}
		return ExitOK
	},
	"gitlab": func(env Env, err error, warnings []*diag.Error) int {
		type lines struct {
			Begin int `json:"begin"`
		}
		type location struct {
			Path  string `json:"path"`
			Lines lines  `json:"lines"`
		}
		type issue struct {
			Description string   `json:"description"`
			CheckName   string   `json:"check_name"`
			Fingerprint string   `json:"fingerprint"`
			Severity    string   `json:"severity"`
			Location    location `json:"location"`
		}
		out := []issue{}
		add := func(e *diag.Error, severity string) {
			sum := sha256.Sum256([]byte(e.Error()))
			out = append(out, issue{Description: e.Msg, CheckName: "portal-check", Fingerprint: hex.EncodeToString(sum[:16]),
				Severity: severity, Location: location{Path: e.File, Lines: lines{Begin: max(e.Line, 1)}}})
		}
		for _, e := range diag.AsList(err) {
			add(e, "major")
		}
		for _, w := range warnings {
			add(w, "minor")
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		if err != nil {
			fmt.Fprintf(env.Stderr, "%d fel\n", len(diag.AsList(err)))
			return ExitContent
		}
		return ExitOK
	},
	"github": func(env Env, err error, warnings []*diag.Error) int {
		cmd := func(kind string, e *diag.Error) {
			fmt.Fprintf(env.Stdout, "::%s file=%s,line=%d,title=portal check::%s\n", kind, ghProperty(e.File), max(e.Line, 1), ghData(e.Msg))
		}
		for _, w := range warnings {
			cmd("warning", w)
		}
		for _, e := range diag.AsList(err) {
			cmd("error", e)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "%d fel\n", len(diag.AsList(err)))
			return ExitContent
		}
		return ExitOK
	},
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
