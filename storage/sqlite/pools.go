package sqlite

import (
	"context"
	"database/sql"

	"github.com/userpool/userpool/storage"
)

// CreatePool implements [storage.Pools].
func (s *Store) CreatePool(ctx context.Context, p storage.Pool) error {
	ts, err := times(p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return translate("create pool", err)
	}
	return translate("create pool", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO pools (id, name, settings, secret, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, 1)`, p.ID, p.Name, p.Settings, p.Secret, ts[0], ts[1])
		return err
	}))
}

// GetPool implements [storage.Pools].
func (s *Store) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	row := s.r.QueryRowContext(ctx, `SELECT `+poolCols+` FROM pools WHERE id = ?`, id)
	p, err := scanPool(row)
	return p, translate("get pool", err)
}

const poolCols = `id, name, settings, secret, created_at, updated_at, version`

func scanPool(row scanner) (storage.Pool, error) {
	var p storage.Pool
	err := row.Scan(&p.ID, &p.Name, &p.Settings, &p.Secret, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}, &p.Version)
	return p, err
}

// UpdatePool implements [storage.Pools].
func (s *Store) UpdatePool(ctx context.Context, p storage.Pool) error {
	at, err := enc(p.UpdatedAt)
	if err != nil {
		return translate("update pool", err)
	}
	return translate("update pool", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `UPDATE pools SET name = ?, settings = ?, secret = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, p.Name, p.Settings, p.Secret, at, p.ID, p.Version)
		if err != nil || n == 1 {
			return err
		}
		return missingOrStale(ctx, tx, "update pool", `SELECT 1 FROM pools WHERE id = ?`, p.ID)
	}))
}

// missingOrStale explains a compare-and-swap that changed nothing: the
// record is missing (ErrNotFound) or has another version (ErrConflict).
func missingOrStale(ctx context.Context, tx *wtx, op, exists string, args ...any) error {
	var one int
	err := tx.queryRow(ctx, exists, args...).Scan(&one)
	switch {
	case err == sql.ErrNoRows:
		return notFound(op)
	case err != nil:
		return err
	}
	return conflict(op)
}

// DeletePool implements [storage.Pools]. Every table has a foreign key to
// pools, directly or through users or groups, with ON DELETE CASCADE, so
// the one statement removes the whole pool atomically.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return translate("delete pool", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM pools WHERE id = ?`, id)
		if err == nil && n == 0 {
			err = notFound("delete pool")
		}
		return err
	}))
}

// ListPools implements [storage.Pools].
func (s *Store) ListPools(ctx context.Context, page storage.PageRequest) (storage.Page[storage.Pool], error) {
	const kind = "pools"
	if err := checkLimit(page.Limit); err != nil {
		return storage.Page[storage.Pool]{}, translate("list pools", err)
	}
	c, after, err := parseCursor(page.Cursor, kind)
	if err != nil {
		return storage.Page[storage.Pool]{}, translate("list pools", err)
	}
	q, args := `SELECT `+poolCols+` FROM pools`, []any{}
	if after {
		q, args = q+` WHERE id > ?`, append(args, c.Val)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY id LIMIT ?`, append(args, page.Limit+1)...)
	if err != nil {
		return storage.Page[storage.Pool]{}, translate("list pools", err)
	}
	items, err := collect(rows, sizeHint(page.Limit), func() (storage.Pool, error) { return scanPool(rows) })
	if err != nil {
		return storage.Page[storage.Pool]{}, translate("list pools", err)
	}
	return pageOf(items, page.Limit, func(p storage.Pool) cursor { return cursor{Kind: kind, Val: p.ID} }), nil
}
