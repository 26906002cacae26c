//go:build !race

package detectors

// raceEnabled is set when the race detector, which slows the scanner tenfold, is on.
const raceEnabled = false
