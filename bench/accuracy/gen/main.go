// Command gen writes leakhound's labelled accuracy corpus: synthetic credentials with valid
// checksums planted in files of many languages and formats, and decoys of every kind a
// scanner should stay quiet about. Nothing secret-looking is committed: the corpus is built
// at run time into the output directory, with labels.jsonl describing every planted item.
//
// Usage: go run ./bench/accuracy/gen -out DIR [-copies N] [-seed S]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// label describes one planted item: where it is and whether it should be reported.
type label struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	EndLine  int    `json:"end_line"`
	Category string `json:"category"`
	Positive bool   `json:"positive"`
}

func main() {
	out := flag.String("out", "", "directory to write corpus/ and labels.jsonl into")
	copies := flag.Int("copies", 3, "instances of each item")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -out is required")
		os.Exit(2)
	}
	if err := run(*out, *copies, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string, copies int, seed uint64) error {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	corpus := filepath.Join(out, "corpus")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		return fmt.Errorf("create corpus: %w", err)
	}
	var labels []label
	n := 0
	for c := range copies {
		for i, mk := range append(append([]maker{}, positives...), decoys...) {
			it := mk(g)
			ext := formats[(i+c*7)%len(formats)]
			if it.raw != "" {
				ext = it.ext
			}
			name := fmt.Sprintf("f%04d/%s%s", n, fileBase(ext, g), ext)
			n++
			l, err := writeItem(corpus, name, ext, it, g)
			if err != nil {
				return err
			}
			labels = append(labels, l)
		}
	}
	return writeLabels(filepath.Join(out, "labels.jsonl"), labels)
}

func fileBase(ext string, g *gen) string {
	switch ext {
	case "":
		return [...]string{"Dockerfile", "id_rsa", "config"}[g.r.IntN(3)]
	case ".env":
		return ""
	}
	return [...]string{"settings", "config", "app", "main", "deploy", "values", "client"}[g.r.IntN(7)]
}

// writeItem writes one file holding it among filler lines and returns its label.
func writeItem(dir, name, ext string, it item, g *gen) (label, error) {
	text := it.raw
	if text == "" {
		text = assign(ext, it.name, it.value)
	}
	before, after := filler(ext, g, 2+g.r.IntN(10)), filler(ext, g, 1+g.r.IntN(8))
	start := len(before) + 1
	body := strings.Join(append(append(before, text), after...), "\n") + "\n"
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return label{}, fmt.Errorf("create %s: %w", name, err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		return label{}, fmt.Errorf("write %s: %w", name, err)
	}
	return label{File: filepath.ToSlash(filepath.Join("corpus", name)), Line: start,
		EndLine: start + strings.Count(text, "\n"), Category: it.category,
		Positive: it.positive}, nil
}

func writeLabels(path string, labels []label) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create labels: %w", err)
	}
	enc := json.NewEncoder(fh)
	for _, l := range labels {
		if err := enc.Encode(l); err != nil {
			fh.Close()
			return fmt.Errorf("write labels: %w", err)
		}
	}
	return fh.Close()
}
