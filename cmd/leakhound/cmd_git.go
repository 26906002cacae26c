package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakhound/leakhound/gitscan"
	"github.com/leakhound/leakhound/report"
)

type gitOptions struct {
	commonOptions
	refs        []string
	sinceCommit string
	maxDepth    int
	fullScan    bool
}

func newGitCmd(env *environ) *cobra.Command {
	o := &gitOptions{}
	cmd := &cobra.Command{
		Use:   "git [PATH|URL]",
		Short: "Audit the full history of a git repository",
		Long: "Scan every commit reachable from every ref (branches, tags, remote-tracking refs, " +
			"the stash) of a local repository, a bare repository or a clone URL. Each unique " +
			"blob is scanned once, and each finding is tied to the commit that introduced it.\n" +
			"A URL is cloned bare into a temporary directory; an https token is read from " +
			"LEAKHOUND_GIT_TOKEN, GITHUB_TOKEN or GITLAB_TOKEN.\n" + exitCodesHelp,
		Example: "  leakhound git .\n" +
			"  leakhound git --report-format json --report-path findings.json /srv/repo.git\n" +
			"  leakhound git --since-commit v1.2.0 .\n" +
			"  leakhound git https://example.com/org/repo.git",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := "."
			if len(args) == 1 {
				target = args[0]
			}
			return runGit(cmd.Context(), env, o, target)
		},
	}
	o.bind(cmd)
	f := cmd.Flags()
	f.StringArrayVar(&o.refs, "ref", nil, "scan only this ref (repeatable)")
	f.StringVar(&o.sinceCommit, "since-commit", "",
		"scan only commits after this one; or a range A..B")
	f.IntVar(&o.maxDepth, "max-depth", 0, "walk at most N commits from each ref (0: all)")
	f.BoolVar(&o.fullScan, "full-scan", false, "scan every blob whole, not only the lines "+
		"its delta changes (slower; the findings are the same)")
	return cmd
}

func runGit(ctx context.Context, env *environ, o *gitOptions, target string) error {
	if o.maxDepth < 0 {
		return &exitStatus{code: exitError,
			err: fmt.Errorf("--max-depth %d: want 0 (all) or more", o.maxDepth)}
	}
	repo, root, cleanup, err := openRepo(ctx, env, target)
	if err != nil {
		return &exitStatus{code: exitError, err: err}
	}
	defer cleanup()
	defer repo.Close()
	s, err := newSession(env, &o.commonOptions, root)
	if err != nil {
		return err
	}

	prog := &gitscan.Progress{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.watchProgress(prog, stop)
	}()
	st, scanErr := repo.Scan(ctx, s.eng, o.scanOptions(s, prog), s.emit)
	close(stop)
	<-done
	if scanErr != nil && !errors.Is(scanErr, gitscan.ErrIncomplete) && st.Commits == 0 {
		return s.abort(scanErr)
	}

	sum := &report.Summary{
		Source: repo.Display, Remote: repo.Remote, Refs: st.Refs, Commits: st.Commits,
		Blobs: st.Blobs, Bytes: st.Bytes, Skipped: st.Skipped, Errors: st.Errors,
	}
	if st.Empty {
		sum.Notes = append(sum.Notes, "the repository has no commits")
	}
	if st.Shallow {
		sum.Notes = append(sum.Notes, "the repository is a shallow clone: "+
			"history before its boundary was not scanned")
	}
	for _, e := range st.Errors {
		s.log.Debug("unreadable object", "error", e)
	}
	if errors.Is(scanErr, gitscan.ErrIncomplete) {
		scanErr = fmt.Errorf("%w:\n  %s", scanErr, strings.Join(st.Errors, "\n  "))
	}
	return s.finish(sum, scanErr)
}

func (o *gitOptions) scanOptions(s *session, prog *gitscan.Progress) gitscan.Options {
	opts := gitscan.Options{
		Refs:        o.refs,
		SinceCommit: o.sinceCommit,
		MaxDepth:    o.maxDepth,
		FullScan:    o.fullScan,
		MaxFileSize: o.maxFileSize,
		Jobs:        o.jobs,
		Logger:      s.log,
		Progress:    prog,
	}
	if _, _, ok := cutRange(o.sinceCommit); ok {
		opts.SinceCommit, opts.Range = "", o.sinceCommit
	}
	// A secret that a left-out parent already held at the same path was not introduced by
	// the commits asked for, even when one of them changes another line of that file.
	opts.KnownAtBoundary = o.sinceCommit != ""
	return opts
}

// repoConfigFiles are the files a repository carries to configure its own scans.
var repoConfigFiles = []string{".leakhound.toml", ".leakhoundignore", ".leakhound-baseline",
	".gitleaks.toml", ".gitleaksignore"}

// openRepo opens a local repository or clones a URL. It returns the directory where the
// repository's own config files are looked for, and a cleanup function: for a clone or a bare
// repository, which have no checked-out files, those at HEAD are copied to a temporary
// directory.
func openRepo(ctx context.Context, env *environ, target string) (*gitscan.Repo, string,
	func(), error) {
	var r *gitscan.Repo
	var err error
	if gitscan.IsURL(target) {
		r, err = gitscan.Clone(ctx, target, gitscan.CloneOptions{Getenv: env.getenv})
	} else {
		r, err = gitscan.Open(target)
	}
	if err != nil {
		return nil, "", func() {}, err
	}
	if top, ok := r.WorktreeRoot(); ok && !gitscan.IsURL(target) {
		return r, top, func() {}, nil
	}
	dir, err := r.MaterializeHeadFiles(repoConfigFiles)
	cleanup := func() { os.RemoveAll(dir) }
	if err != nil {
		cleanup()
		r.Close()
		return nil, "", func() {}, err
	}
	return r, dir, cleanup, nil
}

func cutRange(s string) (string, string, bool) {
	a, b, ok := strings.Cut(s, "..")
	return a, b, ok && a != "" && b != ""
}
