package report

import (
	"fmt"
	"time"

	"github.com/leakhound/leakhound/finding"
)

// Chart geometry, in SVG user units.
const (
	chartWidth  = 760
	chartHeight = 200
	chartLeft   = 36 // room for the y-axis labels
	chartBottom = 24 // room for the x-axis labels
	chartTop    = 12
	// chartMaxMonths is the longest history drawn month by month; longer ones are drawn
	// year by year so bars stay wide enough to see.
	chartMaxMonths = 120
)

// chart is the inline SVG bar chart of when leaks were introduced: findings per month (or
// year) of their commit date. Findings without a date are left out.
type chart struct {
	Width, Height int
	Bars          []chartBar
	Max           int
	Undated       int
	AxisY, AxisX0 int
	AxisX1        int
	MaxY          int
}

// chartBar is one period of the chart.
type chartBar struct {
	Label       string
	Count       int
	X, Y, W, H  float64
	ShowLabel   bool
	LabelX      float64
	Description string
}

func buildChart(found []*finding.Finding) chart {
	c := chart{Width: chartWidth, Height: chartHeight, AxisY: chartHeight - chartBottom,
		AxisX0: chartLeft, AxisX1: chartWidth - 4, MaxY: chartTop}
	var dates []time.Time
	for _, f := range found {
		if f.Date.IsZero() {
			c.Undated++
			continue
		}
		dates = append(dates, f.Date.UTC())
	}
	if len(dates) == 0 {
		return c
	}
	periods, counts := bucket(dates)
	for _, n := range counts {
		c.Max = max(c.Max, n)
	}
	c.Bars = layoutBars(periods, counts, c.Max)
	return c
}

// bucket counts dates per month from the first to the last, with empty months included, or
// per year when that span is longer than chartMaxMonths.
func bucket(dates []time.Time) ([]string, []int) {
	first, last := dates[0], dates[0]
	for _, d := range dates {
		first, last = minTime(first, d), maxTime(last, d)
	}
	months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month()) + 1
	key := func(d time.Time) int {
		return (d.Year()-first.Year())*12 + int(d.Month()-first.Month())
	}
	label := func(i int) string {
		return time.Date(first.Year(), first.Month()+time.Month(i), 1, 0, 0, 0, 0,
			time.UTC).Format("2006-01")
	}
	if months > chartMaxMonths {
		months = last.Year() - first.Year() + 1
		key = func(d time.Time) int { return d.Year() - first.Year() }
		label = func(i int) string { return fmt.Sprint(first.Year() + i) }
	}
	counts := make([]int, months)
	for _, d := range dates {
		counts[key(d)]++
	}
	labels := make([]string, months)
	for i := range labels {
		labels[i] = label(i)
	}
	return labels, counts
}

func layoutBars(labels []string, counts []int, top int) []chartBar {
	plotW := float64(chartWidth - 4 - chartLeft)
	plotH := float64(chartHeight - chartBottom - chartTop)
	slot := plotW / float64(len(counts))
	every := max(1, (len(counts)+7)/8) // about eight labels at most
	bars := make([]chartBar, len(counts))
	for i, n := range counts {
		h := plotH * float64(n) / float64(top)
		bars[i] = chartBar{
			Label: labels[i], Count: n,
			X: round1(chartLeft + float64(i)*slot + slot*0.1), W: round1(slot * 0.8),
			Y: round1(chartHeight - chartBottom - h), H: round1(h),
			ShowLabel:   i%every == 0 || i == len(counts)-1 && i%every > every/2,
			LabelX:      round1(chartLeft + float64(i)*slot + slot/2),
			Description: fmt.Sprintf("%s: %s", labels[i], plural(n, "finding")),
		}
	}
	return bars
}

func round1(v float64) float64 {
	return float64(int64(v*10+0.5)) / 10
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
