// Package dirscan reads files on disk for the detectors: the source behind `leakhound dir`
// and `leakhound stdin`. It produces finding.Finding values without commit fields.
package dirscan

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
)

// DefaultMaxFileSize is the largest file scanned unless Options say otherwise.
const DefaultMaxFileSize = 10 << 20

// Options control a directory scan. The zero value is usable.
type Options struct {
	// FollowSymlinks scans what symbolic links point to; by default they are skipped.
	FollowSymlinks bool
	// MaxFileSize is the largest file scanned, in bytes; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// Jobs is how many files are read and scanned at once; 0 means one per CPU.
	Jobs int
	// Logger receives debug and warning records; nil discards them.
	Logger *slog.Logger
}

// Stats summarise a finished scan.
type Stats struct {
	Files    int
	Bytes    int64
	Skipped  map[string]int
	Findings int
	// Errors name the files that could not be read; the scan went on without them.
	Errors []string
}

// file is one file to scan and, once done is closed, its matches.
type file struct {
	path    string // as shown: relative to the root given, slash-separated
	abs     string
	done    chan struct{}
	matches []detectors.Match
	err     error
}

// Scan scans every regular file under roots (files or directories), skipping .git
// directories, and calls emit from the calling goroutine once per (rule, path, secret), in
// walk order. Unreadable files are listed in Stats.Errors and the scan goes on.
func Scan(ctx context.Context, eng *detectors.Engine, roots []string, opts Options,
	emit func(*finding.Finding) error) (*Stats, error) {
	opts = opts.withDefaults()
	st := &Stats{Skipped: map[string]int{}}
	var files []*file
	for _, root := range roots {
		files = collect(root, len(roots) > 1, opts, st, files)
	}

	var mu sync.Mutex
	jobs := make(chan *file)
	var wg sync.WaitGroup
	for range opts.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := eng.NewScanner()
			for f := range jobs {
				n, skip := scanFile(sc, f, opts.MaxFileSize)
				mu.Lock()
				st.Bytes += n
				if skip != "" {
					st.Skipped[skip]++
				}
				mu.Unlock()
				close(f.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()

	seen := map[string]bool{}
	for _, f := range files {
		select {
		case <-f.done:
		case <-ctx.Done():
			return st, ctx.Err()
		}
		st.Files++
		if f.err != nil {
			st.Errors = append(st.Errors, f.err.Error())
			opts.Logger.Warn("file unreadable, scan continues", "error", f.err.Error())
		}
		for i := range f.matches {
			fd := f.matches[i].Finding(f.path)
			if seen[fd.Fingerprint] {
				continue
			}
			seen[fd.Fingerprint] = true
			st.Findings++
			if err := emit(fd); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// collect appends the files under root to files. With a single root directory, paths are
// shown relative to it, so that they, and the fingerprints made from them, are the same as
// a history scan of the same tree gives; with several roots they keep their root, so that
// findings in different roots stay apart. Walk errors are recorded in st.
func collect(root string, multi bool, opts Options, st *Stats, files []*file) []*file {
	add := func(abs, shown string) {
		if rel, err := filepath.Rel(root, shown); err == nil && rel != "." && !multi {
			shown = rel
		}
		files = append(files, &file{path: filepath.ToSlash(shown), abs: abs,
			done: make(chan struct{})})
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			st.Errors = append(st.Errors, fmt.Sprintf("read %s: %v", p, err))
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if opts.FollowSymlinks && isRegular(p) {
				add(p, p)
			} else {
				st.Skipped["symlink"]++
			}
			return nil
		}
		if d.Type().IsRegular() {
			add(p, p)
		}
		return nil
	})
	if err != nil {
		st.Errors = append(st.Errors, fmt.Sprintf("walk %s: %v", root, err))
	}
	return files
}

func isRegular(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// scanFile reads and scans one file, returning the bytes read and a skip reason.
func scanFile(sc *detectors.Scanner, f *file, maxSize int64) (int64, string) {
	fh, err := os.Open(f.abs)
	if err != nil {
		f.err = fmt.Errorf("read %s: %w", f.path, err)
		return 0, ""
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxSize+1))
	if err != nil {
		f.err = fmt.Errorf("read %s: %w", f.path, err)
		return 0, ""
	}
	if int64(len(data)) > maxSize {
		return 0, "too-large"
	}
	text, kind := detectors.Decode(data)
	if text == nil {
		return int64(len(data)), kind.String()
	}
	f.matches, f.err = sc.Scan(f.path, text)
	return int64(len(data)), ""
}

// ScanReader scans everything r holds as one input named name (as for standard input).
func ScanReader(eng *detectors.Engine, r io.Reader, name string, maxSize int64,
	emit func(*finding.Finding) error) (*Stats, error) {
	if maxSize <= 0 {
		maxSize = DefaultMaxFileSize
	}
	st := &Stats{Skipped: map[string]int{}, Files: 1}
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return st, fmt.Errorf("read %s: %w", name, err)
	}
	st.Bytes = int64(len(data))
	if int64(len(data)) > maxSize {
		// The whole input would go unscanned: that is an error, not a clean result.
		st.Skipped["too-large"]++
		return st, fmt.Errorf("read %s: more than --max-file-size (%d bytes); nothing was "+
			"scanned", cmp.Or(name, "input"), maxSize)
	}
	text, kind := detectors.Decode(data)
	if text == nil {
		st.Skipped[kind.String()]++
		return st, nil
	}
	ms, err := eng.NewScanner().Scan(name, text)
	seen := map[string]bool{}
	for i := range ms {
		f := ms[i].Finding(name)
		if seen[f.Fingerprint] {
			continue // the same secret again: reported once, at its first place
		}
		seen[f.Fingerprint] = true
		st.Findings++
		if e := emit(f); e != nil {
			return st, e
		}
	}
	return st, err
}
