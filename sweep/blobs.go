package sweep

import (
	"context"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/leakhound/leakhound/store"
)

// blobCache is the gitscan.BlobCache of one repository's scan: it asks the store which
// blobs are known clean and collects the blobs this scan found clean, which are saved with
// the repository's results in one transaction.
type blobCache struct {
	ctx   context.Context
	st    store.Store
	rv    string
	mu    sync.Mutex
	clean []string
}

// Clean reports whether the store knows blob h clean under the sweep's rules. A store error
// counts as not known, so the blob is scanned.
func (c *blobCache) Clean(h plumbing.Hash) bool {
	ok, err := c.st.BlobClean(c.ctx, h.String(), c.rv)
	return err == nil && ok
}

// MarkClean notes a blob found clean.
func (c *blobCache) MarkClean(h plumbing.Hash) {
	c.mu.Lock()
	c.clean = append(c.clean, h.String())
	c.mu.Unlock()
}

func (c *blobCache) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.clean
}
