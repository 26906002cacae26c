//go:build !unix

package detectors

import "time"

// processCPU is not measured on this platform; the CPU metrics read zero.
func processCPU() time.Duration {
	return 0
}
