package gitscan

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// maxObjectSize bounds any object read whole into memory; a hostile pack can declare any
// size, and no file leakhound scans comes near it.
const maxObjectSize = 1 << 30

// maxAlternates bounds how many object directories alternates files may chain, so a loop of
// alternates cannot recurse forever.
const maxAlternates = 16

// deltaCacheBytes bounds a reader's cache of delta bases. Blob workers build most deltas from
// bases they hold (forest.go) and use it only for roots whose base lies elsewhere and for blobs
// read one by one. treeCacheBytes bounds a walker's, whose trees are small and read in commit
// order, so that a chain's base was usually read just before.
const (
	deltaCacheBytes = 16 << 20
	treeCacheBytes  = 8 << 20
)

// objectReader reads objects straight from a repository's loose objects and packs, without
// loading pack indexes into memory, so that a hook that reads a handful of objects on a
// repository with millions starts in milliseconds. Packs are opened on first use. It is not
// safe for concurrent use.
type objectReader struct {
	borrowed bool     // packs belong to another reader, which closes them
	limit    int64    // when positive, a delta whose result is larger fails with errTooLarge
	dirs     []string // objects directories: the repository's, then its alternates
	packs    []*pack
	opened   bool
	cache    deltaCache
	z        inflater
	win      packWindow
	// deltaBufs[i] is reused for the deltas read at depth i of a chain.
	deltaBufs [][]byte
}

// newObjectReader returns a reader for the objects directory dir and its alternates.
func newObjectReader(dir string) *objectReader {
	o := &objectReader{}
	o.addDir(dir, 0)
	return o
}

func (o *objectReader) addDir(dir string, depth int) {
	o.dirs = append(o.dirs, dir)
	b, err := os.ReadFile(filepath.Join(dir, "info", "alternates"))
	if err != nil || depth >= maxAlternates {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(dir, line)
		}
		o.addDir(filepath.Clean(line), depth+1)
	}
}

// close releases the open packs.
func (o *objectReader) close() {
	if !o.borrowed {
		for _, p := range o.packs {
			p.close()
		}
	}
	o.packs, o.opened = nil, false
}

// borrow returns a reader that shares o's packs but has its own cache and inflater, for
// another goroutine. Packs hold no mutable state once open (their index is a read-only
// mapping and their data is read with ReadAt), so readers may share them. o's packs must be
// open (openPacks) before borrowers start, and stay open while they are in use; closing a
// borrower leaves the packs open. borrow does not change o and may be called concurrently.
func (o *objectReader) borrow() *objectReader {
	return &objectReader{dirs: o.dirs, packs: o.packs, opened: true, borrowed: true}
}

func (o *objectReader) openPacks() {
	o.opened = true
	for _, d := range o.dirs {
		for _, base := range packBases(d) {
			if p, err := openPack(base); err == nil {
				o.packs = append(o.packs, p)
			}
		}
	}
}

// read returns an object's type and content. A missing object is plumbing.ErrObjectNotFound.
func (o *objectReader) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	t, data, err := o.readDepth(h, 0)
	if err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) {
		err = fmt.Errorf("read object %s: %w", h, err)
	}
	return t, data, err
}

func (o *objectReader) readDepth(h plumbing.Hash, depth int) (plumbing.ObjectType, []byte,
	error) {
	if depth > maxDeltaDepth {
		return plumbing.InvalidObject, nil, errors.New("delta chain too deep")
	}
	// Packs first: most objects are packed, and asking the file system for a loose copy of
	// each costs a failed open per object.
	if !o.opened {
		o.openPacks()
	}
	for _, p := range o.packs {
		off, err := p.find(h)
		if errors.Is(err, errNotInPack) {
			continue
		}
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		return o.readPacked(p, off, depth)
	}
	for _, d := range o.dirs {
		t, data, err := readLoose(&o.z, d, h)
		if !errors.Is(err, fs.ErrNotExist) {
			return t, data, err
		}
	}
	return plumbing.InvalidObject, nil, plumbing.ErrObjectNotFound
}

// readPacked reads the object at off in p, resolving deltas.
func (o *objectReader) readPacked(p *pack, off int64, depth int) (plumbing.ObjectType, []byte,
	error) {
	if t, data, ok := o.cache.get(p, off); ok {
		return t, data, nil
	}
	e, err := p.header(o.win.on(p), off)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	var raw []byte
	if isDelta(e.kind) {
		raw, err = o.inflateDelta(p, e, depth)
	} else {
		raw, err = p.inflate(&o.z, o.win.on(p), e, nil)
	}
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	if depth == 0 && o.limit > 0 && isDelta(e.kind) && deltaTargetSize(raw) > o.limit {
		return plumbing.InvalidObject, nil, errTooLarge
	}
	var t plumbing.ObjectType
	var base []byte
	switch e.kind {
	case packCommit, packTree, packBlob, packTag:
		t, base = plumbing.ObjectType(e.kind), nil
	case packOfsDelta:
		t, base, err = o.readPacked(p, e.baseOff, depth+1)
	case packRefDelta:
		t, base, err = o.readDepth(e.baseRef, depth+1)
	default:
		return plumbing.InvalidObject, nil, fmt.Errorf("object type %d at %d", e.kind, off)
	}
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	data := raw
	if base != nil {
		bk := o.baseKey(p, e)
		if data, err = applyDelta(base, raw); err != nil {
			return plumbing.InvalidObject, nil, err
		}
		if bk.p != nil {
			o.cache.put(bk.p, bk.off, t, base)
		}
	}
	return t, data, nil
}

// maxKeptDeltaBuf bounds the delta buffers a reader keeps between reads.
const maxKeptDeltaBuf = 1 << 20

// inflateDelta inflates the delta e into a buffer the reader reuses for deltas read at this
// depth of a chain: a delta is only needed until it is applied, and most objects are deltas.
func (o *objectReader) inflateDelta(p *pack, e packEntry, depth int) ([]byte, error) {
	for len(o.deltaBufs) <= depth {
		o.deltaBufs = append(o.deltaBufs, nil)
	}
	raw, err := p.inflate(&o.z, o.win.on(p), e, o.deltaBufs[depth])
	if cap(raw) <= maxKeptDeltaBuf {
		o.deltaBufs[depth] = raw[:0]
	}
	return raw, err
}

// baseKey returns where the delta e's base lies.
func (o *objectReader) baseKey(p *pack, e packEntry) cacheKey {
	if e.kind == packOfsDelta {
		return cacheKey{p, e.baseOff}
	}
	bp, off, ok := o.locate(e.baseRef)
	if !ok {
		return cacheKey{}
	}
	return cacheKey{bp, off}
}

// readLoose reads a loose object; fs.ErrNotExist means there is none.
func readLoose(z *inflater, dir string, h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	s := h.String()
	fh, err := os.Open(filepath.Join(dir, s[:2], s[2:]))
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	defer fh.Close()
	zr, err := z.reset(fh)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object: %w", err)
	}
	br := bufio.NewReader(zr)
	hdr, err := br.ReadString(0)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("loose object header: %w", err)
	}
	kind, size, _ := strings.Cut(strings.TrimSuffix(hdr, "\x00"), " ")
	t, err := plumbing.ParseObjectType(kind)
	n, err2 := strconv.ParseInt(size, 10, 64)
	if err != nil || err2 != nil {
		return plumbing.InvalidObject, nil, errors.New("loose object header: malformed")
	}
	data, err := readExactly(br, n)
	return t, data, err
}

// deltaCache keeps recently used delta bases by pack and offset, up to max bytes
// (deltaCacheBytes when zero).
type deltaCache struct {
	max   int
	m     map[cacheKey]cached
	order []cacheKey
	bytes int
}

type cacheKey struct {
	p   *pack
	off int64
}

type cached struct {
	t    plumbing.ObjectType
	data []byte
}

func (c *deltaCache) get(p *pack, off int64) (plumbing.ObjectType, []byte, bool) {
	v, ok := c.m[cacheKey{p, off}]
	return v.t, v.data, ok
}

func (c *deltaCache) put(p *pack, off int64, t plumbing.ObjectType, data []byte) {
	k := cacheKey{p, off}
	limit := cmp.Or(c.max, deltaCacheBytes)
	if len(data) > limit/4 {
		return
	}
	if c.m == nil {
		c.m = map[cacheKey]cached{}
	}
	if _, ok := c.m[k]; ok {
		return
	}
	for c.bytes+len(data) > limit && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= len(c.m[old].data)
		delete(c.m, old)
	}
	c.m[k] = cached{t, data}
	c.order = append(c.order, k)
	c.bytes += len(data)
}

// objectSource adapts an objectReader to the go-git object interface the walkers use. When
// the reader fails on an object for any reason but its absence (a format it does not read),
// the object is asked of go-git's storage, opened on first need.
type objectSource struct {
	o        *objectReader
	fallback func() storer.EncodedObjectStorer
	gg       storer.EncodedObjectStorer
}

// EncodedObject returns the object as a plumbing.MemoryObject; t may be plumbing.AnyObject.
func (s *objectSource) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (
	plumbing.EncodedObject, error) {
	got, data, err := s.o.read(h)
	if err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) && s.fallback != nil {
		if s.gg == nil {
			s.gg = s.fallback()
		}
		return s.gg.EncodedObject(t, h)
	}
	if err != nil {
		return nil, err
	}
	if t != plumbing.AnyObject && got != t {
		return nil, plumbing.ErrObjectNotFound
	}
	obj := &plumbing.MemoryObject{}
	obj.SetType(got)
	if _, err := obj.Write(data); err != nil {
		return nil, err
	}
	return obj, nil
}

// errTooLarge is returned for an object over the size limit; it is skipped, not an error.
var errTooLarge = errors.New("object too large")

// readMax returns the content of object h, which must be of type want. A packed object whose
// header declares more than maxSize bytes (0: no limit) is not inflated; readMax returns
// errTooLarge for it, and for any other object found to be larger. Objects the direct reader
// cannot decode are read through go-git.
func (s *objectSource) readMax(h plumbing.Hash, want plumbing.ObjectType,
	maxSize int64) ([]byte, error) {
	if maxSize > 0 && s.o.declaredSize(h) > maxSize {
		return nil, errTooLarge
	}
	s.o.limit = maxSize
	got, data, err := s.o.read(h)
	s.o.limit = 0
	if errors.Is(err, errTooLarge) {
		return nil, err
	}
	if err != nil && !errors.Is(err, plumbing.ErrObjectNotFound) && s.fallback != nil {
		data, got, err = s.readFallback(h, want)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	if got != want {
		return nil, fmt.Errorf("read %s %s: object is a %s", want, h, got)
	}
	if maxSize > 0 && int64(len(data)) > maxSize {
		return nil, errTooLarge
	}
	return data, nil
}

func (s *objectSource) readFallback(h plumbing.Hash, want plumbing.ObjectType) ([]byte,
	plumbing.ObjectType, error) {
	if s.gg == nil {
		s.gg = s.fallback()
	}
	obj, err := s.gg.EncodedObject(want, h)
	if err != nil {
		return nil, plumbing.InvalidObject, err
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, plumbing.InvalidObject, err
	}
	defer rd.Close()
	data, err := readExactly(bufio.NewReader(rd), obj.Size())
	return data, obj.Type(), err
}

// declaredSize returns the size a packed, undeltified object's header declares, or -1 when
// it is not known without inflating (loose objects, deltas, objects not found).
func (o *objectReader) declaredSize(h plumbing.Hash) int64 {
	p, off, ok := o.locate(h)
	if !ok {
		return -1
	}
	e, err := p.header(o.win.on(p), off)
	if err != nil || e.kind == packOfsDelta || e.kind == packRefDelta {
		return -1
	}
	return e.size
}

// locate returns the pack holding h and the object's offset in it.
func (o *objectReader) locate(h plumbing.Hash) (*pack, int64, bool) {
	if !o.opened {
		o.openPacks()
	}
	for _, p := range o.packs {
		if off, err := p.find(h); err == nil {
			return p, off, true
		}
	}
	return nil, 0, false
}

func isDelta(kind int) bool {
	return kind == packOfsDelta || kind == packRefDelta
}

// deltaTargetSize returns the size of the object a delta builds, read from its header, or
// -1 if the header is malformed.
func deltaTargetSize(delta []byte) int64 {
	_, rest, ok := deltaSize(delta)
	if !ok {
		return -1
	}
	n, _, ok := deltaSize(rest)
	if !ok {
		return -1
	}
	return n
}
