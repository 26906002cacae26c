// Command leakhound finds credentials in git history, files and standard input.
//
// Exit codes: 0 when nothing is found, 1 when secrets are found (or the --exit-code value),
// 2 when an error stopped the scan or left part of it unread.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
)

// Exit codes shared by every command.
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	os.Exit(run())
}

// gcPercent makes the collector run when the heap has grown by half since the last
// collection instead of doubling, so that an audit, which reads gigabytes of short-lived blob
// content over a live set of 100-200 MB (the walk and the delta caches), peaks near 1.5 times
// its live data. A hard memory limit instead made the collector run without pause on large
// histories. GOGC overrides it.
const gcPercent = 50

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		governMemory(ctx)
	}
	if p := os.Getenv("LEAKHOUND_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	env := &environ{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
	}
	return execute(ctx, env, os.Args[1:])
}
