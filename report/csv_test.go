package report

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestCSVRows(t *testing.T) {
	out, err := render("csv", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	if !slices.Equal(rows[0], csvHeader) {
		t.Errorf("header = %q, want %q", rows[0], csvHeader)
	}
	if got, want := len(rows)-1, len(testFindings()); got != want {
		t.Fatalf("got %d rows, want %d", got, want)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q would run as a spreadsheet formula", cell)
			}
		}
	}
}

func TestCSVHeaderWhenClean(t *testing.T) {
	out, err := render("csv", testOptions, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Join(csvHeader, ",") + "\n"; out != want {
		t.Errorf("clean csv = %q, want the header only", out)
	}
}
