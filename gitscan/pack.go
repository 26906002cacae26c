package gitscan

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/klauspost/compress/zlib"
	"io"
	"os"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Pack object types, as packfiles number them.
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOfsDelta = 6
	packRefDelta = 7
)

// maxDeltaDepth bounds a delta chain, so a crafted pack whose deltas point at each other
// cannot loop; git itself writes chains of at most 50 by default and 4095 at the most.
const maxDeltaDepth = 10000

// errNotInPack says a pack's index does not list the object.
var errNotInPack = errors.New("object not in pack")

// pack reads objects from one packfile through its version-2 index. The index is memory
// mapped, not decoded: a lookup binary-searches the names in place, so opening a repository
// with millions of objects costs a few page faults. Once open it holds no mutable state, so
// several goroutines may read through it (each with its own inflater).
type pack struct {
	idx    []byte
	unmap  func()
	data   *os.File
	count  uint32
	fanout [256]uint32
}

// openPack opens base.idx and base.pack.
func openPack(base string) (*pack, error) {
	fh, err := os.Open(base + ".idx")
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	idx, unmap, err := mapFile(fh, int(fi.Size()))
	if err != nil {
		return nil, fmt.Errorf("read pack index %s.idx: %w", base, err)
	}
	p := &pack{idx: idx, unmap: unmap}
	if err := p.readFanout(); err != nil {
		unmap()
		return nil, fmt.Errorf("read pack index %s.idx: %w", base, err)
	}
	if p.data, err = os.Open(base + ".pack"); err != nil {
		unmap()
		return nil, err
	}
	return p, nil
}

func (p *pack) close() {
	p.unmap()
	p.data.Close()
}

// readFanout checks the index header and size and reads the fan-out table.
func (p *pack) readFanout() error {
	hdr := p.idx
	if len(hdr) < 8+256*4 || !bytes.Equal(hdr[:4], []byte{0xff, 't', 'O', 'c'}) ||
		binary.BigEndian.Uint32(hdr[4:]) != 2 {
		return errors.New("not a version 2 pack index")
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(hdr[8+4*i:])
	}
	p.count = p.fanout[255]
	if n := int64(p.count); int64(len(p.idx)) < 8+256*4+n*28+40 {
		return errors.New("pack index truncated")
	}
	return nil
}

// find returns the object's offset in the pack, or errNotInPack.
func (p *pack) find(h plumbing.Hash) (int64, error) {
	lo := uint32(0)
	if h[0] > 0 {
		lo = p.fanout[h[0]-1]
	}
	hi := min(p.fanout[h[0]], p.count)
	for lo < hi {
		m := lo + (hi-lo)/2
		at := 8 + 256*4 + int64(m)*20
		switch c := bytes.Compare(p.idx[at:at+20], h[:]); {
		case c == 0:
			return p.offset(m)
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return 0, errNotInPack
}

// offset reads the pack offset of the i-th object in the index.
func (p *pack) offset(i uint32) (int64, error) {
	n := int64(p.count)
	base := 8 + 256*4 + n*20 + n*4
	off := binary.BigEndian.Uint32(p.idx[base+int64(i)*4:])
	if off&0x80000000 == 0 {
		return int64(off), nil
	}
	large := base + n*4 + int64(off&0x7fffffff)*8
	if large+8 > int64(len(p.idx)) {
		return 0, errors.New("pack index: bad large offset")
	}
	return int64(binary.BigEndian.Uint64(p.idx[large:])), nil
}

// packEntry is the header of one object in a pack.
type packEntry struct {
	kind    int
	size    int64 // inflated size
	dataAt  int64 // where the zlib stream starts
	baseOff int64 // for an offset delta
	baseRef plumbing.Hash
}

// header reads the object header at off through r, which reads p's data.
func (p *pack) header(r io.ReaderAt, off int64) (packEntry, error) {
	var buf [32]byte
	n, err := r.ReadAt(buf[:], off)
	if n == 0 {
		return packEntry{}, err
	}
	b := buf[:n]
	e := packEntry{kind: int(b[0]>>4) & 7, size: int64(b[0] & 15)}
	i, shift := 1, 4
	for c := b[0]; c&0x80 != 0; i++ {
		if i >= len(b) || shift > 56 {
			return packEntry{}, errors.New("bad object header")
		}
		c = b[i]
		e.size |= int64(c&0x7f) << shift
		shift += 7
	}
	switch e.kind {
	case packOfsDelta:
		d, used, ok := ofsDistance(b[i:])
		if !ok || d <= 0 || d > off {
			return packEntry{}, errors.New("bad delta base offset")
		}
		e.baseOff, i = off-d, i+used
	case packRefDelta:
		if len(b) < i+20 {
			return packEntry{}, errors.New("bad delta base name")
		}
		copy(e.baseRef[:], b[i:i+20])
		i += 20
	}
	e.dataAt = off + int64(i)
	return e, nil
}

// ofsDistance decodes the base distance of an offset delta, git's big-endian varint in which
// each continuation adds one.
func ofsDistance(b []byte) (int64, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	c := b[0]
	d := int64(c & 0x7f)
	i := 1
	for c&0x80 != 0 {
		if i >= len(b) || i > 9 {
			return 0, 0, false
		}
		c = b[i]
		i++
		d = (d+1)<<7 | int64(c&0x7f)
	}
	return d, i, true
}

// inflate reads the zlib stream of an entry through r, which reads p's data, into buf when
// it is large enough; it must inflate to exactly size bytes.
func (p *pack) inflate(z *inflater, r io.ReaderAt, e packEntry, buf []byte) ([]byte, error) {
	zr, err := z.reset(io.NewSectionReader(r, e.dataAt, 1<<62))
	if err != nil {
		return nil, err
	}
	return readExactlyInto(zr, e.size, buf)
}

// inflater reuses one zlib reader and its buffer across objects: a fresh zlib reader
// allocates tens of kilobytes of tables, which would cost more than most trees it reads.
type inflater struct {
	br *bufio.Reader
	zr io.ReadCloser
}

func (z *inflater) reset(r io.Reader) (io.Reader, error) {
	if z.br == nil {
		z.br = bufio.NewReaderSize(r, 4096)
	} else {
		z.br.Reset(r)
	}
	if z.zr == nil {
		zr, err := zlib.NewReader(z.br)
		if err != nil {
			return nil, err
		}
		z.zr = zr
		return zr, nil
	}
	if err := z.zr.(zlib.Resetter).Reset(z.br, nil); err != nil {
		return nil, err
	}
	return z.zr, nil
}

// readExactly reads size bytes and checks that the stream ends there.
func readExactly(r io.Reader, size int64) ([]byte, error) {
	return readExactlyInto(r, size, nil)
}

// readExactlyInto is readExactly into buf when it is large enough.
func readExactlyInto(r io.Reader, size int64, buf []byte) ([]byte, error) {
	if size < 0 || size > maxObjectSize {
		return nil, fmt.Errorf("object size %d: over the %d-byte limit", size, maxObjectSize)
	}
	out := buf[:0]
	if int64(cap(out)) >= size {
		out = out[:size]
	} else {
		out = make([]byte, size)
	}
	if _, err := io.ReadFull(r, out); err != nil {
		return nil, err
	}
	var one [1]byte
	if n, _ := r.Read(one[:]); n != 0 {
		return nil, errors.New("object longer than its header says")
	}
	return out, nil
}

// packBases lists the pack base names (paths without .idx) in an objects directory.
func packBases(objects string) []string {
	ents, err := os.ReadDir(objects + "/pack")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if name, ok := strings.CutSuffix(e.Name(), ".idx"); ok {
			out = append(out, objects+"/pack/"+name)
		}
	}
	return out
}

// packWindowSize is how much of a pack a blob worker reads at once. Objects read in pack
// order lie next to each other, most within a few kilobytes, so one read serves several of
// them; a larger window costs more copying on the reads that jump to a delta base.
const packWindowSize = 32 << 10

// packWindow reads one pack's data through a buffer of the last span read, so that reading
// objects in pack order costs one system call per packWindowSize bytes rather than two per
// object (its header, then its data).
type packWindow struct {
	enabled bool // only readers that read in pack order gain from it
	p       *pack
	off     int64
	buf     []byte // the pack's bytes from off
}

// on returns a reader of p's data: w, when enabled, or p's file.
func (w *packWindow) on(p *pack) io.ReaderAt {
	if !w.enabled {
		return p.data
	}
	if w.p != p {
		w.p, w.buf = p, w.buf[:0]
	}
	return w
}

// ReadAt reads len(b) bytes at off, or fewer with an error at the end of the pack.
func (w *packWindow) ReadAt(b []byte, off int64) (int, error) {
	if off >= w.off && off+int64(len(b)) <= w.off+int64(len(w.buf)) {
		return copy(b, w.buf[off-w.off:]), nil
	}
	if len(b) >= packWindowSize/2 {
		return w.p.data.ReadAt(b, off)
	}
	if cap(w.buf) < packWindowSize {
		w.buf = make([]byte, packWindowSize)
	}
	n, err := w.p.data.ReadAt(w.buf[:packWindowSize], off)
	w.off, w.buf = off, w.buf[:n]
	if n >= len(b) {
		return copy(b, w.buf), nil
	}
	if err == nil {
		err = io.ErrUnexpectedEOF
	}
	return copy(b, w.buf), err
}
