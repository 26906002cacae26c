package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// RateLimitError says an API refused a request until RetryAt. Crawls wait for it when the
// wait is at most Options.MaxRateLimitWait and return it otherwise.
type RateLimitError struct {
	// API names the service ("github", "gitlab").
	API string
	// RetryAt is when the service accepts requests again.
	RetryAt time.Time
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s api rate limited until %s", e.API, e.RetryAt.UTC().Format(time.RFC3339))
}

// maxRateLimitRetries bounds how often one request is retried after rate limits, so a
// service that keeps refusing is not asked forever.
const maxRateLimitRetries = 5

// RateLimitOptions say how a source waits for an API's rate limits.
type RateLimitOptions struct {
	// MaxWait is the longest wait; a longer one fails the source with the RateLimitError.
	// 0 means DefaultMaxRateLimitWait.
	MaxWait time.Duration
	// Logger receives a note for each wait; nil discards it.
	Logger *slog.Logger
}

func (o RateLimitOptions) limiter() *limiter {
	l := &limiter{log: o.Logger, maxWait: o.MaxWait, sleep: sleepCtx}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.maxWait <= 0 {
		l.maxWait = DefaultMaxRateLimitWait
	}
	return l
}

// limiter retries API calls after rate limits, waiting as the service asks.
type limiter struct {
	log     *slog.Logger
	maxWait time.Duration
	sleep   func(ctx context.Context, d time.Duration) error
}

// do calls fn until it returns something other than a *RateLimitError, waiting before each
// retry until the limit resets (plus a second, for clock skew).
func (l *limiter) do(ctx context.Context, fn func() error) error {
	for try := 0; ; try++ {
		err := fn()
		var rl *RateLimitError
		if !errors.As(err, &rl) || try >= maxRateLimitRetries {
			return err
		}
		wait := max(time.Until(rl.RetryAt), 0) + time.Second
		if wait > l.maxWait {
			return err
		}
		l.log.Info("api rate limited, waiting", "api", rl.API, "wait", wait.Round(time.Second),
			"until", rl.RetryAt.UTC().Format(time.RFC3339))
		if err := l.sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
