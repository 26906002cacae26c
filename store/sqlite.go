package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// busyTimeout is how long a SQLite write waits for another process's transaction to end.
const busyTimeout = 30 * time.Second

// sqliteDialect runs in WAL mode, so readers do not wait for the writer. Transactions begin
// IMMEDIATE, taking the write lock at once, so a claim's SELECT and UPDATE cannot interleave
// with another process's; writes from one process are serialised by a mutex, and other
// processes wait up to busyTimeout.
var sqliteDialect = &dialect{
	name:      "sqlite",
	serialise: true,
	nowMillis: "CAST(unixepoch('subsec') * 1000 AS INTEGER)",
	retryable: func(error) bool { return false },
}

// OpenSQLite opens or creates the SQLite store at path, through the pure-Go
// modernc.org/sqlite driver, and brings its schema up to date. A new file is created
// readable by its owner only, since it names repositories and findings.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	fh, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	fh.Close()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return open(ctx, db, sqliteDialect, path)
}
