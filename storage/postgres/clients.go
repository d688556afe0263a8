package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// CreateClient stores c with Version 1.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {clients} (pool_id, id, name, settings, created_at, updated_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, 1)`),
		c.PoolID, c.ID, c.Name, c.Settings, tz(c.CreatedAt), tz(c.UpdatedAt))
	return dbErr(fmt.Sprintf("client %q", c.ID), err)
}

const clientColumns = "pool_id, id, name, settings, created_at, updated_at, version"

func scanClient(row pgx.Row) (storage.Client, error) {
	var c storage.Client
	var created, updated *time.Time
	err := row.Scan(&c.PoolID, &c.ID, &c.Name, &c.Settings, &created, &updated, &c.Version)
	c.CreatedAt, c.UpdatedAt = fromTZ(created), fromTZ(updated)
	return c, err
}

// GetClient returns a client, or an error matching storage.ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (storage.Client, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Client{}, err
	}
	what := fmt.Sprintf("client %q", clientID)
	if !storable(poolID) || !storable(clientID) {
		return storage.Client{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	c, err := scanClient(s.db.QueryRow(ctx, s.q("SELECT "+clientColumns+" FROM {clients} WHERE pool_id = $1 AND id = $2"), poolID, clientID))
	if err != nil {
		return storage.Client{}, dbErr(what, err)
	}
	return c, nil
}

// UpdateClient replaces Name, Settings and UpdatedAt if c.Version is current.
func (s *Store) UpdateClient(ctx context.Context, c storage.Client) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	what := fmt.Sprintf("client %q", c.ID)
	tag, err := s.db.Exec(ctx, s.q(`UPDATE {clients} SET name = $4, settings = $5, updated_at = $6, version = version + 1
		WHERE pool_id = $1 AND id = $2 AND version = $3`), c.PoolID, c.ID, c.Version, c.Name, c.Settings, tz(c.UpdatedAt))
	if err != nil {
		return dbErr(what, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	return s.missingOrStale(ctx, what, "SELECT version FROM {clients} WHERE pool_id = $1 AND id = $2", c.PoolID, c.ID)
}

// DeleteClient removes a client.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {clients} WHERE pool_id = $1 AND id = $2"), poolID, clientID)
	return deleted(fmt.Sprintf("client %q", clientID), tag.RowsAffected(), err)
}

// ListClients returns a pool's clients ordered by ID.
func (s *Store) ListClients(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Client], error) {
	after, err := parsePage("clients", req)
	if err != nil {
		return storage.Page[storage.Client]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.Client]{}, err
	}
	rows, err := s.db.Query(ctx, s.q("SELECT "+clientColumns+" FROM {clients} WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3"),
		poolID, afterKey(after), req.Limit+1)
	if err != nil {
		return storage.Page[storage.Client]{}, dbErr("list clients", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Client, error) { return scanClient(r) })
	if err != nil {
		return storage.Page[storage.Client]{}, dbErr("list clients", err)
	}
	return pageByKey("clients", items, req.Limit, func(c storage.Client) string { return c.ID }), nil
}

// ClientPools implements [storage.ClientLocator], served by the index
// clients_by_id.
func (s *Store) ClientPools(ctx context.Context, clientID string) ([]string, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	if !storable(clientID) {
		return nil, nil
	}
	rows, err := s.db.Query(ctx, s.q("SELECT pool_id FROM {clients} WHERE id = $1 ORDER BY pool_id"), clientID)
	if err != nil {
		return nil, dbErr("client pools", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, dbErr("client pools", err)
}
