package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/leakhound/leakhound/gitscan"
)

// showProgress reports whether a progress bar belongs on stderr: it must be a terminal, the
// run must not be in CI, and --no-progress must be unset.
func (s *session) showProgress() bool {
	if s.opts.noProgress || s.env.getenv("CI") != "" {
		return false
	}
	return isTerminal(s.env.stderr)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// watchProgress draws a bar of blobs scanned out of blobs found until stop is closed.
func (s *session) watchProgress(p *gitscan.Progress, stop <-chan struct{}) {
	if !s.showProgress() {
		return
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(s.env.stderr),
		progressbar.OptionSetDescription("scanning"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("blobs"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			bar.Finish()
			return
		case <-tick.C:
			bar.ChangeMax64(max(p.BlobsFound.Load(), 1))
			bar.Describe(fmt.Sprintf("scanning %s", humanBytes(p.Bytes.Load())))
			bar.Set64(p.BlobsDone.Load())
		}
	}
}
