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

// softMemoryLimit asks the garbage collector to work harder as the heap nears it, so that an
// audit's peak stays near its live data (caches of about 100 MiB) instead of twice that.
// GOMEMLIMIT overrides it.
const softMemoryLimit = 200 << 20

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
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
