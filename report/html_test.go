package report

import (
	"strings"
	"testing"
	"time"

	"github.com/leakhound/leakhound/finding"
)

func TestHTMLEscapesRepositoryText(t *testing.T) {
	out, err := render("html", testOptions, testFindings())
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<script>alert", "<img src=x", "<x>.js"} {
		if strings.Contains(out, raw) {
			t.Errorf("html report contains unescaped %q", raw)
		}
	}
	for _, bad := range []string{"http://", "@import", "<link", "src=\"http"} {
		if strings.Contains(out, bad) {
			t.Errorf("html report may fetch something: contains %q", bad)
		}
	}
}

func TestChartBuckets(t *testing.T) {
	at := func(s string) *finding.Finding {
		d, _ := time.Parse(time.DateOnly, s)
		return &finding.Finding{Date: d}
	}
	c := buildChart([]*finding.Finding{at("2023-11-05"), at("2024-02-01"), at("2024-02-28"),
		{}})
	var labels []string
	var counts []int
	for _, b := range c.Bars {
		labels, counts = append(labels, b.Label), append(counts, b.Count)
	}
	if got := strings.Join(labels, " "); got != "2023-11 2023-12 2024-01 2024-02" {
		t.Errorf("months = %s", got)
	}
	if c.Max != 2 || counts[0] != 1 || counts[3] != 2 || c.Undated != 1 {
		t.Errorf("counts = %v, max %d, undated %d", counts, c.Max, c.Undated)
	}
	long := buildChart([]*finding.Finding{at("2001-01-01"), at("2024-06-01")})
	if n := len(long.Bars); n != 24 {
		t.Errorf("a 24-year history has %d bars, want one per year", n)
	}
}
