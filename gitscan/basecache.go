package gitscan

import "container/list"

// baseCache keeps recently decoded objects by pack offset, so that resolving a chain of deltas
// reuses the bases it shares with the previous chain. It is bounded in bytes and evicts the
// least recently used object. It is not safe for concurrent use.
type baseCache struct {
	max, used int
	ll        *list.List
	items     map[cacheKey]*list.Element
}

type cacheKey struct {
	p   *pack
	off int64
}

type cacheItem struct {
	key  cacheKey
	typ  byte
	data []byte
}

// maxCachedObject is the largest object kept: bigger ones would push out many useful bases.
const maxCachedObject = 4 << 20

func newBaseCache(maxBytes int) *baseCache {
	return &baseCache{max: maxBytes, ll: list.New(), items: map[cacheKey]*list.Element{}}
}

func (c *baseCache) get(p *pack, off int64) (byte, []byte, bool) {
	e, ok := c.items[cacheKey{p, off}]
	if !ok {
		return 0, nil, false
	}
	c.ll.MoveToFront(e)
	it := e.Value.(*cacheItem)
	return it.typ, it.data, true
}

func (c *baseCache) put(p *pack, off int64, typ byte, data []byte) {
	k := cacheKey{p, off}
	if len(data) > maxCachedObject || len(data) > c.max || c.items[k] != nil {
		return
	}
	c.items[k] = c.ll.PushFront(&cacheItem{key: k, typ: typ, data: data})
	c.used += len(data)
	for c.used > c.max {
		e := c.ll.Back()
		it := e.Value.(*cacheItem)
		c.ll.Remove(e)
		delete(c.items, it.key)
		c.used -= len(it.data)
	}
}
