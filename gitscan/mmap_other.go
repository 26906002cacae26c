//go:build !unix

package gitscan

import (
	"io"
	"os"
)

// mapFile reads a file whole where memory mapping is not available; unmap does nothing.
func mapFile(f *os.File, size int) (data []byte, unmap func(), err error) {
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, nil, err
	}
	return b, func() {}, nil
}
