package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// postgresDialect lets several processes on several machines write at once: a worker claims
// a job with FOR UPDATE SKIP LOCKED, so claims never wait on each other, and a transaction
// that loses a deadlock is run again.
var postgresDialect = &dialect{
	name:          "postgres",
	dollar:        true,
	skipLocked:    " FOR UPDATE SKIP LOCKED",
	forUpdate:     " FOR UPDATE",
	nowMillis:     "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
	migrationLock: "SELECT pg_advisory_xact_lock(7346298157)",
	retryable:     pgRetryable,
}

// pgRetryable reports a deadlock (40P01) or serialisation failure (40001).
func pgRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// OpenPostgres opens the PostgreSQL store at a postgres:// URL, through pgx, and brings its
// schema up to date. The database must exist; its tables are created by the migrations.
// A password in the URL appears in no error.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	shown := redactDSN(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", shown, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", shown, err)
	}
	return open(ctx, db, postgresDialect, shown)
}

// redactDSN returns a postgres:// URL without its password.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
