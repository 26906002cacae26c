package report

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakhound/leakhound/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenExt is the file extension of each format's golden file.
var goldenExt = map[string]string{
	"text": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif", "csv": "csv",
	"junit": "xml", "gitlab": "json", "html": "html",
}

func TestGolden(t *testing.T) {
	type goldenCase struct {
		name, format string
		opts         Options
		found        []*finding.Finding
	}
	var cases []goldenCase
	for _, format := range Formats {
		cases = append(cases, goldenCase{format, format, testOptions, testFindings()})
	}
	quiet, color := testOptions, testOptions
	quiet.Quiet, color.Color = true, true
	cases = append(cases,
		goldenCase{"text-quiet", "text", quiet, testFindings()},
		goldenCase{"text-color", "text", color, testFindings()},
		goldenCase{"junit-clean", "junit", testOptions, nil},
		goldenCase{"html-clean", "html", testOptions, nil},
		goldenCase{"sarif-clean", "sarif", testOptions, nil},
		goldenCase{"gitlab-clean", "gitlab", testOptions, nil},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := render(c.format, c.opts, c.found)
			if err != nil {
				t.Fatalf("render %s: %v", c.format, err)
			}
			path := filepath.Join("testdata", "golden", c.name+"."+goldenExt[c.format])
			checkGolden(t, path, got)
		})
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the output; run go test ./report -update and review the "+
			"diff.\ngot:\n%s", path, got)
	}
}
