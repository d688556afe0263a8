package sqlite

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// CreateClient implements [storage.Clients]. A missing pool fails the
// foreign key, which translate turns into ErrNotFound.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	ts, err := times(c.CreatedAt, c.UpdatedAt)
	if err != nil {
		return translate("create client", err)
	}
	return translate("create client", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO clients (pool_id, id, name, settings, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, 1)`, c.PoolID, c.ID, c.Name, c.Settings, ts[0], ts[1])
		return err
	}))
}

const clientCols = `pool_id, id, name, settings, created_at, updated_at, version`

func scanClient(row scanner) (storage.Client, error) {
	var c storage.Client
	err := row.Scan(&c.PoolID, &c.ID, &c.Name, &c.Settings, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Version)
	return c, err
}

// GetClient implements [storage.Clients].
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (storage.Client, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+clientCols+` FROM clients WHERE pool_id = ? AND id = ?`, poolID, clientID)
	c, err := scanClient(row)
	return c, translate("get client", err)
}

// UpdateClient implements [storage.Clients].
func (s *Store) UpdateClient(ctx context.Context, c storage.Client) error {
	at, err := enc(c.UpdatedAt)
	if err != nil {
		return translate("update client", err)
	}
	return translate("update client", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `UPDATE clients SET name = ?, settings = ?, updated_at = ?, version = version + 1
			WHERE pool_id = ? AND id = ? AND version = ?`, c.Name, c.Settings, at, c.PoolID, c.ID, c.Version)
		if err != nil || n == 1 {
			return err
		}
		return missingOrStale(ctx, tx, "update client", `SELECT 1 FROM clients WHERE pool_id = ? AND id = ?`, c.PoolID, c.ID)
	}))
}

// DeleteClient implements [storage.Clients].
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	return translate("delete client", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM clients WHERE pool_id = ? AND id = ?`, poolID, clientID)
		if err == nil && n == 0 {
			err = notFound("delete client")
		}
		return err
	}))
}

// ListClients implements [storage.Clients].
func (s *Store) ListClients(ctx context.Context, poolID string, page storage.PageRequest) (storage.Page[storage.Client], error) {
	const kind = "clients"
	var none storage.Page[storage.Client]
	if err := checkLimit(page.Limit); err != nil {
		return none, translate("list clients", err)
	}
	c, after, err := parseCursor(page.Cursor, kind)
	if err != nil {
		return none, translate("list clients", err)
	}
	q, args := `SELECT `+clientCols+` FROM clients WHERE pool_id = ?`, []any{poolID}
	if after {
		q, args = q+` AND id > ?`, append(args, c.Val)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY id LIMIT ?`, append(args, page.Limit+1)...)
	if err != nil {
		return none, translate("list clients", err)
	}
	items, err := collect(rows, sizeHint(page.Limit), func() (storage.Client, error) { return scanClient(rows) })
	if err != nil {
		return none, translate("list clients", err)
	}
	return pageOf(items, page.Limit, func(c storage.Client) cursor { return cursor{Kind: kind, Val: c.ID} }), nil
}

// ClientPools implements [storage.ClientLocator], served by the index
// clients_by_id.
func (s *Store) ClientPools(ctx context.Context, clientID string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT pool_id FROM clients WHERE id = ? ORDER BY pool_id`, clientID)
	if err != nil {
		return nil, translate("client pools", err)
	}
	ids, err := collect(rows, 1, func() (string, error) {
		var id string
		return id, rows.Scan(&id)
	})
	return ids, translate("client pools", err)
}
