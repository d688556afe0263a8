package postgres

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// migrationFiles holds the schema, one file per version, named
// NNNN_description.sql. A released file never changes; a change to the
// schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered step of the schema.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Versions must run
// 1, 2, 3 ... without gaps, so that a database's highest version says
// exactly which ones it has.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("postgres: migration %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %q: want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrateLockKey is the advisory lock that serialises migrations of one
// schema: instances starting at once queue on it, and each after the first
// finds the work done.
func (s *Store) migrateLockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("userpool/storage/postgres migrate\x00" + s.schema))
	return int64(h.Sum64())
}

// migrate brings the schema up to the newest embedded version in one
// transaction, under a transaction-scoped advisory lock: DDL in
// PostgreSQL is transactional, so a failed migration leaves nothing
// behind, and the lock is released however the transaction ends. A
// database newer than this build is refused rather than used. An
// up-to-date schema needs no privilege beyond reading schema_migrations,
// so an application may run as a role that cannot change the schema, with
// migrations applied by a deploy step that opens the store once as its
// owner.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", s.migrateLockKey()); err != nil {
			return err
		}
		// Objects that exist are not created again, so that a role
		// without CREATE privileges can open an up-to-date schema.
		if s.schema != "" {
			var exists bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", s.schema).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				if _, err := tx.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{s.schema}.Sanitize()); err != nil {
					return err
				}
			}
		}
		var table *string
		if err := tx.QueryRow(ctx, "SELECT to_regclass($1)::text", s.q("{schema_migrations}")).Scan(&table); err != nil {
			return err
		}
		if table == nil {
			if _, err := tx.Exec(ctx, s.q(`CREATE TABLE {schema_migrations} (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`)); err != nil {
				return err
			}
		}
		var have int
		if err := tx.QueryRow(ctx, s.q("SELECT coalesce(max(version), 0) FROM {schema_migrations}")).Scan(&have); err != nil {
			return err
		}
		if have > len(ms) {
			return fmt.Errorf("database schema is at version %d, newer than this build's %d", have, len(ms))
		}
		for _, m := range ms[have:] {
			if _, err := tx.Exec(ctx, s.q(m.sql)); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, s.q("INSERT INTO {schema_migrations} (version, name) VALUES ($1, $2)"), m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}
