package sweep

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/leakhound/leakhound/gitscan"
)

// urlList is a fixed list of repository URLs, from --repo flags or a file.
type urlList struct {
	name string
	urls []string
}

// URLs returns a source for repository URLs given on the command line.
func URLs(urls []string) Source {
	return &urlList{name: "repository urls", urls: urls}
}

// ReposFile returns a source reading repository URLs from a file, one per line; blank lines
// and lines starting with # are skipped. The file is read when the source is listed.
func ReposFile(path string) Source {
	return &urlList{name: "repos file " + path}
}

// Name describes the source.
func (l *urlList) Name() string {
	return l.name
}

// List yields one repository per URL.
func (l *urlList) List(ctx context.Context, yield func(Repository) error) error {
	urls := l.urls
	if path, ok := strings.CutPrefix(l.name, "repos file "); ok {
		var err error
		if urls, err = readLines(path); err != nil {
			return err
		}
	}
	for _, raw := range urls {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := repoFromURL(raw)
		if err != nil {
			return err
		}
		if err := yield(r); err != nil {
			return err
		}
	}
	return nil
}

// readLines reads the non-blank, non-comment lines of a file.
func readLines(path string) ([]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read repos file: %w", err)
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !gitscan.IsURL(line) {
			return nil, fmt.Errorf("read repos file %s:%d: not a repository URL", path, n)
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read repos file %s: %w", path, err)
	}
	return out, nil
}
