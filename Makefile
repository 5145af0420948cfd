# Exempelbanken. `make` installs what it needs and builds the portal into
# public/; `make test` runs the whole test suite. Nothing is installed by hand.
SHELL := /bin/bash
GO ?= go
NPM ?= npm
PORTAL := bin/portal
GOFILES := $(shell find . -name '*.go' -not -path './node_modules/*')
THEME := $(shell find layouts assets -type f)

.PHONY: all build deps npm decap gomod test-tools test test-go test-browser lint dist bench fuzz serve clean

all: build

## deps: npm packages (Dart Sass, Pagefind, playwright-core, Decap CMS) and Go modules
deps: npm decap gomod

npm: node_modules/.installed
# `npm install` with the committed lockfile (npm ci refuses lockfiles that
# list only this platform's optional binaries, which is what npm writes here).
node_modules/.installed: package.json package-lock.json
	$(NPM) install --no-audit --no-fund --loglevel=error
	@touch $@

# Decap CMS, the web editor at /admin/: only its built bundle
# (dist/*decap-cms.js, which holds React and everything else it runs).
# `npm install decap-cms` would also fetch its 630 build-time dependencies
# (380 MB) that the bundle does not load, so the exact version's tarball is
# fetched from the npm registry with `npm pack`, checked against the
# registry's sha512 pinned here, and unpacked into node_modules/decap-cms.
DECAP_VERSION := 3.16.3
DECAP_SHA512 := hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==
DECAP := node_modules/decap-cms/.installed-$(DECAP_VERSION)
decap: $(DECAP)
$(DECAP): node_modules/.installed
	@mkdir -p .cache/decap && rm -rf node_modules/decap-cms
	cd .cache/decap && $(NPM) pack decap-cms@$(DECAP_VERSION) --silent >/dev/null
	node -e 'const c=require("crypto"),f=require("fs");const h=c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64");if(h!==process.argv[2]){console.error("decap-cms: fel kontrollsumma "+h);process.exit(1)}' \
	  .cache/decap/decap-cms-$(DECAP_VERSION).tgz '$(DECAP_SHA512)'
	mkdir -p node_modules/decap-cms
	tar -xzf .cache/decap/decap-cms-$(DECAP_VERSION).tgz -C node_modules/decap-cms --strip-components=1
	@touch $@

gomod: .cache/gomod
.cache/gomod: go.mod go.sum
	$(GO) mod download
	@mkdir -p .cache && touch $@

$(PORTAL): $(GOFILES) $(THEME) go.mod go.sum
	$(GO) build -o $(PORTAL) ./cmd/portal

## build: the real portal into public/
build: deps $(PORTAL)
	./$(PORTAL) build -v

## serve: live preview on http://127.0.0.1:1313/
serve: deps $(PORTAL)
	./$(PORTAL) serve

## test-tools: the Debian packages the tests use, each only when its command
## is missing: Chromium for the browser tests (never a browser download),
## libxml2-utils (xmllint checks the Atom feeds against RFC 4287's schema)
## and raptor2-utils (rapper parses the DCAT catalogue as RDF)
test-tools:
	@pkgs=; \
	command -v chromium >/dev/null 2>&1 || pkgs="$$pkgs chromium"; \
	command -v xmllint >/dev/null 2>&1 || pkgs="$$pkgs libxml2-utils"; \
	command -v rapper >/dev/null 2>&1 || pkgs="$$pkgs raptor2-utils"; \
	[ -z "$$pkgs" ] || { \
	  echo "Installerar Debians$$pkgs för testerna"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; }

## lint: gofmt, go vet for Linux, macOS and Windows, staticcheck (pinned; on
## this system only, to keep a cold `make test` well under ten minutes)
STATICCHECK := .cache/bin/staticcheck
$(STATICCHECK):
	GOBIN=$(CURDIR)/.cache/bin $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: gomod $(STATICCHECK)
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt behövs för:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=darwin GOARCH=arm64 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 $(GO) vet ./...
	$(STATICCHECK) ./...

## dist: portal for Linux, macOS and Windows on amd64 and arm64, in dist/
DIST_TARGETS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
dist: gomod
	@mkdir -p dist
	@for t in $(DIST_TARGETS); do \
	  os=$${t%/*}; arch=$${t#*/}; ext=; [ $$os = windows ] && ext=.exe; \
	  echo "dist/portal-$$os-$$arch$$ext"; \
	  GOOS=$$os GOARCH=$$arch CGO_ENABLED=0 $(GO) build -trimpath -o dist/portal-$$os-$$arch$$ext ./cmd/portal || exit 1; \
	done

## test: everything: lint, Go tests with the race detector, browser tests
test: deps lint test-go test-browser

# hugeheap does nothing under the race detector, so its tests run once
# more without it.
# test-go also runs the portable output path (two renames, a plain
# directory walk) that Windows and other systems take, with the kill test,
# on Linux (build tag portable).
test-go: deps test-tools
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 ./builder/internal/hugeheap
	$(GO) test -race -count=1 -tags portable ./builder/output
	$(GO) test -race -count=1 -tags portable -run 'Killed|Previous|Concurrent|OutRefused|Children' ./builder/cli

## test-browser: the search page in headless Debian Chromium (playwright-core)
BROWSER_SITE := .cache/browser-site
## Then the search table once more, on Pagefind's own index of the same
## site (-pagefind-cli): the places and hit counts must be the same.
test-browser: deps test-tools $(PORTAL)
	rm -rf $(BROWSER_SITE) $(BROWSER_SITE)-cli
	./$(PORTAL) build -out $(BROWSER_SITE)
	SITE_DIR=$(CURDIR)/$(BROWSER_SITE) TABLE_OUT=$(CURDIR)/.cache/sokfragor-portal.md node --test --test-concurrency=1 tests/browser/
	./$(PORTAL) build -out $(BROWSER_SITE)-cli -pagefind-cli
	SITE_DIR=$(CURDIR)/$(BROWSER_SITE)-cli TABLE_OUT=$(CURDIR)/.cache/sokfragor-pagefind.md node --test tests/browser/search-table.test.mjs
	diff .cache/sokfragor-portal.md .cache/sokfragor-pagefind.md

## bench: builds of generated 1k/10k/100k sites, preview latency, related/glossary
## (test-tools: Chromium measures the bytes of a first search)
bench: deps test-tools
	bench/run.sh

## fuzz: each fuzz target for FUZZTIME (seed corpora in testdata/fuzz)
FUZZTIME ?= 30s
fuzz: deps
	$(GO) test ./builder/content -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./builder/content -run '^$$' -fuzz FuzzFrontMatterYAML -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzRender -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzGlossaryScan -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzLinkifyFilter -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzPlainTextWriter -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzCheckLimits -fuzztime $(FUZZTIME)
	$(GO) test ./builder/markdown -run '^$$' -fuzz FuzzEscapeWikiPipes -fuzztime $(FUZZTIME)
	$(GO) test ./builder/sv -run '^$$' -fuzz FuzzSlugify -fuzztime $(FUZZTIME)
	$(GO) test ./builder/search -run '^$$' -fuzz FuzzPlainText -fuzztime $(FUZZTIME)
	$(GO) test ./builder/feed -run '^$$' -fuzz FuzzPreparedEntry -fuzztime $(FUZZTIME)
	$(GO) test ./builder/geo -run '^$$' -fuzz FuzzRead -fuzztime $(FUZZTIME)
	$(GO) test ./builder/sv -run '^$$' -fuzz FuzzSplit -fuzztime $(FUZZTIME)
	$(GO) test ./builder/pagefind -run '^$$' -fuzz FuzzParseHTML -fuzztime $(FUZZTIME)
	$(GO) test ./builder/pagefind -run '^$$' -fuzz FuzzDecodeCBOR -fuzztime $(FUZZTIME)
	$(GO) test ./builder/htmlexec -run '^$$' -fuzz FuzzEscapers -fuzztime $(FUZZTIME)
	$(GO) test ./builder/output -run '^$$' -fuzz FuzzCleanPath -fuzztime $(FUZZTIME)

clean:
	rm -rf bin dist public .public-reserv .public-bygge-* .public-gammal .public-lås .public-förteckning .cache
