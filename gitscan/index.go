package gitscan

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// indexEntry is one path of the staging area.
type indexEntry struct {
	path        string
	mode        filemode.FileMode
	hash        plumbing.Hash
	stage       int  // 0, or 1 to 3 for the sides of a conflict
	intentToAdd bool // git add -N: the path is known, its content not yet staged
}

// stagedIndex is what a staged scan needs of git's index file: the entries, sorted by path
// as git keeps them, and the valid entries of its cache tree, by directory ("" for the root,
// else "dir/sub/"), each the hash of the tree that directory would be written as.
type stagedIndex struct {
	entries []indexEntry
	trees   map[string]plumbing.Hash
}

// Index file layout constants (see git's Documentation/gitformat-index.txt).
const (
	indexHeaderLen   = 12
	indexEntryFixed  = 62 // times, stat data, mode, hash and flags
	indexFlagExt     = 0x4000
	indexNameMask    = 0xfff
	indexIntentToAdd = 1 << 13 // in the extended flags
)

// errIndex is wrapped by every error reading an index file.
var errIndex = errors.New("malformed index")

// readIndex reads an index file of version 2, 3 or 4. It verifies the checksum, rejects the
// split and sparse index formats (whose entries live elsewhere or are whole trees) and
// returns an error rather than a partial index, since a hook must not pass what it did not
// read.
func readIndex(path string) (*stagedIndex, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read index %s: %w", path, err)
	}
	idx, err := parseIndex(b)
	if err != nil {
		return nil, fmt.Errorf("read index %s: %w", path, err)
	}
	return idx, nil
}

func parseIndex(b []byte) (*stagedIndex, error) {
	if len(b) < indexHeaderLen+20 || string(b[:4]) != "DIRC" {
		return nil, fmt.Errorf("%w: no index header", errIndex)
	}
	body, sum := b[:len(b)-20], b[len(b)-20:]
	if !allZero(sum) {
		if got := sha1.Sum(body); !bytes.Equal(got[:], sum) {
			return nil, fmt.Errorf("%w: checksum mismatch", errIndex)
		}
	}
	version := binary.BigEndian.Uint32(b[4:])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("%w: version %d", errIndex, version)
	}
	count := int(binary.BigEndian.Uint32(b[8:]))
	idx := &stagedIndex{entries: make([]indexEntry, 0, min(count, len(b)/indexEntryFixed))}
	rest, err := idx.readEntries(body[indexHeaderLen:], count, version)
	if err != nil {
		return nil, err
	}
	return idx, idx.readExtensions(rest)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// readEntries decodes count entries from b and returns what follows them.
func (idx *stagedIndex) readEntries(b []byte, count int, version uint32) ([]byte, error) {
	prev := ""
	for range count {
		if len(b) < indexEntryFixed {
			return nil, fmt.Errorf("%w: truncated entry", errIndex)
		}
		e := indexEntry{mode: filemode.FileMode(binary.BigEndian.Uint32(b[24:]))}
		copy(e.hash[:], b[40:60])
		flags := binary.BigEndian.Uint16(b[60:])
		e.stage = int(flags>>12) & 3
		n := indexEntryFixed
		if flags&indexFlagExt != 0 {
			if version < 3 || len(b) < n+2 {
				return nil, fmt.Errorf("%w: extended flags", errIndex)
			}
			e.intentToAdd = binary.BigEndian.Uint16(b[n:])&indexIntentToAdd != 0
			n += 2
		}
		var err error
		if version == 4 {
			e.path, n, err = entryNameV4(b, n, prev)
		} else {
			e.path, n, err = entryName(b, n, int(flags&indexNameMask))
		}
		if err != nil {
			return nil, err
		}
		idx.entries = append(idx.entries, e)
		prev, b = e.path, b[n:]
	}
	return b, nil
}

// entryName reads a NUL-padded name of a version 2 or 3 entry starting at n and returns it
// with the entry's padded length.
func entryName(b []byte, n, nameLen int) (string, int, error) {
	end := n + nameLen
	if nameLen == indexNameMask {
		i := bytes.IndexByte(b[n:], 0)
		if i < 0 {
			return "", 0, fmt.Errorf("%w: unterminated name", errIndex)
		}
		end = n + i
	}
	padded := (end + 8) &^ 7
	if padded > len(b) || b[end] != 0 {
		return "", 0, fmt.Errorf("%w: bad entry name", errIndex)
	}
	return string(b[n:end]), padded, nil
}

// entryNameV4 reads a prefix-compressed name: how many bytes to drop from the end of the
// previous name, then the NUL-terminated suffix.
func entryNameV4(b []byte, n int, prev string) (string, int, error) {
	strip, used := indexVarint(b[n:])
	if used == 0 || strip > len(prev) {
		return "", 0, fmt.Errorf("%w: bad name compression", errIndex)
	}
	n += used
	i := bytes.IndexByte(b[n:], 0)
	if i < 0 {
		return "", 0, fmt.Errorf("%w: unterminated name", errIndex)
	}
	return prev[:len(prev)-strip] + string(b[n:n+i]), n + i + 1, nil
}

// indexVarint decodes git's offset varint, in which each continuation adds one.
func indexVarint(b []byte) (int, int) {
	if len(b) == 0 {
		return 0, 0
	}
	v := int(b[0] & 0x7f)
	i := 1
	for c := b[0]; c&0x80 != 0; i++ {
		if i >= len(b) || i > 8 {
			return 0, 0
		}
		c = b[i]
		v = (v+1)<<7 | int(c&0x7f)
	}
	return v, i
}

// readExtensions reads the cache tree and rejects extensions the entries depend on.
func (idx *stagedIndex) readExtensions(b []byte) error {
	for len(b) >= 8 {
		sig, size := string(b[:4]), int(binary.BigEndian.Uint32(b[4:]))
		if size > len(b)-8 {
			return fmt.Errorf("%w: truncated extension %q", errIndex, sig)
		}
		data := b[8 : 8+size]
		b = b[8+size:]
		switch {
		case sig == "TREE":
			idx.trees = map[string]plumbing.Hash{}
			if _, err := idx.readTree(data, ""); err != nil {
				return err
			}
		case sig == "link":
			return fmt.Errorf("%w: split index is not supported (git update-index "+
				"--no-split-index)", errIndex)
		case sig == "sdir":
			return fmt.Errorf("%w: sparse index is not supported (git sparse-checkout "+
				"init --no-sparse-index)", errIndex)
		case sig[0] < 'A' || sig[0] > 'Z':
			return fmt.Errorf("%w: unknown required extension %q", errIndex, sig)
		}
	}
	return nil
}

// readTree reads one cache-tree node for directory dir and its subtrees, in pre-order, and
// returns what follows them. Invalidated nodes carry no hash and are not recorded.
func (idx *stagedIndex) readTree(b []byte, dir string) ([]byte, error) {
	name, rest, ok1 := bytes.Cut(b, []byte{0})
	count, rest, ok2 := bytes.Cut(rest, []byte{' '})
	subs, rest, ok3 := bytes.Cut(rest, []byte{'\n'})
	n, err1 := strconv.Atoi(string(count))
	nsub, err2 := strconv.Atoi(string(subs))
	if !ok1 || !ok2 || !ok3 || err1 != nil || err2 != nil || nsub < 0 {
		return nil, fmt.Errorf("%w: bad cache tree", errIndex)
	}
	if len(name) > 0 {
		dir += string(name) + "/"
	}
	if n >= 0 {
		if len(rest) < 20 {
			return nil, fmt.Errorf("%w: bad cache tree", errIndex)
		}
		var h plumbing.Hash
		copy(h[:], rest[:20])
		idx.trees[dir] = h
		rest = rest[20:]
	}
	for range nsub {
		var err error
		if rest, err = idx.readTree(rest, dir); err != nil {
			return nil, err
		}
	}
	return rest, nil
}
