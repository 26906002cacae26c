package gitscan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPackedMatchesLoose checks that reading objects from packfiles (with deep delta chains,
// the audit's fast path) finds exactly what reading loose objects through go-git finds.
func TestPackedMatchesLoose(t *testing.T) {
	r := newTestRepo(t)
	var body strings.Builder
	for i := range 60 {
		fmt.Fprintf(&body, "line %d of a file that grows a little with every commit\n", i)
		content := body.String()
		if i%7 == 3 {
			content += "key = " + fakeKey(uint64(100+i)) + "\n"
		}
		r.write("grow.txt", content)
		r.write(fmt.Sprintf("dir%d/copy.txt", i%5), content)
		r.commit(fmt.Sprintf("step %d", i))
	}
	r.git("branch", "side", "HEAD~10")

	loose, looseSt, err := scanRepo(t, r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r.git("repack", "-a", "-d", "-f", "--depth=50", "--window=50")
	r.git("prune-packed")
	packed, packedSt, err := scanRepo(t, r.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(loose) == 0 {
		t.Fatal("no findings in the loose repository")
	}
	if diff := cmp.Diff(wheres(loose), wheres(packed), cmp.AllowUnexported(where{})); diff != "" {
		t.Errorf("packed findings differ from loose (-loose +packed):\n%s", diff)
	}
	if looseSt.Blobs != packedSt.Blobs || looseSt.Bytes != packedSt.Bytes {
		t.Errorf("packed read %d blobs, %d bytes; loose %d, %d",
			packedSt.Blobs, packedSt.Bytes, looseSt.Blobs, looseSt.Bytes)
	}
}
