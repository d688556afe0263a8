package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// CreatePool stores p with Version 1, or returns an error matching
// storage.ErrConflict if the id is taken.
func (s *Store) CreatePool(ctx context.Context, p storage.Pool) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {pools} (id, name, settings, secret, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, 1)`),
		p.ID, p.Name, p.Settings, p.Secret, tz(p.CreatedAt), tz(p.UpdatedAt))
	return dbErr(fmt.Sprintf("pool %q", p.ID), err)
}

const poolColumns = "id, name, settings, secret, created_at, updated_at, version"

func scanPool(row pgx.Row) (storage.Pool, error) {
	var p storage.Pool
	var created, updated *time.Time
	err := row.Scan(&p.ID, &p.Name, &p.Settings, &p.Secret, &created, &updated, &p.Version)
	p.CreatedAt, p.UpdatedAt = fromTZ(created), fromTZ(updated)
	return p, err
}

// GetPool returns a pool, or an error matching storage.ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Pool{}, err
	}
	if !storable(id) {
		return storage.Pool{}, fmt.Errorf("postgres: pool %q: %w", id, storage.ErrNotFound)
	}
	p, err := scanPool(s.db.QueryRow(ctx, s.q("SELECT "+poolColumns+" FROM {pools} WHERE id = $1"), id))
	if err != nil {
		return storage.Pool{}, dbErr(fmt.Sprintf("pool %q", id), err)
	}
	return p, nil
}

// UpdatePool replaces Name, Settings, Secret and UpdatedAt if p.Version is
// current.
// The version check and the write are one statement; only when it matches
// no row does a second query tell a missing pool from a stale version.
func (s *Store) UpdatePool(ctx context.Context, p storage.Pool) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q(`UPDATE {pools} SET name = $3, settings = $4, secret = $5, updated_at = $6, version = version + 1
		WHERE id = $1 AND version = $2`), p.ID, p.Version, p.Name, p.Settings, p.Secret, tz(p.UpdatedAt))
	if err != nil {
		return dbErr(fmt.Sprintf("pool %q", p.ID), err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return s.missingOrStale(ctx, fmt.Sprintf("pool %q", p.ID), "SELECT version FROM {pools} WHERE id = $1", p.ID)
}

// missingOrStale explains a compare-and-swap that matched no row: the
// record's version query finds nothing (storage.ErrNotFound), or another
// version (storage.ErrConflict).
func (s *Store) missingOrStale(ctx context.Context, what, versionQuery string, args ...any) error {
	var v int64
	if err := s.db.QueryRow(ctx, s.q(versionQuery), args...).Scan(&v); err != nil {
		return dbErr(what, err)
	}
	return fmt.Errorf("postgres: %s: stored version %d: %w", what, v, storage.ErrConflict)
}

// DeletePool removes a pool; the foreign keys' cascades delete everything
// in it within the same statement.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {pools} WHERE id = $1"), id)
	return deleted(fmt.Sprintf("pool %q", id), tag.RowsAffected(), err)
}

// deleted is the result of a DELETE or UPDATE that must have matched a row.
func deleted(what string, n int64, err error) error {
	if err != nil {
		return dbErr(what, err)
	}
	if n == 0 {
		return fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	return nil
}

// ListPools returns pools ordered by ID.
func (s *Store) ListPools(ctx context.Context, req storage.PageRequest) (storage.Page[storage.Pool], error) {
	after, err := parsePage("pools", req)
	if err != nil {
		return storage.Page[storage.Pool]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.Pool]{}, err
	}
	rows, err := s.db.Query(ctx, s.q("SELECT "+poolColumns+" FROM {pools} WHERE id > $1 ORDER BY id LIMIT $2"),
		afterKey(after), req.Limit+1)
	if err != nil {
		return storage.Page[storage.Pool]{}, dbErr("list pools", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Pool, error) { return scanPool(r) })
	if err != nil {
		return storage.Page[storage.Pool]{}, dbErr("list pools", err)
	}
	return pageByKey("pools", items, req.Limit, func(p storage.Pool) string { return p.ID }), nil
}

// afterKey is the key a single-key listing continues after: "" (less than
// every key under COLLATE "C") for the first page.
func afterKey(after *storage.Position) string {
	if after == nil {
		return ""
	}
	return after.Key
}

// pageByKey cuts items, fetched with one row more than limit, into a page
// of a listing ordered by key alone: the extra row only says that a next
// page exists.
func pageByKey[T any](kind string, items []T, limit int, key func(T) string) storage.Page[T] {
	var page storage.Page[T]
	if len(items) > limit {
		items = items[:limit]
		page.Next = storage.Position{Key: key(items[limit-1])}.Cursor(kind)
	}
	page.Items = items
	return page
}
