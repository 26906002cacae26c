package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/leakhound/leakhound/detectors"
	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/report"
)

// session is one scanning command's run: its rules, reporters, ignore list and counts.
type session struct {
	env      *environ
	opts     *commonOptions
	log      *slog.Logger
	eng      *detectors.Engine
	rep      report.Reporter
	files    []*os.File
	ignore   map[string]bool
	baseline map[string]bool
	// gitleaksIgnore holds a .gitleaksignore's entries as [commit:]path:line, rule id
	// dropped, since gitleaks names its rules differently.
	gitleaksIgnore map[string]bool
	notes          []string
	findings       int
	started        time.Time
}

// newSession loads the rules and opens the reports. root is the scanned directory, where a
// .leakhound.toml or .leakhoundignore is looked for; "" looks nowhere.
func newSession(env *environ, opts *commonOptions, root string) (*session, error) {
	if err := opts.validate(); err != nil {
		return nil, &exitStatus{code: exitError, err: err}
	}
	s := &session{env: env, opts: opts, log: opts.logger(env.stderr), started: time.Now()}
	var err error
	if s.eng, s.notes, err = loadEngine(opts.config, root); err != nil {
		return nil, &exitStatus{code: exitError, err: err}
	}
	if s.ignore, err = loadFingerprints(opts.ignoreFile, root, ignoreName); err != nil {
		return nil, &exitStatus{code: exitError, err: err}
	}
	if s.ignore == nil && opts.ignoreFile == "" {
		if s.gitleaksIgnore, err = loadGitleaksIgnore(root); err != nil {
			return nil, &exitStatus{code: exitError, err: err}
		}
	}
	if s.baseline, err = loadFingerprints(opts.baseline, root, baselineName); err != nil {
		return nil, &exitStatus{code: exitError, err: err}
	}
	if err := s.openReports(); err != nil {
		return nil, &exitStatus{code: exitError, err: err}
	}
	return s, nil
}

// loadEngine builds the engine from --config, else the root's .leakhound.toml, else the
// root's .gitleaks.toml, else the built-in rules; a config named *gitleaks.toml is read as
// gitleaks writes it. A user config is compiled in
// full up front so its errors show at once. It returns notes on what a gitleaks config
// could not carry over.
func loadEngine(config, root string) (*detectors.Engine, []string, error) {
	var cfg *detectors.Config
	var notes []string
	var err error
	if config == "" && root != "" {
		if p := filepath.Join(root, ".leakhound.toml"); fileExists(p) {
			config = p
		} else if p := filepath.Join(root, ".gitleaks.toml"); fileExists(p) {
			config = p
		}
	}
	if strings.HasSuffix(filepath.Base(config), "gitleaks.toml") {
		cfg, notes, err = detectors.LoadGitleaks(config)
	}
	if cfg == nil && err == nil {
		cfg, err = detectors.Load(config)
	}
	if err != nil {
		return nil, notes, err
	}
	eng, err := detectors.New(cfg)
	if err != nil {
		return nil, notes, fmt.Errorf("config %s: %w", config, err)
	}
	if config != "" {
		if err := eng.Check(); err != nil {
			return nil, notes, fmt.Errorf("config %s: %w", config, err)
		}
	}
	for i, n := range notes {
		notes[i] = "gitleaks config: " + n
	}
	return eng, notes, nil
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// Files of fingerprints looked for at the scanned root.
const (
	ignoreName   = ".leakhoundignore"
	baselineName = ".leakhound-baseline"
)

// loadFingerprints reads a file of fingerprints, one per line; blank lines and lines
// starting with # are skipped. With path empty it reads root/name if that exists.
func loadFingerprints(path, root, name string) (map[string]bool, error) {
	if path == "" {
		if root == "" {
			return nil, nil
		}
		path = filepath.Join(root, name)
		if !fileExists(path) {
			return nil, nil
		}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read fingerprints: %w", err)
	}
	defer fh.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read fingerprints %s: %w", path, err)
	}
	return out, nil
}

func (s *session) reportOptions(w io.Writer) report.Options {
	return report.Options{
		RedactKeep: s.opts.redact,
		NoRedact:   s.opts.noRedact,
		Quiet:      s.opts.quiet,
		Terse:      s.opts.hook,
		Color:      isTerminal(w) && s.env.getenv("NO_COLOR") == "",
		Version:    versionString(),
	}
}

// openReports opens one reporter per --report-path, or one on stdout. Unless
// --report-format is given, each path's extension names its format; a single path with an
// unknown extension gets the default format.
func (s *session) openReports() error {
	paths := s.opts.reportPaths
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	var reps report.Multi
	for _, p := range paths {
		format, err := s.formatFor(p, len(paths))
		if err != nil {
			return err
		}
		var w io.Writer = s.env.stdout
		if p != "-" {
			fh, err := os.Create(p)
			if err != nil {
				return fmt.Errorf("open report: %w", err)
			}
			s.files = append(s.files, fh)
			w = fh
		}
		rep, err := report.New(format, w, s.reportOptions(w))
		if err != nil {
			return err
		}
		reps = append(reps, rep)
	}
	s.rep = reps
	return nil
}

func (s *session) formatFor(path string, n int) (string, error) {
	if s.opts.formatSet || path == "-" {
		return s.opts.reportFormat, nil
	}
	if f, ok := report.FormatFromPath(path); ok {
		return f, nil
	}
	if n == 1 {
		return s.opts.reportFormat, nil
	}
	return "", fmt.Errorf("--report-path %s: cannot tell the format from its extension; "+
		"use .json, .jsonl, .sarif, .csv, .xml (JUnit), .html or .txt", path)
}

// loadGitleaksIgnore reads root/.gitleaksignore, whose entries are gitleaks fingerprints,
// [commit:]path:rule:line, into keys of [commit:]path:line. It returns nil when there is none.
func loadGitleaksIgnore(root string) (map[string]bool, error) {
	if root == "" || !fileExists(filepath.Join(root, ".gitleaksignore")) {
		return nil, nil
	}
	raw, err := loadFingerprints(filepath.Join(root, ".gitleaksignore"), root, "")
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(raw))
	for entry := range raw {
		parts := strings.Split(entry, ":")
		if len(parts) < 3 {
			continue
		}
		line := parts[len(parts)-1]
		head := strings.Join(parts[:len(parts)-2], ":")
		out[head+":"+line] = true
	}
	return out, nil
}

// gitleaksIgnored reports whether a .gitleaksignore entry names the finding's place.
func (s *session) gitleaksIgnored(f *finding.Finding) bool {
	if s.gitleaksIgnore == nil {
		return false
	}
	place := fmt.Sprintf("%s:%d", f.Path, f.Line)
	return s.gitleaksIgnore[place] || f.Commit != "" && s.gitleaksIgnore[f.Commit+":"+place]
}

// emit passes a finding to the reports unless its fingerprint is ignored.
func (s *session) emit(f *finding.Finding) error {
	if s.gitleaksIgnored(f) || s.eng.CommitAllowed(f.RuleID, f.Commit) {
		return nil
	}
	if s.ignore[f.Fingerprint] {
		s.log.Debug("finding ignored", "fingerprint", f.Fingerprint)
		return nil
	}
	if s.baseline[f.Fingerprint] {
		s.log.Debug("finding in baseline", "fingerprint", f.Fingerprint)
		return nil
	}
	s.findings++
	return s.rep.Add(f)
}

// abort ends a session whose scan failed before reading anything: no report is written (an
// empty one would read as a clean result) and the files opened for reports are removed.
func (s *session) abort(err error) error {
	for _, fh := range s.files {
		fh.Close()
		os.Remove(fh.Name())
	}
	return &exitStatus{code: exitError, err: err}
}

// finish closes the reports, prints the summary line and returns the command's outcome.
func (s *session) finish(sum *report.Summary, scanErr error) error {
	sum.Findings = s.findings
	sum.Notes = append(sum.Notes, s.notes...)
	sum.Started = s.started
	sum.Duration = time.Since(s.started)
	err := s.rep.Close(sum)
	for _, fh := range s.files {
		err = errors.Join(err, fh.Close())
	}
	if !s.opts.hook {
		fmt.Fprintln(s.env.stderr, summaryLine(sum))
	}
	for _, n := range sum.Notes {
		fmt.Fprintf(s.env.stderr, "leakhound: note: %s\n", n)
	}
	if err = errors.Join(scanErr, err); err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	if s.findings > 0 {
		return &exitStatus{code: s.opts.exitCode}
	}
	return nil
}

func summaryLine(sum *report.Summary) string {
	skipped := 0
	for _, n := range sum.Skipped {
		skipped += n
	}
	count := func(n int, noun string) string {
		return fmt.Sprintf("%d %s", n, plural(n, noun, noun+"s"))
	}
	return fmt.Sprintf("leakhound: %s, %s, %s, %d skipped, %s, %s in %s",
		count(sum.Commits, "commit"), count(sum.Blobs, "blob"), humanBytes(sum.Bytes),
		skipped, count(sum.Findings, "finding"), count(len(sum.Errors), "error"),
		sum.Duration.Round(time.Millisecond))
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
