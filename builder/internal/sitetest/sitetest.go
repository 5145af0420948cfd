// Package sitetest writes small test sites from one string, Hugo style:
//
//	-- content/exempel/a.md --
//	---
//	title: A
//	---
//
// Base is a complete valid site that tests override file by file.
package sitetest

import (
	"os"

	"github.com/exempelbanken/portal/builder/internal/fsutil"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// RepoRoot returns the repository root (the folder holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

// Parse splits an archive into file paths and contents. A file's content
// runs to the next "-- path --" line; the final newline is kept.
func Parse(archive string) map[string]string {
	files := map[string]string{}
	var name string
	var b strings.Builder
	flush := func() {
		if name != "" {
			files[name] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(archive, "\n") {
		trim := strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(trim, "-- ") && strings.HasSuffix(trim, " --") && len(trim) > 6 {
			flush()
			name = strings.TrimSpace(trim[3 : len(trim)-3])
			continue
		}
		if name != "" {
			b.WriteString(line)
		}
	}
	flush()
	return files
}

// Write creates a site in dir from Base, then archive (files in archive
// replace Base's; a file whose content is exactly "DELETE\n" is removed).
// It also copies the real layouts/, assets/ and content/data/ of the
// repository unless the archive provides its own files there.
func Write(t testing.TB, dir string, archive string) {
	t.Helper()
	root := RepoRoot(t)
	files := Parse(Base)
	for k, v := range Parse(archive) {
		files[k] = v
	}
	for _, sub := range []string{"layouts", "assets", "content/data"} {
		if err := fsutil.CopyTree(filepath.Join(root, sub), filepath.Join(dir, sub)); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if data == "DELETE\n" {
			os.Remove(p)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Base is a small valid site: two cases, two glossary terms, one page.
const Base = `-- content/site.yaml --
title: Testbanken
baseURL: https://test.example/
language: sv
description: En testportal.
publisher: Testredaktionen
publisher_uri: https://test.example/
contact_email: data@test.example
-- content/kallor.yaml --
kallor:
  - id: kallan
    title: Källan
    publisher: Testkommunen
    date: 2015-07
    kind: rapport
-- content/vokabular.yaml --
target_group:
  - label: Barn 6–12 år
    description: Barn i skolåldern.
  - label: Ungdomar 13–19 år
focus_area:
  - label: Psykisk hälsa
  - label: Skola och lärande
case_type:
  - label: Insats
  - label: Fond eller finansiering
-- content/begrepp/social-investeringsfond.md --
---
title: Social investeringsfond
summary: En fond för förebyggande insatser som ska löna sig.
aliases:
  - fondmodell
kind: investeringsmodell
financier: Kommunen
repayment: Ofta genom återföring
suited_when: kommunen vill pröva en förebyggande insats och kan vänta på vinsterna
---

En social investeringsfond finansierar tidiga insatser.
-- content/begrepp/tidig-insats.md --
---
title: Tidig insats
summary: En insats tidigt i livet eller i ett förlopp.
kind: begrepp
---

Tidiga insatser förebygger. Se [[social-investeringsfond]].
-- content/exempel/fotosyntes.md --
---
title: Fotosyntes
summary: Samordnat stöd till barn i mellanstadiet.
municipality: Ale
target_group: Barn 6–12 år
investment_model: Social investeringsfond
focus_area:
  - Skola och lärande
case_type: Insats
status: pågående
start: 2013
budget_sek: 12500000
evaluation: följeforskning
results:
  - Närvaron i skolan ökade.
lessons:
  - Samordna stödet tidigt.
cost_sek: 12500000
repaid_sek: 2500000
contact:
  organisation: Ale kommun
  email: socialainvesteringar@ale.example
  url: https://ale.example/fotosyntes
reviewed: 2026-11-30
owner: Ale kommun
initiator: Folkhälsorådet
related:
  - minimili
sources:
  - source: kallan
    pages: 5
date: 2015-07-03
---

Fotosyntes är en tidig insats som finansieras av kommunens sociala investeringsfond.

## Bakgrund

Se också [[minimili]].
-- content/exempel/minimili.md --
---
title: MiniMili
summary: Förebygger missbruk bland unga.
municipality: Ale
target_group: Ungdomar 13–19 år
investment_model: Social investeringsfond
focus_area: Psykisk hälsa
status: uppstart
sources:
  - source: kallan
    pages: "6"
date: 2015-07-04
former_slugs:
  - mini-mili
---

MiniMili arbetar mot missbruk bland unga.
-- content/sidor/om-portalen.md --
---
title: Om portalen
summary: Vad portalen är.
---

Portalen samlar exempel.
`

// OtherStatus returns a case file's text with a status other than its
// own: of two others, the one for edit number e (they take turns, so two
// edits in a row always differ, and none is the file as it was).
func OtherStatus(tb testing.TB, text string, e int) string {
	tb.Helper()
	i := strings.Index(text, "\nstatus: ")
	if i < 0 {
		tb.Fatal("no status in the case")
	}
	i += len("\nstatus: ")
	end := i + strings.IndexByte(text[i:], '\n')
	var other []string
	for _, st := range []string{"pågående", "avslutad", "planerad"} {
		if st != text[i:end] {
			other = append(other, st)
		}
	}
	return text[:i] + other[e%2] + text[end:]
}

// ListsApart fails the test when a list's spare capacity reaches into
// another list: lists made as windows of one array must each have their
// own, so that an append to one cannot change the next. It overwrites
// the spare capacity of every list with zero values.
func ListsApart[T comparable](t testing.TB, name string, lists [][]T) {
	t.Helper()
	before := make([][]T, len(lists))
	for i, l := range lists {
		before[i] = slices.Clone(l)
	}
	for _, l := range lists {
		clear(l[len(l):cap(l)]) // what appends to l would overwrite
	}
	for i, l := range lists {
		if !slices.Equal(l, before[i]) {
			t.Fatalf("%s: appending to another list changed list %d", name, i)
		}
	}
}
