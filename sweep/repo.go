package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/leakhound/leakhound/finding"
	"github.com/leakhound/leakhound/gitscan"
	"github.com/leakhound/leakhound/store"
)

// sweepRepo brings one repository's mirror up to date and scans it unless its refs did not
// move, filling in out. It returns an error only for what ends the sweep: a store error or
// a cancelled context. Anything else about the repository goes in out.
func (s *sweeper) sweepRepo(ctx context.Context, out *Outcome) error {
	start := time.Now()
	defer func() { out.Duration = time.Since(start) }()
	r := &out.Repo
	log := s.log.With("repository", r.URL)

	dir, err := s.mirrors.sync(ctx, r)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case errors.Is(err, ErrEmpty):
		return s.saveOutcome(ctx, out, store.RepoEmpty, "")
	case err != nil:
		log.Warn("repository not swept", "error", err)
		return s.saveOutcome(ctx, out, store.RepoFailed, err.Error())
	}
	tips, err := refTips(dir)
	if err != nil {
		return s.saveOutcome(ctx, out, store.RepoFailed, err.Error())
	}
	if s.unchanged(ctx, r.URL, tips) {
		out.Status = "unchanged"
		log.Debug("repository unchanged")
		return s.opts.Store.SaveUnchanged(ctx, r.URL, s.id)
	}
	return s.scan(ctx, out, dir, tips)
}

// unchanged reports whether the store holds a full scan of the repository at these ref tips
// under the same rules.
func (s *sweeper) unchanged(ctx context.Context, url, tips string) bool {
	prev, err := s.opts.Store.Repository(ctx, url)
	return err == nil && prev.Status == store.RepoScanned &&
		prev.RulesVersion == s.opts.RulesVersion && prev.RefTips == tips
}

func (s *sweeper) saveOutcome(ctx context.Context, out *Outcome, status, reason string) error {
	out.Status, out.Reason = status, reason
	r := &out.Repo
	return s.opts.Store.SaveOutcome(ctx, &store.Repository{URL: r.URL, Name: r.Name,
		Source: r.Source, LastSweep: s.id, Status: status, LastError: reason})
}

// scan scans a mirror and saves its findings and clean blobs in one transaction.
func (s *sweeper) scan(ctx context.Context, out *Outcome, dir, tips string) error {
	r := &out.Repo
	repo, err := gitscan.Open(dir)
	if err != nil {
		return s.saveOutcome(ctx, out, store.RepoFailed, err.Error())
	}
	defer repo.Close()
	cache := &blobCache{ctx: ctx, st: s.opts.Store, rv: s.opts.RulesVersion}
	var found []store.Finding
	st, err := repo.Scan(ctx, s.opts.Engine, gitscan.Options{
		MaxFileSize: s.opts.MaxFileSize,
		Jobs:        s.opts.ScanJobs,
		Logger:      s.log.With("repository", r.URL),
		Blobs:       cache,
	}, func(f *finding.Finding) error {
		found = append(found, record(f))
		return nil
	})
	status, reason := store.RepoScanned, ""
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, gitscan.ErrIncomplete):
		status, reason = store.RepoIncomplete, err.Error()
	case err != nil:
		return s.saveOutcome(ctx, out, store.RepoFailed, err.Error())
	case st.Empty:
		return s.saveOutcome(ctx, out, store.RepoEmpty, "")
	}
	saved, err := s.opts.Store.SaveScan(ctx, &store.ScanResult{
		Repo: store.Repository{URL: r.URL, Name: r.Name, Source: r.Source, RefTips: tips,
			RulesVersion: s.opts.RulesVersion, Status: status, LastError: reason},
		Sweep:      s.id,
		Findings:   found,
		CleanBlobs: cache.list(),
	})
	if err != nil {
		return err
	}
	out.Status, out.Reason = status, reason
	out.Findings, out.New = len(found), saved.New
	out.Blobs, out.Known = st.Blobs, st.Skipped["already-scanned"]
	out.Commits, out.Bytes = st.Commits, st.Bytes
	s.log.Info("repository scanned", "repository", r.URL, "findings", len(found),
		"new", saved.New, "blobs", st.Blobs, "known_clean", out.Known)
	return nil
}

// record turns a finding into its stored form: the secret redacted and hashed.
func record(f *finding.Finding) store.Finding {
	sum := sha256.Sum256([]byte(f.Secret.Reveal())) // only to recognise it elsewhere
	digest := hex.EncodeToString(sum[:])
	return store.Finding{
		Fingerprint: f.Fingerprint,
		RuleID:      f.RuleID,
		Description: f.Description,
		Severity:    f.Severity,
		Path:        f.Path,
		Commit:      f.Commit,
		Author:      f.Author,
		Email:       f.Email,
		Date:        f.Date,
		Message:     f.Message,
		Line:        f.Line,
		Column:      f.Column,
		EndLine:     f.EndLine,
		EndColumn:   f.EndColumn,
		Entropy:     f.Entropy,
		Validated:   f.Validated,
		Redacted:    f.Secret.Redacted(finding.DefaultRedactKeep),
		SecretHash:  digest,
	}
}
