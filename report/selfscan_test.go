package report_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakhound/leakhound/detectors"
)

// TestReportFilesScanClean scans this package's sources, golden files and the report docs
// with leakhound's built-in rules: test secrets must be assembled at run time and reports
// must hold only redacted secrets, so nothing here may match.
func TestReportFilesScanClean(t *testing.T) {
	eng, err := detectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := eng.NewScanner()
	files := []string{filepath.Join("..", "docs", "reports.md")}
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		text, _ := detectors.Decode(data)
		matches, err := sc.Scan(filepath.ToSlash(p), text)
		if err != nil {
			t.Fatalf("scan %s: %v", p, err)
		}
		for _, m := range matches {
			t.Errorf("%s:%d: rule %s matches", p, m.Pos.Line, m.Rule.ID)
		}
	}
}
