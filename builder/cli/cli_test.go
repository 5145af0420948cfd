package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exempelbanken/portal/builder/assets"
	"github.com/exempelbanken/portal/builder/internal/sitetest"
	"github.com/exempelbanken/portal/builder/output"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

const fm = "---\ntitle: X\nsummary: Y\nmunicipality: Ale\ntarget_group: Barn 6–12 år\ninvestment_model: Social investeringsfond\nstatus: pågående\nsources:\n  - source: kallan\n    pages: 1\ndate: 2015-07-03\n---\n"

// TestBadInput is the catalogue of bad input: each fixture must fail with
// exit status 1, name the file and line, and leave the previous public/
// untouched.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files string
		setup func(t *testing.T, dir string)
		want  []string
	}{
		{name: "no front matter", files: "-- content/exempel/x.md --\nBara text.\n",
			want: []string{"content/exempel/x.md:1: front matter saknas"}},
		{name: "unclosed front matter", files: "-- content/exempel/x.md --\n---\ntitle: X\nsummary: Y\n\nText\n",
			want: []string{"content/exempel/x.md:1: front matter avslutas aldrig"}},
		{name: "tab indentation", files: "-- content/exempel/x.md --\n---\ntitle: X\npartners:\n\t- A\n---\n",
			want: []string{"content/exempel/x.md:4: ogiltig YAML", "tabbar"}},
		{name: "unclosed quote", files: "-- content/exempel/x.md --\n---\ntitle: \"X\nsummary: Y\n---\n",
			want: []string{"content/exempel/x.md:", "ogiltig YAML", "citattecken"}},
		{name: "duplicate key", files: "-- content/exempel/x.md --\n---\ntitle: A\ntitle: B\n---\n",
			want: []string{`content/exempel/x.md:3: fältet "title" förekommer två gånger (första gången på rad 2)`}},
		{name: "municipality is a number", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "municipality: Ale", "municipality: 5", 1),
			want: []string{"content/exempel/x.md:4: municipality: förväntade text, fick ett tal (5)"}},
		{name: "start is text", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status:", "start: \"tjugo\"\nstatus:", 1),
			want: []string{`content/exempel/x.md:7: start: förväntade ett årtal med fyra siffror (till exempel 2015), fick texten "tjugo"`}},
		{name: "unknown key", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "summary: Y", "summary: Y\nkommun: Ale", 1),
			want: []string{`content/exempel/x.md:4: okänt fält "kommun" i ett exempel (fälten heter som i README, på engelska: menade du "municipality"?)`}},
		{name: "swedish key målgrupp", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "summary: Y", "summary: Y\nmålgrupp: Äldre", 1),
			want: []string{`content/exempel/x.md:4: okänt fält "målgrupp" i ett exempel (fälten heter som i README, på engelska: menade du "target_group"?)`}},
		{name: "yaml no space after colon", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status:pågående", 1),
			want: []string{"content/exempel/x.md:", "ogiltig YAML: skriv ett mellanslag efter kolon: status: pågående"}},
		{name: "yaml colon in value", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "summary: Y", "summary: Arbetet: ett försök", 1),
			want: []string{`content/exempel/x.md:3: ogiltig YAML: kolon i ett värde: sätt värdet inom citattecken, summary: "Arbetet: ett försök"`}},
		{name: "yaml wrong indentation", files: "-- content/exempel/x.md --\n---\ntitle: X\nsources:\n  - source: a\n   pages: \"3\"\nstatus: okänd\n---\n",
			want: []string{"content/exempel/x.md:5: ogiltig YAML: fel indrag"}},
		{name: "yaml quote inside quotes", files: "-- content/exempel/x.md --\n---\ntitle: X\nsummary: \"Han sa \"hej\" till\"\nstatus: okänd\n---\n",
			want: []string{"content/exempel/x.md:3: ogiltig YAML: ett citattecken stängs aldrig, eller så står ett \" inuti en text inom citattecken"}},
		{name: "flow list splits a label at its comma", files: "-- content/vokabular.yaml --\ntarget_group:\n  - label: Barn 6–12 år\n  - label: Politiker, chefer och medarbetare\n-- content/exempel/x.md --\n" + strings.Replace(fm, "target_group: Barn 6–12 år", "target_group: [Politiker, chefer och medarbetare]", 1),
			want: []string{`target_group: YAML delade "Politiker, chefer och medarbetare" vid kommatecknet i listan [ … ]; skriv ett värde per rad`}},
		{name: "unknown key suggestion", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "summary: Y", "summary: Y\nstaus: x", 1),
			want: []string{`content/exempel/x.md:4: okänt fält "staus" i ett exempel (menade du "status"?)`}},
		{name: "empty title", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "title: X", `title: ""`, 1),
			want: []string{"content/exempel/x.md:2: title får inte vara tomt"}},
		{name: "missing required", files: "-- content/exempel/x.md --\n---\ntitle: X\n---\n",
			want: []string{`content/exempel/x.md:2: obligatoriskt fält "summary" saknas`, `obligatoriskt fält "target_group" saknas`,
				`obligatoriskt fält "investment_model" saknas`, `obligatoriskt fält "status" saknas`, `obligatoriskt fält "date" saknas`, "ange municipality"}},
		{name: "unknown vocabulary value", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "target_group: Barn 6–12 år", "target_group: Barn 6-12", 1),
			want: []string{`content/exempel/x.md:5: target_group: okänt värde "Barn 6-12" (menade du "Barn 6–12 år"?)`}},
		{name: "unknown municipality", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "municipality: Ale", "municipality: Alle", 1),
			want: []string{`content/exempel/x.md:4: municipality: okänd kommun "Alle" (menade du "Ale"?)`}},
		{name: "model that is a concept", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "investment_model: Social investeringsfond", "investment_model: Tidig insats", 1),
			want: []string{`content/exempel/x.md:6: investment_model: "Tidig insats" är ett begrepp (content/begrepp/tidig-insats.md), inte en investeringsmodell`}},
		{name: "unknown model", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "investment_model: Social investeringsfond", "investment_model: Social investeringsfon", 1),
			want: []string{`content/exempel/x.md:6: investment_model: okänd investeringsmodell "Social investeringsfon" (menade du "Social investeringsfond"?)`}},
		{name: "bad date", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "date: 2015-07-03", "date: 2015-13-01", 1),
			want: []string{"content/exempel/x.md:11: date: ogiltigt datum"}},
		{name: "bad status", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pagaende", 1),
			want: []string{`content/exempel/x.md:7: status: okänt värde "pagaende" (menade du "pågående"?)`}},
		{name: "unknown source id", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "source: kallan", "source: kalan", 1),
			want: []string{`content/exempel/x.md:9: sources: okänd källa "kalan" (menade du "kallan"?) (källorna står i content/kallor.yaml)`}},
		{name: "source in the old form", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "source: kallan\n    pages: 1", "title: Källan\n    page: 1", 1),
			want: []string{`content/exempel/x.md:9: sources: källor anges nu med id ur content/kallor.yaml, som {source: id, pages: "5"}, inte med title och page`}},
		{name: "undated source", files: "-- content/kallor.yaml --\nkallor:\n  - id: kallan\n    title: Källan\n    publisher: P\n    kind: webbsida\n  - id: sidan\n    title: Sidan\n    publisher: P\n    accessed: 2999-01-01\n    kind: webbsida\n",
			want: []string{`content/kallor.yaml:2: obligatoriskt fält "date" saknas; skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03), eller för en webbsida utan datum accessed: dagen du läste den`,
				`content/kallor.yaml:9: accessed: 1 januari 2999; ange dagen du läste sidan`}},
		{name: "bad source register", files: "-- content/kallor.yaml --\nkallor:\n  - id: Ny Källa\n    title: T\n    publisher: P\n    date: 2015-13\n    kind: bok\n  - id: kallan\n    title: Källan\n    publisher: P\n    date: 2015\n    kind: podd\n",
			want: []string{`content/kallor.yaml:2: id: "Ny Källa" ska vara en slug med små bokstäver, siffror och bindestreck (till exempel "ny-kalla")`,
				`content/kallor.yaml:5: date: ogiltigt datum "2015-13"; skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03)`,
				`content/kallor.yaml:11: kind: okänd sorts källa "podd"`}},
		{name: "status as of a future date", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nstatus_as_of: 2999", 1),
			want: []string{`content/exempel/x.md:8: status_as_of: 2999 ligger i framtiden; ange när statusen gällde enligt källan`}},
		{name: "bad status date", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nstatus_as_of: i fjol", 1),
			want: []string{`content/exempel/x.md:8: status_as_of: ogiltigt datum "i fjol"; skriv ett år (2014), en månad (2017-03) eller en dag (2015-07-03)`}},
		{name: "bad stale years", files: "-- content/site.yaml --\ntitle: T\nstatus_stale_years: 0\n",
			want: []string{`content/site.yaml:2: status_stale_years: förväntade ett antal år från 1 till 100, fick "0"`}},
		{name: "evaluation not in the list", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nevaluation: effektutvärdring", 1),
			want: []string{`content/exempel/x.md:8: evaluation: okänd sorts utvärdering "effektutvärdring" (menade du "effektutvärdering"?)`}},
		{name: "repaid more than granted", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\ncost_sek: 1000000\nrepaid_sek: 1500000", 1),
			want: []string{`content/exempel/x.md:9: repaid_sek (1 500 000 kr) är större än cost_sek (1 000 000 kr): mer kan inte ha betalats tillbaka än som beviljades`}},
		{name: "contact without address", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\ncontact:\n  organisation: Ale kommun", 1),
			want: []string{`content/exempel/x.md:9: contact: ange email (en funktionsbrevlåda) eller url`}},
		{name: "model without suited_when", files: "-- content/begrepp/fond.md --\n---\ntitle: Fond\nsummary: En fond.\nkind: investeringsmodell\n---\n",
			want: []string{`content/begrepp/fond.md:4: en investeringsmodell ska ha suited_when`}},
		{name: "suited_when on a concept", files: "-- content/begrepp/fond.md --\n---\ntitle: Fond\nsummary: En fond.\nkind: begrepp\nsuited_when: alltid\n---\n",
			want: []string{`content/begrepp/fond.md:5: suited_when gäller bara begrepp av kind: investeringsmodell`}},
		{name: "bad former slugs", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nformer_slugs:\n  - Gamla Namnet\n  - minimili\n  - sida", 1) +
			"-- content/exempel/y.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nformer_slugs:\n  - gammal", 1) +
			"-- content/exempel/z.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\nformer_slugs:\n  - gammal", 1),
			want: []string{`content/exempel/x.md:9: former_slugs: "Gamla Namnet" är ingen slug; skriv den gamla adressens sista del, till exempel "gamla-namnet"`,
				`content/exempel/x.md:10: former_slugs: /exempel/minimili/ är adressen till content/exempel/minimili.md`,
				`content/exempel/x.md:11: former_slugs: /exempel/sida/ används av portalen själv`,
				`content/exempel/z.md:9: former_slugs: "gammal" leder redan till content/exempel/y.md`}},
		{name: "organisation instead of owner", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status: pågående", "status: pågående\norganisation: Ale kommun", 1),
			want: []string{`content/exempel/x.md:8: organisation heter nu owner (huvudman, den som driver arbetet) eller initiator (initiativtagare, när källan skiljer dem åt)`}},
		{name: "case slug the portal uses", files: "-- content/exempel/efter-start.md --\n" + fm,
			want: []string{`content/exempel/efter-start.md:1: exemplet skulle få adressen /exempel/efter-start/, som portalen själv använder; byt filnamn`}},
		{name: "unknown related", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status:", "related: minimil\nstatus:", 1),
			want: []string{`content/exempel/x.md:7: related: okänt exempel "minimil" (menade du "minimili"?)`}},
		{name: "duplicate slug after transliteration", files: "-- content/exempel/Åby.md --\n" + fm + "-- content/exempel/aby.md --\n" + fm,
			want: []string{`content/exempel/Åby.md:1: sluggen "aby" används redan av content/exempel/aby.md`}},
		{name: "slugs that differ only in case", files: "-- content/exempel/Ny.md --\n" + fm + "-- content/exempel/ny.md --\n" + fm,
			want: []string{`content/exempel/ny.md:1: sluggen "ny" används redan av content/exempel/Ny.md (filnamn som bara skiljer sig i versaler`}},
		{name: "invalid utf-8", files: "-- content/exempel/x.md --\n---\ntitle: \xff\xfe\n---\n",
			want: []string{"content/exempel/x.md:2: ogiltig UTF-8"}},
		{name: "nul byte", files: "-- content/exempel/x.md --\n---\ntitle: X\n---\nText\x00\n",
			want: []string{"content/exempel/x.md:4: filen innehåller en NUL-byte"}},
		{name: "image without alt text", setup: writePNG("content/media/bild.png", 40, 20),
			files: "-- content/exempel/x.md --\n" + fm + "Text.\n\n![](/media/bild.png)\n",
			want:  []string{"content/exempel/x.md:15: bilden /media/bild.png saknar alt-text: skriv vad bilden visar, ![Barn som leker på skolgården](/media/bild.png)"}},
		{name: "missing image", files: "-- content/exempel/x.md --\n" + fm + "Text.\n\n![En graf](/media/graf.png)\n",
			want: []string{`content/exempel/x.md:15: "/media/graf.png" finns inte: lägg filen i content/media/graf.png`}},
		{name: "missing attachment", files: "-- content/exempel/x.md --\n" + fm + "Läs [rapporten](/media/rapport.pdf).\n",
			want: []string{`content/exempel/x.md:13: "/media/rapport.pdf" finns inte: lägg filen i content/media/rapport.pdf`}},
		{name: "relative image", files: "-- content/exempel/x.md --\n" + fm + "![Skolgården](bilder/skola.jpg)\n",
			want: []string{`content/exempel/x.md:13: bilden "bilder/skola.jpg" är relativ och leder ingenstans: lägg den i content/media/ och skriv /media/skola.jpg`}},
		{name: "relative link", files: "-- content/exempel/x.md --\n" + fm + "Se [bilagan](bilaga.pdf).\n",
			want: []string{`content/exempel/x.md:13: länken "bilaga.pdf" är relativ och leder ingenstans: lägg filen i content/media/ och länka till /media/bilaga.pdf`}},
		{name: "image from another site", files: "-- content/exempel/x.md --\n" + fm + "![Logga](https://example.com/logga.png)\n",
			want: []string{`content/exempel/x.md:13: bilden "https://example.com/logga.png" ligger på en annan webbplats`}},
		{name: "unreadable image", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/media/trasig.jpg"), "inte en bild")
		},
			want: []string{"content/media: content/media/trasig.jpg: bilden går inte att läsa"}},
		{name: "missing file in a bundle", files: "-- content/exempel/mapp/index.md --\n" + fm + "Text.\n\n![Ett foto](foto.jpg)\n",
			want: []string{`content/exempel/mapp/index.md:15: "foto.jpg" finns inte: lägg filen bredvid content/exempel/mapp/index.md (content/exempel/mapp/foto.jpg)`}},
		{name: "bundle link out of its folder", files: "-- content/exempel/mapp/index.md --\n" + fm + "Se [filen](../annan/fil.pdf).\n",
			want: []string{`content/exempel/mapp/index.md:13: "../annan/fil.pdf" leder ut ur exemplets mapp`}},
		{name: "synonyms: unknown key", files: "-- content/synonymer.yaml --\nsynonymer:\n  - - SIB\n    - utfallskontrakt\nsynomyer: []\n",
			want: []string{`content/synonymer.yaml:4: okänt fält "synomyer" i synonymer.yaml (menade du "synonymer"?)`}},
		{name: "synonyms: group of one", files: "-- content/synonymer.yaml --\nsynonymer:\n  - ord:\n      - SIB\n",
			want: []string{"content/synonymer.yaml:2: en grupp behöver minst två ord som betyder samma sak"}},
		{name: "synonyms: term in two groups", files: "-- content/synonymer.yaml --\nsynonymer:\n  - - SIB\n    - utfallskontrakt\n  - - sib\n    - social impact bond\n",
			want: []string{`content/synonymer.yaml:4: "sib" finns redan i gruppen på rad 2; ett ord kan bara höra till en grupp (slå ihop grupperna)`}},
		{name: "synonyms: twice in a group", files: "-- content/synonymer.yaml --\nsynonymer:\n  - ord:\n      - landsting\n      - region\n      - Landsting\n",
			want: []string{`content/synonymer.yaml:5: "Landsting" står två gånger i samma grupp`}},
		{name: "synonyms: unknown key in a group", files: "-- content/synonymer.yaml --\nsynonymer:\n  - ord:\n      - SKL\n      - SKR\n    orden: x\n",
			want: []string{`content/synonymer.yaml:5: okänt fält "orden" i en grupp (menade du "ord"?)`}},
		{name: "synonyms: empty term", files: "-- content/synonymer.yaml --\nsynonymer:\n  - - SKL\n    - \"\"\n    - SKR\n",
			want: []string{"content/synonymer.yaml:3: tomt ord i gruppen"}},
		{name: "synonyms: group not a list", files: "-- content/synonymer.yaml --\nsynonymer:\n  - SIB, utfallskontrakt\n",
			want: []string{`content/synonymer.yaml:2: en grupp skrivs som "- ord:" med ett ord per rad under (      - SIB), fick texten "SIB, utfallskontrakt"`}},
		{name: "20 MB file", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/exempel/stor.md"), fm+strings.Repeat("Text text text.\n", 20<<20/16))
		}, want: []string{"content/exempel/stor.md: filen är för stor"}},
		{name: "directory in content", setup: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "content/exempel/arkiv"), 0o755)
		}, want: []string{"content/exempel/arkiv: en mapp i content/exempel/ ska innehålla index.md"}},
		{name: "symlink loop", setup: func(t *testing.T, dir string) {
			if err := os.Symlink("loop.md", filepath.Join(dir, "content/exempel/loop.md")); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"content/exempel/loop.md: trasig eller cirkulär symbolisk länk"}},
		{name: "symlinked directory loop", setup: func(t *testing.T, dir string) {
			if err := os.Symlink(".", filepath.Join(dir, "content/exempel/igen")); err != nil {
				t.Fatal(err)
			}
		}, want: []string{"content/exempel/igen: symboliska länkar till mappar följs inte"}},
		{name: "unreadable file", setup: func(t *testing.T, dir string) {
			sitetest.Unreadable(t, filepath.Join(dir, "content/exempel/hemlig.md"), fm)
		}, want: []string{"content/exempel/hemlig.md"}},
		{name: "broken wiki link", files: "-- content/exempel/x.md --\n" + fm + "\nFörsta stycket.\n\nSe [[minimil]].\n",
			want: []string{"content/exempel/x.md:16: okänd länk [[minimil]] (menade du [[minimili]]?)"}},
		{name: "layout template error", files: "-- layouts/case.html --\n{{define \"main\"}}\n<h1>{{.Case.Title}</h1>\n{{end}}\n",
			want: []string{"layouts/case.html:2: mallfel"}},
		{name: "layout execution error", files: "-- layouts/case.html --\n{{define \"main\"}}\n<h1>{{.Case.Nope}}</h1>\n{{end}}\n",
			want: []string{"layouts/case.html:2: mallfel", "Nope"}},
		{name: "layout escaping error", files: "-- layouts/case.html --\n{{define \"main\"}}\n<a href=\"{{if .Case.Title}}x{{else}}\"{{end}}\">y</a>\n{{end}}\n",
			want: []string{"layouts/case.html:2: mallfel", "branches end in different contexts"}},
		{name: "sass syntax error", files: "-- assets/scss/main.scss --\n@use \"tokens\";\n\nbody {\n  color: ;\n}\n",
			want: []string{"assets/scss/main.scss:4: Sass: Expected expression."}},
		{name: "many errors sorted", files: "-- content/exempel/b.md --\n---\ntitle: B\n---\n-- content/exempel/a.md --\n---\ntitel: A\n---\n",
			want: []string{"content/exempel/a.md:2: okänt fält \"titel\"", "content/exempel/b.md:2"}},
		// Limits on what goldmark is given (builder/markdown/limits.go).
		{name: "nesting too deep", files: "-- content/exempel/x.md --\n" + fm + "\nText.\n\n" + strings.Repeat(">", 101) + " x\n",
			want: []string{"content/exempel/x.md:16: för djup nästling av citat och listor (över 100 nivåer på en rad)"}},
		{name: "too many footnotes", setup: func(t *testing.T, dir string) {
			var b strings.Builder
			for i := 0; i < 1001; i++ {
				fmt.Fprintf(&b, "[^%d]: Not.\n", i)
			}
			writeFile(t, filepath.Join(dir, "content/exempel/x.md"), fm+"\nText[^1].\n\n"+b.String())
		}, want: []string{"content/exempel/x.md:1016: för många fotnoter (över 1000)"}},
		{name: "too many footnote references", files: "-- content/exempel/x.md --\n" + fm + strings.Repeat("Se[^1]\n", 10001),
			want: []string{"content/exempel/x.md:10013: för många fotnotshänvisningar (över 10 000)"}},
		{name: "too many link definitions", files: "-- content/exempel/x.md --\n" + fm + strings.Repeat("[a]: /x\n", 3163),
			want: []string{"content/exempel/x.md:3175: för många länkdefinitioner av formen [namn]: adress i ett långt stycke; skilj dem från texten och varandra med tomma rader"}},
		{name: "too many delimiters", files: "-- content/exempel/x.md --\n" + fm + strings.Repeat("*a_ ", 10000) + "~\n",
			want: []string{"content/exempel/x.md:13: för många *, _ och ~ (över 20 000)"}},
		{name: "broken md link with query and fragment", files: "-- content/exempel/x.md --\n" + fm + "\nSe [MiniMili](minimil.md?x#resultat).\n",
			want: []string{`content/exempel/x.md:14: länken till "minimil.md?x#resultat" leder ingenstans: filen content/exempel/minimil.md finns inte (menade du minimili.md?)`}},
		{name: "baseURL not http", files: "-- content/site.yaml --\ntitle: T\nbaseURL: javascript:alert(1)\nlanguage: sv\n",
			want: []string{`content/site.yaml:2: baseURL: "javascript:alert(1)" är ingen webbadress: den ska börja med https:// eller http://`}},
		{name: "baseURL with a newline", files: "-- content/site.yaml --\ntitle: T\nbaseURL: \"https://x.se/\\nDisallow: /\"\nlanguage: sv\n",
			want: []string{`content/site.yaml:2: baseURL: "https://x.se/\nDisallow: /" är ingen webbadress: den innehåller mellanslag eller styrtecken`}},
		{name: "menu url protocol-relative", files: "-- content/site.yaml --\ntitle: T\nbaseURL: https://test.example/\nmenu:\n  - title: Ond\n    url: //evil.example/\n  - title: Skript\n    url: javascript:alert(1)\n",
			want: []string{`content/site.yaml:5: url: "//evil.example/" duger inte i menyn: en sökväg på sajten börjar med ett enda /; // leder till en annan webbplats (skriv https:// för en extern länk)`,
				`content/site.yaml:7: url: "javascript:alert(1)" duger inte i menyn: den ska börja med / (en sida på sajten) eller https://`}},
		// Size limits and numbers (builder/content).
		{name: "2 MB file", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/exempel/stor.md"), fm+strings.Repeat("Text text text.\n", 2<<20/16))
		}, want: []string{"content/exempel/stor.md: filen är för stor (2 097 347 byte; högst 1 048 576 byte)"}},
		{name: "front matter too large", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "summary: Y", "summary: "+strings.Repeat("lång ", 14000), 1),
			want: []string{"content/exempel/x.md:2: front matter är för stor (84 186 byte; högst 65 536 byte): korta fälten och lägg längre text i brödtexten"}},
		{name: "site.yaml too large", files: "-- content/site.yaml --\ntitle: T\ndescription: " + strings.Repeat("x", 70000) + "\n",
			want: []string{"content/site.yaml: filen är för stor (70 023 byte; högst 65 536 byte)"}},
		{name: "site description too long", files: "-- content/site.yaml --\ntitle: T\ndescription: " + strings.Repeat("ö", 1001) + "\n",
			want: []string{"content/site.yaml:2: description: för lång (1001 tecken; högst 1000, eftersom den visas på varje sida)"}},
		{name: "vocabulary too large", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/vokabular.yaml"), "target_group:\n"+strings.Repeat("  - label: Barn\n", 1<<20/16))
		}, want: []string{"content/vokabular.yaml: filen är för stor (1 048 590 byte; högst 1 048 576 byte)"}},
		{name: "related weight not finite", files: "-- content/site.yaml --\ntitle: T\nrelated:\n  investment_model: .inf\n  target_group: .nan\n  region: 1e9\n",
			want: []string{"content/site.yaml:3: related.investment_model: förväntade ett tal mellan 0 och 1000, fick ett tal (.inf)",
				"content/site.yaml:4: related.target_group: förväntade ett tal mellan 0 och 1000, fick ett tal (.nan)",
				"content/site.yaml:5: related.region: förväntade ett tal mellan 0 och 1000, fick ett tal (1e9)"}},
		{name: "related weight not finite, via yaml.v3", files: "-- content/site.yaml --\ntitle: T # en kommentar tar yaml.v3\nrelated: {investment_model: -.INF, region: .NaN}\n",
			want: []string{"content/site.yaml:2: related.investment_model: förväntade ett tal ≥ 0, fick ett tal (-.INF)",
				"content/site.yaml:2: related.region: förväntade ett tal mellan 0 och 1000, fick ett tal (.NaN)"}},
		{name: "budget not finite", files: "-- content/exempel/x.md --\n" + strings.Replace(fm, "status:", "budget_sek: -.Inf\nstatus:", 1),
			want: []string{"content/exempel/x.md:7: budget_sek: förväntade ett belopp i kronor som heltal utan mellanslag (till exempel 12500000), fick ett tal (-.Inf)"}},
		// File names and symbolic links (builder/content, site, assets).
		{name: "control character in a file name", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/exempel/ny\nrad.md"), fm)
		}, want: []string{`content/exempel: filnamnet "ny\nrad.md" innehåller ett styrtecken (U+000A); byt namn på filen`}},
		{name: "content symlink outside the root", setup: func(t *testing.T, dir string) {
			symlink(t, outsideFile(t, "hemlig.md", fm), filepath.Join(dir, "content/exempel/hemlig.md"))
		}, want: []string{"content/exempel/hemlig.md: den symboliska länken pekar utanför webbplatsens rot (till ", "bara filer i webbplatsen publiceras"}},
		{name: "content folder symlinked outside the root", setup: func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "content/sidor"))
			symlink(t, filepath.Dir(outsideFile(t, "om.md", fm)), filepath.Join(dir, "content/sidor"))
		}, want: []string{"content/sidor: mappen pekar utanför webbplatsens rot (till "}},
		{name: "site.yaml symlinked outside the root", setup: func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "content/site.yaml"))
			symlink(t, outsideFile(t, "site.yaml", "title: T\n"), filepath.Join(dir, "content/site.yaml"))
		}, want: []string{"content/site.yaml: filen pekar utanför webbplatsens rot (till "}},
		{name: "layout symlink outside the root", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "layouts/case.html")
			b, _ := os.ReadFile(p)
			os.Remove(p)
			symlink(t, outsideFile(t, "case.html", string(b)), p)
		}, want: []string{"layouts/case.html: mallen pekar utanför webbplatsens rot (till "}},
		{name: "static file symlinked outside the root", setup: func(t *testing.T, dir string) {
			symlink(t, outsideFile(t, "hemlig.js", "1"), filepath.Join(dir, "assets/js/hemlig.js"))
		}, want: []string{"assets/js/hemlig.js: pekar utanför webbplatsens rot (till "}},
		{name: "sass partial symlinked outside the root", setup: func(t *testing.T, dir string) {
			p := filepath.Join(dir, "assets/scss/_tokens.scss")
			b, _ := os.ReadFile(p)
			os.Remove(p)
			symlink(t, outsideFile(t, "_tokens.scss", string(b)), p)
		}, want: []string{"assets/scss/main.scss:", "importer får bara läsa filer i assets/ och node_modules/, inte assets/scss/_tokens.scss (som pekar på "}},
		{name: "sass absolute import", setup: func(t *testing.T, dir string) {
			p := outsideFile(t, "_ond.scss", "$x: 1;")
			prependFile(t, filepath.Join(dir, "assets/scss/main.scss"), "@use \""+filepath.ToSlash(p)+"\";\n")
		}, want: []string{"assets/scss/main.scss:1: Sass: importer får bara läsa filer i assets/ och node_modules/ (fick \"/"}},
		{name: "sass import out of assets", setup: func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "content/_ond.scss"), "$x: 1;")
			prependFile(t, filepath.Join(dir, "assets/scss/main.scss"), "@use \"../../content/ond\";\n")
		}, want: []string{`assets/scss/main.scss:1: Sass: importer får bara läsa filer i assets/ och node_modules/, inte content/_ond.scss`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			sitetest.Write(t, dir, tt.files)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			pub := filepath.Join(dir, "public")
			writeFile(t, filepath.Join(pub, "index.html"), "gammal sajt")
			writeFile(t, filepath.Join(pub, output.Marker), "")
			code, _, stderr := run(t, "build", "-root", dir, "-search=false")
			if code != ExitContent {
				t.Errorf("exit = %d, want %d; stderr:\n%s", code, ExitContent, stderr)
			}
			// Log the message the fixture is about, for the catalogue.
			for _, l := range strings.Split(stderr, "\n") {
				if strings.Contains(l, tt.want[0]) || (strings.Contains(tt.want[0], l) && l != "") {
					t.Logf("%s", l)
					break
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if !strings.Contains(stderr, "inget skrevs") {
				t.Errorf("stderr does not say nothing was written:\n%s", stderr)
			}
			assertUntouched(t, dir)
		})
	}
	t.Run("errors sorted by file", func(t *testing.T) {
		dir := t.TempDir()
		sitetest.Write(t, dir, "-- content/exempel/b.md --\n---\ntitle: B\n---\n-- content/exempel/a.md --\n---\ntitel: A\n---\n")
		_, _, stderr := run(t, "build", "-root", dir, "-search=false")
		if a, b := strings.Index(stderr, "content/exempel/a.md"), strings.Index(stderr, "content/exempel/b.md"); a < 0 || b < 0 || a > b {
			t.Errorf("errors not sorted by file:\n%s", stderr)
		}
	})
}

// assertUntouched checks that public/ still holds only the old site and no
// temporary build folder was left behind.
func assertUntouched(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
	if err != nil || string(b) != "gammal sajt" {
		t.Errorf("public/index.html changed: %q, %v", b, err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "public"))
	if len(entries) != 2 {
		t.Errorf("public/ has %d entries, want index.html and %s", len(entries), output.Marker)
	}
	all, _ := os.ReadDir(dir)
	for _, e := range all {
		if strings.HasPrefix(e.Name(), ".public") && e.Name() != ".public-lås" {
			t.Errorf("left-over build folder %s", e.Name())
		}
	}
}

// outsideFile writes a file named name holding s in a folder of its own,
// outside any site root, and returns its path.
func outsideFile(t *testing.T, name, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	writeFile(t, p, s)
	return p
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(link), 0o755)
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

// prependFile puts s before the contents of the file at p.
func prependFile(t *testing.T, p, s string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, s+string(b))
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAcceptedInput: BOM, CRLF, upper case and spaces in file names and an
// empty body are all fine.
func TestAcceptedInput(t *testing.T) {
	dir := t.TempDir()
	crlf := strings.ReplaceAll(strings.Replace(fm, "title: X", "title: Med CRLF", 1), "\n", "\r\n")
	sitetest.Write(t, dir, "-- content/exempel/Min Fina Insats.md --\n\xef\xbb\xbf"+strings.Replace(fm, "title: X", "title: Med BOM", 1)+"\nText.\n"+
		"-- content/exempel/crlf.md --\n"+crlf+"\r\nBrödtext på rad två.\r\n"+
		"-- content/exempel/tom.md --\n"+strings.Replace(fm, "title: X", "title: Tom", 1))
	code, stdout, stderr := run(t, "build", "-root", dir, "-search=false")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Byggde") {
		t.Errorf("no summary line: %q", stdout)
	}
	for p, want := range map[string]string{
		"public/exempel/min-fina-insats/index.html": "Med BOM",
		"public/exempel/crlf/index.html":            "Brödtext på rad två.",
		"public/exempel/tom/index.html":             "<h1 data-pagefind-meta=\"title\">Tom</h1>",
	} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q (%v)", p, want, err)
		}
	}
}

// TestAcceptedNamesAndLinks: a file name in NFD (as macOS writes "kök")
// gets the slug of its NFC form, so [[kok]] finds it; symbolic links that
// stay inside the site root are followed; a Sass partial in a subfolder
// and one in node_modules are imported.
func TestAcceptedNamesAndLinks(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/exempel/ko\u0308k.md --\n"+strings.Replace(fm, "title: X", "title: Köket", 1)+
		"-- content/exempel/lankar.md --\n"+strings.Replace(fm, "title: X", "title: Länkar", 1)+"\nSe [[kok]].\n"+
		"-- content/delad/gemensam.md --\n"+strings.Replace(fm, "title: X", "title: Delad", 1)+
		"-- assets/scss/delar/_farg.scss --\n@use \"../tokens\" as t;\n$farg: #123456;\n"+
		"-- node_modules/ett-paket/_index.scss --\n$paket: 2px;\n")
	symlink(t, "../delad/gemensam.md", filepath.Join(dir, "content/exempel/delad.md"))
	main := filepath.Join(dir, "assets/scss/main.scss")
	prependFile(t, main, "@use \"delar/farg\";\n@use \"ett-paket\";\n")
	b, _ := os.ReadFile(main)
	writeFile(t, main, string(b)+".prov { color: farg.$farg; margin: ett-paket.$paket; }\n")
	code, _, stderr := run(t, "build", "-root", dir, "-search=false")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for p, want := range map[string]string{
		"public/exempel/kok/index.html":    "Köket",
		"public/exempel/lankar/index.html": `href="/exempel/kok/"`,
		"public/exempel/delad/index.html":  "Delad",
	} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q (%v)", p, want, err)
		}
	}
	css, _ := filepath.Glob(filepath.Join(dir, "public/css/main.*.css"))
	if len(css) != 1 {
		t.Fatalf("stylesheets: %v", css)
	}
	if b, _ := os.ReadFile(css[0]); !strings.Contains(string(b), ".prov{color:#123456;margin:2px}") {
		t.Errorf("imports not compiled into %s", css[0])
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{nil, ExitUsage, "Användning"},
		{[]string{"help"}, ExitOK, "portal build"},
		{[]string{"-h"}, ExitOK, "-baseurl URL"},
		{[]string{"bygg"}, ExitUsage, `okänt kommando "bygg"`},
		{[]string{"build", "-nope"}, ExitUsage, "flag provided but not defined"},
		{[]string{"build", "-root", "/finns/inte"}, ExitUsage, "ingen mapp"},
		{[]string{"new", "exempel"}, ExitUsage, "ange typ och titel"},
	}
	for _, tt := range tests {
		code, out, errs := run(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.out) {
			t.Errorf("%v: exit %d, output %q; want %d and %q", tt.args, code, out+errs, tt.code, tt.out)
		}
	}
}

// TestRelativeRootCompilesSass: from inside the site (-root .) with an
// empty CSS cache, Dart Sass compiles the stylesheet: the importer's
// confinement compares absolute paths (a relative one was refused as
// "outside the root" on every fresh machine).
func TestRelativeRootCompilesSass(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	sass, err := assets.FindDartSass(sitetest.RepoRoot(t)) // before leaving the repository
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DART_SASS_BINARY", sass)
	t.Chdir(dir)
	if code, _, stderr := run(t, "build", "-search=false"); code != ExitOK {
		t.Fatalf("portal build in the site root: exit %d\n%s", code, stderr)
	}
	css, _ := filepath.Glob(filepath.Join(dir, "public/css/main.*.css"))
	if len(css) != 1 {
		t.Errorf("stylesheets %v", css)
	}
}

// TestWarnings: a personal-looking contact address is a warning, named with
// file and line, and the site is built.
func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/exempel/x.md --\n"+strings.Replace(fm, "status: pågående", "status: pågående\ncontact:\n  organisation: Ale kommun\n  email: anna.andersson@ale.se", 1)+"\nText.\n")
	code, _, stderr := run(t, "build", "-root", dir, "-search=false")
	want := `varning: content/exempel/x.md:10: contact.email: "anna.andersson@ale.se" ser ut att vara en persons adress (förnamn.efternamn@)`
	if code != ExitOK || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, ExitOK, want)
	}
	t.Logf("%s", strings.TrimSpace(stderr))
	sitetest.Write(t, dir, "-- content/exempel/x.md --\n"+strings.Replace(fm, "status: pågående", "status: pågående\ncontact:\n  organisation: Ale kommun\n  email: socialainvesteringar@ale.se", 1)+"\nText.\n")
	if code, _, stderr := run(t, "check", "-root", dir); code != ExitOK || strings.Contains(stderr, "varning") {
		t.Errorf("a functional mailbox: exit %d, %q", code, stderr)
	}
}

// TestHTMLExecFlag: -htmlexec=false sends every page through
// html/template, with the same files as a default build.
func TestHTMLExecFlag(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	hashes := map[bool]string{}
	for _, fast := range []bool{true, false} {
		out := filepath.Join(t.TempDir(), "ut")
		code, stdout, stderr := run(t, "build", "-root", dir, "-out", out, "-search=false", "-v", fmt.Sprintf("-htmlexec=%v", fast))
		if code != ExitOK {
			t.Fatalf("-htmlexec=%v: exit %d\n%s", fast, code, stderr)
		}
		var n int
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Contains(l, "mallkörningar genom html/template") {
				fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "mallkörningar genom html/template")), &n)
			}
		}
		if (n == 0) != fast {
			t.Errorf("-htmlexec=%v: %d executions through html/template\n%s", fast, n, stdout)
		}
		hashes[fast] = treeHash(t, out)
	}
	if hashes[true] != hashes[false] {
		t.Error("the site differs with -htmlexec=false")
	}
}

func TestNew(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	code, out, errs := run(t, "new", "-root", dir, "exempel", "Ny insats i Åre")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p := filepath.Join(dir, "content/exempel/ny-insats-i-are.md")
	b, err := os.ReadFile(p)
	if err != nil || !strings.Contains(string(b), `title: "Ny insats i Åre"`) || !strings.Contains(out, "ny-insats-i-are.md") {
		t.Fatalf("new file: %q %v (%s)", b, err, out)
	}
	if code, _, _ := run(t, "new", "-root", dir, "exempel", "Ny insats i Åre"); code != ExitContent {
		t.Errorf("overwrote an existing file")
	}
	// One value per line, never [a, b], and a comment naming what is
	// allowed; the output says where to see it.
	for _, want := range []string{"target_group:\n  - \"\"\n", "# Målgrupp, en per rad. Tillåtna: ", "# Status: planerad, uppstart, pågående, avslutad, okänd.", "draft: true\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("new file lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), ": [") {
		t.Errorf("new file has a [a, b] list:\n%s", b)
	}
	if !strings.Contains(out, "http://127.0.0.1:1313/exempel/ny-insats-i-are/") || !strings.Contains(out, "portal serve -drafts") {
		t.Errorf("output lacks the preview URL: %s", out)
	}
	// As created it is a draft: it does not stop a build, but check
	// (which always checks drafts) tells the editor what to fill in.
	if code, _, errs := run(t, "build", "-root", dir, "-search=false"); code != ExitOK {
		t.Errorf("build with a fresh draft: %d %s", code, errs)
	}
	code, _, errs = run(t, "check", "-root", dir)
	if code != ExitContent || !strings.Contains(errs, "ny-insats-i-are.md:4: summary får inte vara tomt") {
		t.Errorf("check: %d %s", code, errs)
	}
	// Filled in, it passes, and check counts it as a draft.
	filled := strings.NewReplacer(`summary: ""`, `summary: "En insats."`, "municipality:\n  - \"\"", "municipality:\n  - Åre",
		"target_group:\n  - \"\"", "target_group:\n  - Barn 6–12 år", "investment_model:\n  - \"\"", "investment_model:\n  - Social investeringsfond").Replace(string(b))
	filled = strings.Replace(filled, `  - source: ""`, `  - source: `+firstSource(t, dir), 1)
	if err := os.WriteFile(p, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run(t, "check", "-root", dir)
	if code != ExitOK || !strings.Contains(out, "Utkast kontrollerade: 1") {
		t.Errorf("check of the filled-in draft: %d %s %s", code, out, errs)
	}
}

// firstSource returns the first id of the site's source register.
func firstSource(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "content", "kallor.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "- id: ")
	if !ok {
		t.Fatalf("no source in the register:\n%s", b)
	}
	id, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(id)
}

// TestBaseURLFlag: -baseurl is checked like site.yaml's baseURL; a bad one
// is a usage error before anything is built, a good one is normalised to
// end in a slash and reaches sitemap.xml and robots.txt.
func TestBaseURLFlag(t *testing.T) {
	bad := []struct{ url, want string }{
		{"javascript:alert(1)", `portal build: -baseurl "javascript:alert(1)" är ingen webbadress: den ska börja med https:// eller http://`},
		{"https://x.se/\nDisallow: /", `portal build: -baseurl "https://x.se/\nDisallow: /" är ingen webbadress: den innehåller mellanslag eller styrtecken`},
		{"//x.se/", "ska börja med https://"},
		{"https://u:p@x.se/", "användarnamn och lösenord"},
		{"https://x.se/?a", "? eller #"},
	}
	for _, tt := range bad {
		dir := t.TempDir()
		sitetest.Write(t, dir, "")
		code, _, stderr := run(t, "build", "-root", dir, "-search=false", "-baseurl", tt.url)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("-baseurl %q: exit %d, stderr %q; want %d and %q", tt.url, code, stderr, ExitUsage, tt.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
			t.Errorf("-baseurl %q: public/ was written", tt.url)
		}
	}
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	if code, _, stderr := run(t, "build", "-root", dir, "-search=false", "-baseurl", "https://ny.example"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for file, want := range map[string]string{
		"sitemap.xml": "<loc>https://ny.example/exempel/",
		"robots.txt":  "Sitemap: https://ny.example/sitemap.xml\n",
	} {
		b, err := os.ReadFile(filepath.Join(dir, "public", file))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q: %s %v", file, want, b, err)
		}
	}
}

// TestCheckFormats: -format=gitlab writes a Code Quality report (JSON on
// stdout, one issue per error with path and line) and -format=github
// workflow commands that put the errors on the changed lines.
func TestCheckFormats(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/exempel/x.md --\n"+strings.Replace(fm, "municipality: Ale", "municipality: Alee", 1))
	code, out, _ := run(t, "check", "-root", dir, "-format=gitlab")
	var issues []struct {
		Description, Severity string
		Location              struct {
			Path  string
			Lines struct{ Begin int }
		}
	}
	if err := json.Unmarshal([]byte(out), &issues); err != nil {
		t.Fatalf("gitlab: not JSON: %v\n%s", err, out)
	}
	if code != ExitContent || len(issues) != 1 || issues[0].Location.Path != "content/exempel/x.md" || issues[0].Location.Lines.Begin != 4 ||
		!strings.Contains(issues[0].Description, `okänd kommun "Alee"`) || issues[0].Severity != "major" {
		t.Errorf("gitlab: exit %d, %+v", code, issues)
	}
	code, out, _ = run(t, "check", "-root", dir, "-format=github")
	if want := "::error file=content/exempel/x.md,line=4,title=portal check::municipality: okänd kommun \"Alee\""; code != ExitContent || !strings.HasPrefix(out, want) {
		t.Errorf("github: exit %d, %q; want prefix %q", code, out, want)
	}
	if code, _, errs := run(t, "check", "-root", dir, "-format=xml"); code != ExitUsage || !strings.Contains(errs, "okänt format") {
		t.Errorf("-format=xml: %d %s", code, errs)
	}
	// Without errors the report is an empty list and the summary goes to stderr.
	sitetest.Write(t, dir, "-- content/exempel/x.md --\nDELETE\n")
	code, out, errs := run(t, "check", "-root", dir, "-format=gitlab")
	if code != ExitOK || strings.TrimSpace(out) != "[]" || !strings.Contains(errs, "Inga fel") {
		t.Errorf("gitlab without errors: %d %q %q", code, out, errs)
	}
}

// writePNG returns a setup that writes a w×h PNG at name below the site.
func writePNG(name string, w, h int) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for x := 0; x < w; x++ {
			img.Set(x, x*h/w, color.RGBA{R: 200, A: 255})
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), buf.String())
	}
}

// TestImages: an image in content/media is published with its width and
// height, loads lazily, and a large one also in smaller widths with
// srcset; a link to an attachment there works.
func TestImages(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/exempel/x.md --\n"+fm+"Text.\n\n![Ett diagram över kostnaderna](/media/diagram.png)\n\nLäs [rapporten](/media/rapport.pdf).\n")
	writePNG("content/media/diagram.png", 1200, 600)(t, dir)
	writeFile(t, filepath.Join(dir, "content/media/rapport.pdf"), "%PDF-1.4\n")
	if code, _, errs := run(t, "build", "-root", dir, "-search=false"); code != ExitOK {
		t.Fatalf("build: %d %s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public/exempel/x/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	want := `<img src="/media/diagram.png" alt="Ett diagram över kostnaderna" width="1200" height="600" srcset="/media/diagram-480w.png 480w, /media/diagram-960w.png 960w, /media/diagram.png 1200w" sizes="(min-width: 48rem) 46rem, 100vw" loading="lazy" decoding="async" />`
	if !strings.Contains(string(page), want) {
		t.Errorf("the page lacks\n%s\nin\n%s", want, page)
	}
	for name, w := range map[string]int{"diagram.png": 1200, "diagram-480w.png": 480, "diagram-960w.png": 960} {
		f, err := os.Open(filepath.Join(dir, "public/media", name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, _, err := image.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != w || cfg.Height != w/2 {
			t.Errorf("%s: %dx%d %v; want %dx%d", name, cfg.Width, cfg.Height, err, w, w/2)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public/media/rapport.pdf")); err != nil {
		t.Error(err)
	}
}

// TestBundle: a case can be a folder, content/exempel/<slug>/index.md,
// with its images and attachments beside it; they are published beside
// the page, the image sized and in srcset widths, the links rewritten.
func TestBundle(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "-- content/exempel/skolgarden/index.md --\n"+fm+"Text.\n\n![Barn på skolgården](bilder/gard.png)\n\nLäs [rapporten](rapport.pdf).\n\n-- content/exempel/skolgarden/anteckningar.md --\nInte för publicering.\n")
	writePNG("content/exempel/skolgarden/bilder/gard.png", 1000, 500)(t, dir)
	writeFile(t, filepath.Join(dir, "content/exempel/skolgarden/rapport.pdf"), "%PDF-1.4\n")
	if code, _, errs := run(t, "build", "-root", dir, "-search=false"); code != ExitOK {
		t.Fatalf("build: %d %s", code, errs)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public/exempel/skolgarden/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<img src="/exempel/skolgarden/bilder/gard.png" alt="Barn på skolgården" width="1000" height="500" srcset="/exempel/skolgarden/bilder/gard-480w.png 480w, /exempel/skolgarden/bilder/gard-960w.png 960w, /exempel/skolgarden/bilder/gard.png 1000w"`,
		`<a href="/exempel/skolgarden/rapport.pdf">rapporten</a>`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, f := range []string{"bilder/gard.png", "bilder/gard-480w.png", "bilder/gard-960w.png", "rapport.pdf"} {
		if _, err := os.Stat(filepath.Join(dir, "public/exempel/skolgarden", f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public/exempel/skolgarden/anteckningar.md")); err == nil {
		t.Error("a markdown file beside index.md was published raw")
	}
}

// TestBuildPrunesCache: a build removes the files of the cache folder
// that nothing wrote for a month (here a store of a site that is gone),
// keeps newer ones and its own, and says so with -v.
func TestBuildPrunesCache(t *testing.T) {
	dir := t.TempDir()
	sitetest.Write(t, dir, "")
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	base := filepath.Join(cache, "exempelbanken")
	old := time.Now().Add(-40 * 24 * time.Hour)
	gone, recent := filepath.Join(base, "sidor", "0123456789abcdef.bin"), filepath.Join(base, "sidor", "fedcba9876543210.bin")
	for _, f := range []string{gone, recent} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Chtimes(gone, old, old)
	code, stdout, stderr := run(t, "build", "-root", dir, "-search=false", "-v")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(gone); err == nil {
		t.Error("a month-old file of another site is still in the cache")
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a recent file was removed: %v", err)
	}
	if !regexp.MustCompile(`gamla filer borttagna ur cachen +1\n`).MatchString(stdout) {
		t.Errorf("-v does not report the removed file:\n%s", stdout)
	}
	// The build's own stores are there and stay: a second build a day
	// later (the mark's time moved back) keeps them though they are old.
	own, _ := filepath.Glob(filepath.Join(base, "*", "*.bin"))
	if len(own) < 3 {
		t.Fatalf("the build kept %d stores: %v", len(own), own)
	}
	for _, f := range own {
		os.Chtimes(f, old, old)
	}
	marks, _ := filepath.Glob(filepath.Join(base, ".rensat-*"))
	if len(marks) != 1 {
		t.Fatalf("marks of the day's prune: %v", marks)
	}
	os.Chtimes(marks[0], old, old)
	if code, _, stderr := run(t, "build", "-root", dir, "-search=false"); code != ExitOK {
		t.Fatalf("second build: exit %d: %s", code, stderr)
	}
	for _, f := range own {
		st, err := os.Stat(f)
		switch {
		case f == recent:
		case err != nil:
			t.Errorf("the site's own store %s was removed", f)
		case time.Since(st.ModTime()) > time.Hour:
			t.Errorf("the site's own store %s is not marked as used: %v", f, st.ModTime())
		}
	}
}
