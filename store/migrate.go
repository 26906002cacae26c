package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles holds the numbered schema migrations of each backend, as
// migrations/BACKEND/NNNN_name.sql. Each runs once, in order, in its own transaction, and
// the migrations table records it. Migrations are never edited once released: a change is
// a new file.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the migrations of a backend in version order.
func loadMigrations(backend string) ([]migration, error) {
	dir := path.Join("migrations", backend)
	ents, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("read migrations: %s: want NNNN_name.sql", e.Name())
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migrations: %w", err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies the migrations db has not seen yet. Each runs in its own transaction,
// which first takes the dialect's migration lock and checks again that the migration is
// still due, so processes that open a new store at the same moment apply it once.
func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	ms, err := loadMigrations(d.name)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := applyMigration(ctx, db, d, m, ms[len(ms)-1].version); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the store has it already. latest is the newest
// migration this leakhound knows: a store beyond it was migrated by a newer one.
func applyMigration(ctx context.Context, db *sql.DB, d *dialect, m migration, latest int) error {
	t, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	defer t.Rollback()
	have, err := schemaVersion(ctx, tx{t, d})
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if have > latest {
		return fmt.Errorf("migrate: store schema %d is newer than this leakhound (%d)",
			have, latest)
	}
	if m.version <= have {
		return nil
	}
	if _, err := t.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	_, err = tx{t, d}.exec(ctx, `INSERT INTO migrations (version, name, applied)
		VALUES (?, ?, ?)`, m.version, m.name, time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	return nil
}

// schemaVersion takes the migration lock, creates the migrations table if need be and
// returns the newest migration applied.
func schemaVersion(ctx context.Context, t tx) (int, error) {
	if t.d.migrationLock != "" {
		if _, err := t.exec(ctx, t.d.migrationLock); err != nil {
			return 0, err
		}
	}
	_, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)`)
	if err != nil {
		return 0, err
	}
	var have int
	err = t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&have)
	return have, err
}
