package store

import (
	"context"
	"strings"
)

// Open opens the store a --store flag names: a postgres:// or postgresql:// URL opens
// PostgreSQL, anything else is the path of a SQLite file.
func Open(ctx context.Context, target string) (*DB, error) {
	if IsPostgres(target) {
		return OpenPostgres(ctx, target)
	}
	return OpenSQLite(ctx, target)
}

// IsPostgres reports whether target is a PostgreSQL URL.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}
