// Command score compares scanners' reports on the accuracy corpus with its labels and prints
// recall, precision and F1 per category, and false alarms per 100,000 lines of clean code.
//
// Usage: score -labels labels.jsonl -tool name=corpus.json[,clean.json] ... -clean-lines N
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// label is one planted item, as bench/accuracy/gen writes it.
type label struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	EndLine  int    `json:"end_line"`
	Category string `json:"category"`
	Positive bool   `json:"positive"`
}

// place is where a scanner reported something: a file and a line range.
type place struct {
	file       string
	start, end int
}

// tools collects -tool flags.
type tools []string

func (t *tools) String() string     { return strings.Join(*t, " ") }
func (t *tools) Set(v string) error { *t = append(*t, v); return nil }

// providerCategories are the categories of secrets with a format of their own.
var providerCategories = []string{"cloud", "vcs-ci", "registry", "payments", "messaging", "ai",
	"saas", "private-key", "jwt"}

func main() {
	labelsPath := flag.String("labels", "", "labels.jsonl from gen")
	cleanLines := flag.Int("clean-lines", 0, "lines of clean code scanned")
	var ts tools
	flag.Var(&ts, "tool", "name=corpus-report.json[,clean-report.json]; repeatable")
	flag.Parse()
	if err := run(os.Stdout, *labelsPath, *cleanLines, ts); err != nil {
		fmt.Fprintln(os.Stderr, "score:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, labelsPath string, cleanLines int, ts tools) error {
	labels, err := readLabels(labelsPath)
	if err != nil {
		return err
	}
	for _, t := range ts {
		name, files, _ := strings.Cut(t, "=")
		corpus, clean, _ := strings.Cut(files, ",")
		found, err := readReport(corpus)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n### %s\n\n", name)
		printTable(w, score(labels, found))
		if clean != "" && cleanLines > 0 {
			cf, err := readReport(clean)
			if err != nil {
				return err
			}
			n := len(dedupe(cf))
			fmt.Fprintf(w, "\nclean code: %d false alarms in %d lines = %.1f per 100,000 lines\n",
				n, cleanLines, float64(n)*1e5/float64(cleanLines))
		}
	}
	return nil
}

// counts are one category's tallies.
type counts struct{ positives, detected, falseAlarms int }

// score matches reported places with labels: a positive label overlapped by a report is
// detected; a report overlapping only decoys, or no label, is a false alarm of the decoy's
// category (or "unlabelled").
func score(labels []label, found []place) map[string]*counts {
	by := map[string]*counts{}
	get := func(c string) *counts {
		if by[c] == nil {
			by[c] = &counts{}
		}
		return by[c]
	}
	detected := make([]bool, len(labels))
	for _, l := range labels {
		if l.Positive {
			get(l.Category).positives++
		}
	}
	for _, p := range dedupe(found) {
		hitPositive, fpCat := false, "unlabelled"
		for i, l := range labels {
			if l.File != p.file || p.end < l.Line || p.start > l.EndLine {
				continue
			}
			if l.Positive {
				hitPositive = true
				detected[i] = true
			} else {
				fpCat = l.Category
			}
		}
		if !hitPositive {
			get(fpCat).falseAlarms++
		}
	}
	for i, l := range labels {
		if detected[i] {
			get(l.Category).detected++
		}
	}
	return by
}

func dedupe(ps []place) []place {
	seen := map[place]bool{}
	var out []place
	for _, p := range ps {
		key := place{file: p.file, start: p.start}
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

func printTable(w io.Writer, by map[string]*counts) {
	fmt.Fprintln(w, "| category | secrets | found | recall | false alarms | precision | F1 |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	cats := make([]string, 0, len(by))
	for c := range by {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	var provider, all counts
	for _, c := range cats {
		k := by[c]
		row(w, c, *k)
		if slices.Contains(providerCategories, c) {
			add(&provider, *k)
		}
		add(&all, *k)
	}
	row(w, "**provider formats**", provider)
	row(w, "**all**", all)
}

func add(a *counts, b counts) {
	a.positives += b.positives
	a.detected += b.detected
	a.falseAlarms += b.falseAlarms
}

func row(w io.Writer, name string, k counts) {
	recall, precision := ratio(k.detected, k.positives), ratio(k.detected, k.detected+k.falseAlarms)
	f1 := 0.0
	if recall+precision > 0 {
		f1 = 2 * recall * precision / (recall + precision)
	}
	fmt.Fprintf(w, "| %s | %d | %d | %.3f | %d | %.3f | %.3f |\n", name, k.positives, k.detected,
		recall, k.falseAlarms, precision, f1)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func readLabels(path string) ([]label, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	var out []label
	dec := json.NewDecoder(strings.NewReader(string(data)))
	for dec.More() {
		var l label
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("parse labels: %w", err)
		}
		out = append(out, l)
	}
	return out, nil
}

// readReport reads a leakhound JSON report (path, line, end_line) or a gitleaks one (File,
// StartLine, EndLine). Paths are made to start at "corpus/".
func readReport(path string) ([]place, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var raw []map[string]any
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, fmt.Errorf("parse report %s: %w", path, err)
		}
	}
	out := make([]place, 0, len(raw))
	for _, f := range raw {
		p := place{file: str(f, "path", "File"), start: num(f, "line", "StartLine"),
			end: num(f, "end_line", "EndLine")}
		if i := strings.Index(p.file, "corpus/"); i >= 0 {
			p.file = p.file[i:]
		} else {
			p.file = "corpus/" + p.file // leakhound reports paths relative to the scanned dir
		}
		p.end = max(p.end, p.start)
		out = append(out, p)
	}
	return out, nil
}

func str(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			return s
		}
	}
	return ""
}

func num(m map[string]any, keys ...string) int {
	for _, k := range keys {
		if f, ok := m[k].(float64); ok {
			return int(f)
		}
	}
	return 0
}
