package sweep

import (
	"fmt"
	"path"
	"strings"
)

// Filter decides which enumerated repositories are swept.
type Filter struct {
	// IncludeForks and IncludeArchived keep forks and archived repositories, which are
	// left out by default.
	IncludeForks, IncludeArchived bool
	// Include, if not empty, keeps only repositories whose name matches one of these globs
	// (path.Match syntax). A glob with a slash matches the full name ("acme/api-*"); one
	// without matches the last element ("api-*").
	Include []string
	// Exclude drops repositories whose name matches one of these globs.
	Exclude []string
}

// Check reports the first malformed glob.
func (f *Filter) Check() error {
	for _, g := range append(append([]string{}, f.Include...), f.Exclude...) {
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("glob %q: %w", g, err)
		}
	}
	return nil
}

// Keep reports whether r is swept, and if not, why.
func (f *Filter) Keep(r *Repository) (bool, string) {
	switch {
	case r.Fork && !f.IncludeForks:
		return false, "fork"
	case r.Archived && !f.IncludeArchived:
		return false, "archived"
	case len(f.Include) > 0 && !matchAny(f.Include, r.Name):
		return false, "not included"
	case matchAny(f.Exclude, r.Name):
		return false, "excluded"
	}
	return true, ""
}

func matchAny(globs []string, name string) bool {
	base := path.Base(name)
	for _, g := range globs {
		subject := base
		if strings.Contains(g, "/") {
			subject = name
		}
		if ok, _ := path.Match(g, subject); ok {
			return true
		}
	}
	return false
}
