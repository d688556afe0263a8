package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the schema as numbered SQL files, NNNN_name.sql. A file
// once released never changes; a schema change is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in order, checking that
// they are numbered 1, 2, 3, ... without gaps.
func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", base)
		}
		b, err := migrations.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// schemaVersion is the version the embedded migrations lead to.
func schemaVersion() int {
	ms, _ := loadMigrations()
	return len(ms)
}

// migrate brings the schema up to date. The applied version is SQLite's
// user_version, which lives in the file header and changes in the same
// transaction as the migration, so a crash leaves either the old schema
// with the old number or the new one with the new number. Each migration
// runs in its own BEGIN IMMEDIATE transaction and re-reads the version
// inside it, so two processes opening a fresh file at once apply each
// migration once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("storage/sqlite: migrate: %w", err)
	}
	for _, m := range ms {
		err := s.write(ctx, func(tx *wtx) error {
			var have int
			if err := tx.queryRow(ctx, "PRAGMA user_version").Scan(&have); err != nil {
				return err
			}
			if have > len(ms) {
				return fmt.Errorf("database schema version %d is newer than this program's %d", have, len(ms))
			}
			if have >= m.version {
				return nil
			}
			if _, err := tx.exec(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			// PRAGMA takes no bound parameters; the value is our own int.
			_, err := tx.exec(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("storage/sqlite: migrate: %w", err)
		}
	}
	return nil
}
