package gitscan

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/idxfile"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Reading objects is the audit's hot path, so leakhound reads packfiles itself instead of
// going through go-git's object store: it looks objects up in the pack indexes, inflates
// them, and resolves deltas against a bounded cache of recent bases keyed by pack offset.
// It does not hash what it reads (git fsck verifies packs; a damaged pack still fails here as
// a zlib or delta error). Loose objects and anything else not in a pack go through go-git.

// errTooLarge is returned for an object over the size limit; it is skipped, not an error.
var errTooLarge = errors.New("object too large")

// maxDeltaDepth bounds delta chains; git itself writes chains of at most 4095, so a longer one
// means a damaged or hostile pack with a cycle.
const maxDeltaDepth = 5000

// Pack object types, as stored in an object's header.
const (
	objCommit   = 1
	objTree     = 2
	objBlob     = 3
	objTag      = 4
	objOfsDelta = 6
	objRefDelta = 7
)

// packs holds every pack of a repository. It is immutable after openPacks and safe for
// concurrent use: os.File.ReadAt may be called from many goroutines.
type packs struct {
	list []*pack
}

type pack struct {
	name string
	f    *os.File
	size int64
	idx  *idxfile.MemoryIndex
}

// openPacks opens every pack under dir/objects/pack that has an index. A pack that cannot be
// opened is returned in errs and left out; its objects are then looked for elsewhere.
func openPacks(dir string) (*packs, []error) {
	idxs, _ := filepath.Glob(filepath.Join(dir, "objects", "pack", "*.idx"))
	ps := &packs{}
	var errs []error
	for _, idxPath := range idxs {
		p, err := openPack(strings.TrimSuffix(idxPath, ".idx"))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ps.list = append(ps.list, p)
	}
	return ps, errs
}

func openPack(base string) (*pack, error) {
	raw, err := os.ReadFile(base + ".idx")
	if err != nil {
		return nil, fmt.Errorf("read pack index %s: %w", filepath.Base(base), err)
	}
	idx := idxfile.NewMemoryIndex()
	if err := idxfile.NewDecoder(bytes.NewReader(raw)).Decode(idx); err != nil {
		return nil, fmt.Errorf("read pack index %s: %w", filepath.Base(base), err)
	}
	f, err := os.Open(base + ".pack")
	if err != nil {
		return nil, fmt.Errorf("open pack %s: %w", filepath.Base(base), err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open pack %s: %w", filepath.Base(base), err)
	}
	return &pack{name: filepath.Base(base), f: f, size: fi.Size(), idx: idx}, nil
}

// close closes the pack files.
func (ps *packs) close() {
	for _, p := range ps.list {
		p.f.Close()
	}
}

// find returns the pack and offset holding h.
func (ps *packs) find(h plumbing.Hash) (*pack, int64, bool) {
	for _, p := range ps.list {
		if off, err := p.idx.FindOffset(h); err == nil {
			return p, off, true
		}
	}
	return nil, 0, false
}

// objectReader reads objects for one goroutine: it owns its buffers, inflater and delta
// base cache, and is not safe for concurrent use.
type objectReader struct {
	packs *packs
	loose storer.EncodedObjectStorer
	cache *baseCache
	br    *bufio.Reader
	zr    io.ReadCloser
}

func newObjectReader(ps *packs, loose storer.EncodedObjectStorer, cacheBytes int) *objectReader {
	return &objectReader{
		packs: ps,
		loose: loose,
		cache: newBaseCache(cacheBytes),
		br:    bufio.NewReaderSize(nil, 64<<10),
	}
}

// read returns the content of object h, which must be of type want. Content over maxSize
// bytes (0: no limit) is not inflated; read returns errTooLarge.
func (r *objectReader) read(h plumbing.Hash, want plumbing.ObjectType,
	maxSize int64) ([]byte, error) {
	p, off, ok := r.packs.find(h)
	if !ok {
		return r.readLoose(h, want, maxSize)
	}
	typ, data, err := r.readAt(p, off, maxSize, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	if plumbing.ObjectType(typ) != want {
		return nil, fmt.Errorf("read %s %s: object is a %s", want, h, plumbing.ObjectType(typ))
	}
	return data, nil
}

func (r *objectReader) readLoose(h plumbing.Hash, want plumbing.ObjectType,
	maxSize int64) ([]byte, error) {
	obj, err := r.loose.EncodedObject(want, h)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	if maxSize > 0 && obj.Size() > maxSize {
		return nil, errTooLarge
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	defer rd.Close()
	data, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", want, h, err)
	}
	return data, nil
}

// readAt decodes the object at off in p, resolving deltas. maxSize applies to the object
// itself, not to the bases it is built from.
func (r *objectReader) readAt(p *pack, off, maxSize int64, depth int) (byte, []byte, error) {
	if depth > maxDeltaDepth {
		return 0, nil, errors.New("delta chain too deep")
	}
	if typ, data, ok := r.cache.get(p, off); ok {
		return typ, data, nil
	}
	r.br.Reset(io.NewSectionReader(p.f, off, p.size-off))
	typ, size, err := readHeader(r.br)
	if err != nil {
		return 0, nil, fmt.Errorf("pack %s offset %d: %w", p.name, off, err)
	}

	var data []byte
	switch typ {
	case objCommit, objTree, objBlob, objTag:
		if maxSize > 0 && size > maxSize {
			return 0, nil, errTooLarge
		}
		data, err = r.inflate(size)
	case objOfsDelta, objRefDelta:
		typ, data, err = r.readDelta(p, off, typ, size, maxSize, depth)
	default:
		err = fmt.Errorf("unknown object type %d", typ)
	}
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return 0, nil, err
		}
		return 0, nil, fmt.Errorf("pack %s offset %d: %w", p.name, off, err)
	}
	r.cache.put(p, off, typ, data)
	return typ, data, nil
}

// readDelta reads a delta at the reader's position and applies it to its base.
func (r *objectReader) readDelta(p *pack, off int64, typ byte, size, maxSize int64,
	depth int) (byte, []byte, error) {
	var basePack *pack
	var baseOff int64
	if typ == objOfsDelta {
		rel, err := readOfsOffset(r.br)
		if err != nil || rel <= 0 || rel > off {
			return 0, nil, fmt.Errorf("bad delta base offset")
		}
		basePack, baseOff = p, off-rel
	} else {
		var h plumbing.Hash
		if _, err := io.ReadFull(r.br, h[:]); err != nil {
			return 0, nil, err
		}
		var ok bool
		if basePack, baseOff, ok = r.packs.find(h); !ok {
			return 0, nil, fmt.Errorf("delta base %s not in any pack", h)
		}
	}
	delta, err := r.inflate(size)
	if err != nil {
		return 0, nil, err
	}
	if maxSize > 0 && deltaTargetSize(delta) > maxSize {
		return 0, nil, errTooLarge
	}
	baseTyp, base, err := r.readAt(basePack, baseOff, 0, depth+1)
	if err != nil {
		return 0, nil, err
	}
	out, err := packfile.PatchDelta(base, delta)
	if err != nil {
		return 0, nil, err
	}
	return baseTyp, out, nil
}

// inflate reads size bytes of zlib data at the reader's position.
func (r *objectReader) inflate(size int64) ([]byte, error) {
	var err error
	if r.zr == nil {
		r.zr, err = zlib.NewReader(r.br)
	} else {
		err = r.zr.(zlib.Resetter).Reset(r.br, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	out := make([]byte, size)
	if _, err := io.ReadFull(r.zr, out); err != nil {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	return out, nil
}

// readHeader reads an object's type and inflated size.
func readHeader(br *bufio.Reader) (byte, int64, error) {
	c, err := br.ReadByte()
	if err != nil {
		return 0, 0, err
	}
	typ := (c >> 4) & 7
	size := int64(c & 15)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if shift > 56 {
			return 0, 0, errors.New("object size overflows")
		}
		if c, err = br.ReadByte(); err != nil {
			return 0, 0, err
		}
		size |= int64(c&0x7f) << shift
	}
	return typ, size, nil
}

// readOfsOffset reads the base distance of an offset delta, in git's offset encoding.
func readOfsOffset(br *bufio.Reader) (int64, error) {
	c, err := br.ReadByte()
	if err != nil {
		return 0, err
	}
	v := int64(c & 0x7f)
	for c&0x80 != 0 {
		if v > 1<<55 {
			return 0, errors.New("delta offset overflows")
		}
		if c, err = br.ReadByte(); err != nil {
			return 0, err
		}
		v = ((v + 1) << 7) | int64(c&0x7f)
	}
	return v, nil
}

// deltaTargetSize reads the result size from a delta's header (after the base size).
func deltaTargetSize(delta []byte) int64 {
	i := 0
	for i < len(delta) && delta[i]&0x80 != 0 {
		i++
	}
	i++
	var v int64
	for shift := 0; i < len(delta) && shift < 63; shift += 7 {
		v |= int64(delta[i]&0x7f) << shift
		if delta[i]&0x80 == 0 {
			break
		}
		i++
	}
	return v
}
