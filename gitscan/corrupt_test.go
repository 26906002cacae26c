package gitscan

import (
	"os"
	"path/filepath"
	"testing"
)

// corruptLoose overwrites a loose object's compressed bytes with garbage, as a disk error
// would, keeping the file so the object still appears to exist.
func corruptLoose(t *testing.T, dir, hash string) {
	t.Helper()
	p := filepath.Join(dir, ".git", "objects", hash[:2], hash[2:])
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("this is not zlib data"), 0o644); err != nil {
		t.Fatal(err)
	}
}
