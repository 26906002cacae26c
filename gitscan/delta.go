package gitscan

import (
	"errors"

	"github.com/leakhound/leakhound/detectors"
)

// errBadDelta is returned for a delta that does not apply to its base.
var errBadDelta = errors.New("bad delta")

// applyDelta rebuilds an object from its base and a git delta: the base's size, the result's
// size, then copy and insert instructions.
func applyDelta(base, delta []byte) ([]byte, error) {
	out, _, err := applyDeltaCopies(base, delta, nil)
	return out, err
}

// applyDeltaCopies is applyDelta that also appends to copies where the result copies its
// base, for an incremental scan of the result.
func applyDeltaCopies(base, delta []byte, copies []detectors.Copy) ([]byte, []detectors.Copy,
	error) {
	srcSize, delta, ok := deltaSize(delta)
	if !ok || srcSize != int64(len(base)) {
		return nil, copies, errBadDelta
	}
	dstSize, delta, ok := deltaSize(delta)
	if !ok || dstSize > maxObjectSize {
		return nil, copies, errBadDelta
	}
	out := make([]byte, 0, dstSize)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		if op&0x80 == 0 {
			n := int(op)
			if n == 0 || n > len(delta) {
				return nil, copies, errBadDelta
			}
			out = append(out, delta[:n]...)
			delta = delta[n:]
			continue
		}
		var off, size int64
		var err error
		if off, delta, err = deltaOperand(op, 0, 4, delta); err != nil {
			return nil, copies, err
		}
		if size, delta, err = deltaOperand(op, 4, 3, delta); err != nil {
			return nil, copies, err
		}
		if size == 0 {
			size = 0x10000
		}
		if off+size > int64(len(base)) || int64(len(out))+size > dstSize {
			return nil, copies, errBadDelta
		}
		copies = append(copies, detectors.Copy{Dst: len(out), Src: int(off), Len: int(size)})
		out = append(out, base[off:off+size]...)
	}
	if int64(len(out)) != dstSize {
		return nil, copies, errBadDelta
	}
	return out, copies, nil
}

// deltaOperand reads the little-endian bytes of a copy operand that op's bits first to
// first+n-1 say are present.
func deltaOperand(op byte, first, n int, delta []byte) (int64, []byte, error) {
	var v int64
	for i := range n {
		if op&(1<<(first+i)) == 0 {
			continue
		}
		if len(delta) == 0 {
			return 0, nil, errBadDelta
		}
		v |= int64(delta[0]) << (8 * i)
		delta = delta[1:]
	}
	return v, delta, nil
}

// deltaSize reads a little-endian base-128 size from the start of a delta.
func deltaSize(b []byte) (int64, []byte, bool) {
	var v int64
	for i, shift := 0, 0; i < len(b) && shift < 63; i, shift = i+1, shift+7 {
		v |= int64(b[i]&0x7f) << shift
		if b[i]&0x80 == 0 {
			return v, b[i+1:], true
		}
	}
	return 0, nil, false
}
