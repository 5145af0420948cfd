// Command gencorpus writes a generated site root for benchmarks:
//
//	go run ./cmd/gencorpus -n 10000 -out /tmp/site
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/exempelbanken/portal/builder/corpus"
)

func main() {
	n := flag.Int("n", 1000, "antal exempel")
	out := flag.String("out", "", "mapp att skriva webbplatsroten i (krävs)")
	seed := flag.Uint64("seed", 1, "slumpfrö; samma frö ger samma webbplats")
	tmpl := flag.String("template", ".", "webbplatsrot vars begrepp, vokabulär, data och sidor återanvänds")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gencorpus: ange -out DIR")
		os.Exit(2)
	}
	files, from := corpus.SeedFiles(*tmpl)
	sentences, err := corpus.Sentences(files...)
	if err == nil {
		err = corpus.Generate(*out, corpus.Options{Cases: *n, Seed: *seed, Template: *tmpl, Sentences: sentences})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gencorpus: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("Skrev %d exempel till %s (text från %s, %d meningar)\n", *n, *out, from, len(sentences))
}
