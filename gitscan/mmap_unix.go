//go:build unix

package gitscan

import (
	"os"
	"syscall"
)

// mapFile maps a file read-only into memory; unmap releases it. A pack index is read this
// way so a lookup costs page faults on the few pages it touches, not system calls.
func mapFile(f *os.File, size int) (data []byte, unmap func(), err error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { syscall.Munmap(b) }, nil
}
