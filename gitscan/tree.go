package gitscan

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

var errBadTree = errors.New("malformed tree")

// parseTree decodes a raw tree object: entries of "<octal mode> <name>\0<20-byte hash>".
func parseTree(data []byte) (*object.Tree, error) {
	t := &object.Tree{Entries: make([]object.TreeEntry, 0, bytes.Count(data, []byte{0}))}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, errBadTree
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, errBadTree
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+20 {
			return nil, errBadTree
		}
		var h plumbing.Hash
		copy(h[:], data[nul+1:nul+21])
		t.Entries = append(t.Entries, object.TreeEntry{
			Name: string(data[:nul]),
			Mode: filemode.FileMode(mode),
			Hash: h,
		})
		data = data[nul+21:]
	}
	return t, nil
}
