// Command snapshot writes the gob snapshot of the built-in rules that leakhound loads at run
// time, from configs/rules.toml. It is run by `go generate ./configs`.
package main

import (
	"fmt"
	"os"

	"github.com/leakhound/leakhound/detectors"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: snapshot OUTPUT")
		os.Exit(2)
	}
	cfg, err := detectors.BuiltinTOML()
	if err == nil {
		var data []byte
		if data, err = detectors.Snapshot(cfg); err == nil {
			err = os.WriteFile(os.Args[1], data, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}
