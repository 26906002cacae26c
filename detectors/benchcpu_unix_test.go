//go:build unix

package detectors

import (
	"syscall"
	"time"
)

// processCPU returns the user and system CPU time the process has used so far. Benchmarks
// report it beside wall time because a shared machine's load inflates wall time but not the
// CPU a scan consumes.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
