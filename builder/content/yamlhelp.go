package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// swedishKeys maps field names an editor may write in Swedish (or as the
// site shows them) to the contract's keys, for "menade du …?".
var swedishKeys = map[string]string{
	"titel": "title", "rubrik": "title", "namn": "title",
	"sammanfattning": "summary", "ingress": "summary", "beskrivning": "summary",
	"kommun": "municipality", "kommuner": "municipality",
	"län": "region", "lan": "region", "region": "region", "regioner": "region",
	"land": "country", "ort": "place", "plats": "place",
	"målgrupp": "target_group", "malgrupp": "target_group", "målgrupper": "target_group", "malgrupper": "target_group",
	"investeringsmodell": "investment_model", "investeringsmodeller": "investment_model", "modell": "investment_model", "finansiering": "investment_model",
	"fokusområde": "focus_area", "fokusomrade": "focus_area", "fokusområden": "focus_area", "fokus": "focus_area",
	"typ": "case_type", "typ_av_exempel": "case_type",
	"status_datum": "status_as_of", "statusdatum": "status_as_of",
	"startår": "start", "startar": "start", "slut": "end", "slutår": "end", "slutar": "end",
	"budget": "budget_sek", "kostnad": "cost_sek", "beviljat": "cost_sek", "återbetalt": "repaid_sek", "aterbetalt": "repaid_sek",
	"utvärdering": "evaluation", "utvardering": "evaluation", "resultat": "results", "lärdomar": "lessons", "lardomar": "lessons",
	"kontakt": "contact", "granskad": "reviewed", "senast_granskad": "reviewed",
	"huvudman": "owner", "ägare": "owner", "initiativtagare": "initiator", "organisation": "owner",
	"partner": "partners", "samarbetspartner": "partners", "samarbetspartners": "partners",
	"relaterade": "related", "liknande": "related", "källor": "sources", "kallor": "sources", "källa": "sources", "kalla": "sources",
	"datum": "date", "publicerad": "date", "uppdaterad": "updated", "utkast": "draft",
	"alias": "aliases", "synonymer": "aliases", "sort": "kind", "slag": "kind",
	"tidigare_adresser": "former_slugs",
}

// suggestKey returns the contract key a Swedish field name most likely
// means, if it is among known.
func suggestKey(key string, known []string) string {
	k, ok := swedishKeys[strings.ToLower(strings.TrimSpace(key))]
	if ok && slices.Contains(known, k) {
		return k
	}
	return ""
}

var (
	keyNoSpaceRe = regexp.MustCompile(`^(\s*-?\s*)([A-Za-z_åäöÅÄÖ][\wåäöÅÄÖ-]*):([^\s/].*)$`)
	keyValueRe   = regexp.MustCompile(`^\s*-?\s*([A-Za-z_åäöÅÄÖ][\wåäöÅÄÖ-]*):\s+(.*)$`)
)

// explainYAML turns a yaml.v3 error into what to do about it, in Swedish.
// msg is the parser's message without its "yaml: line N:" prefix, line the
// (1-based) line of data it names, or 0. It returns the explanation and
// the line it is about, which may be a better one than the parser's.
func explainYAML(msg string, data []byte, line int) (string, int) {
	lines := strings.Split(string(data), "\n")
	at := func(n int) string {
		if n >= 1 && n <= len(lines) {
			return lines[n-1]
		}
		return ""
	}
	// The line the parser names, and the one before it, where most
	// mistakes it reports actually are.
	near := []int{line, line - 1}
	switch {
	case strings.Contains(msg, "could not find expected ':'"):
		for _, n := range append(near, line+1) {
			if m := keyNoSpaceRe.FindStringSubmatch(at(n)); m != nil {
				return fmt.Sprintf("skriv ett mellanslag efter kolon: %s: %s", m[2], strings.TrimSpace(m[3])), n
			}
		}
		return "en rad saknar kolon mellan fältnamn och värde (title: Text), eller så fortsätter en text på nästa rad utan citattecken", line
	case strings.Contains(msg, "mapping values are not allowed in this context"):
		for _, n := range near {
			if m := keyValueRe.FindStringSubmatch(at(n)); m != nil && strings.Contains(m[2], ": ") {
				return fmt.Sprintf("kolon i ett värde: sätt värdet inom citattecken, %s: \"%s\"", m[1], strings.ReplaceAll(strings.TrimSpace(m[2]), `"`, `\"`)), n
			}
		}
		return "kolon i ett värde: sätt värdet inom citattecken (summary: \"Text: mer text\")", line
	case strings.Contains(msg, "did not find expected '-' indicator"),
		strings.Contains(msg, "did not find expected key") && !quoteTrouble(at(line)) && !quoteTrouble(at(line+1)) && !quoteTrouble(at(line-1)),
		strings.Contains(msg, "block sequence entries are not allowed"):
		if n := misindented(lines, line); n > 0 {
			line = n
		}
		return "fel indrag: varje värde i en lista står på en egen rad som börjar med \"- \", alla med samma indrag, och ett fält i en listpost (pages:) står rakt under fältet ovanför (source:)", line
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "found unexpected end of stream"):
		// The quote that never closes may be any line above.
		for _, n := range append([]int{line + 1}, downFrom(line)...) {
			if quoteTrouble(at(n)) {
				return "ett citattecken stängs aldrig, eller så står ett \" inuti en text inom citattecken: skriv det som \\\" eller sätt texten inom enkla citattecken ('…')", n
			}
		}
		return "ett citattecken stängs aldrig, eller så saknas en rad --- efter fälten", line
	case strings.Contains(msg, "did not find expected alphabetic or numeric character"),
		strings.Contains(msg, "found character that cannot start any token"),
		strings.Contains(msg, "found undefined tag handle"),
		strings.Contains(msg, "did not find expected node content"):
		return "ett värde börjar med ett tecken som YAML tolkar själv (*, &, !, @, `, %, | eller >): sätt värdet inom citattecken", line
	case strings.Contains(msg, "already defined"):
		return "samma fält står två gånger: ta bort det ena", line
	}
	return "", line
}

// misindented returns the first line from `from` on (1-based) whose
// indentation matches no column the lines before it opened: neither a
// key's, nor a list item's dash or content. 0 if there is none.
func misindented(lines []string, from int) int {
	cols := map[int]bool{0: true}
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		ind := len(l) - len(t)
		if i+1 >= from && !cols[ind] {
			return i + 1
		}
		cols[ind] = true
		if strings.HasPrefix(t, "- ") {
			rest := strings.TrimLeft(t[2:], " ")
			cols[ind+len(t)-len(rest)] = true
		} else if strings.HasSuffix(t, ":") {
			cols[ind+2] = true // the usual indent below a key
		}
	}
	return 0
}

// downFrom returns n, n-1, …, 1.
func downFrom(n int) []int {
	var out []int
	for ; n >= 1; n-- {
		out = append(out, n)
	}
	return out
}

// quoteTrouble reports whether a line has an unbalanced or doubled double
// quote in its value.
func quoteTrouble(l string) bool {
	_, v, ok := strings.Cut(l, ": ")
	if !ok {
		v = l
	}
	v = strings.TrimSpace(strings.ReplaceAll(v, `\"`, ""))
	n := strings.Count(v, `"`)
	return n%2 == 1 || (n > 2 && strings.HasPrefix(v, `"`))
}
