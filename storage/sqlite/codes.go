package sqlite

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// PutCode implements [storage.Codes]: an upsert on (pool, sub, purpose).
// The foreign key to users turns a missing user into ErrNotFound.
func (s *Store) PutCode(ctx context.Context, c storage.Code) error {
	ts, err := times(c.CreatedAt, c.ExpiresAt)
	if err != nil {
		return translate("put code", err)
	}
	return translate("put code", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO codes (pool_id, sub, purpose, hash, data, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET
				hash = excluded.hash, data = excluded.data,
				created_at = excluded.created_at, expires_at = excluded.expires_at`,
			c.PoolID, c.Sub, c.Purpose, c.Hash, c.Data, ts[0], ts[1])
		return err
	}))
}

// GetCode implements [storage.Codes].
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (storage.Code, error) {
	var c storage.Code
	err := s.r.QueryRowContext(ctx, `SELECT pool_id, sub, purpose, hash, data, created_at, expires_at
		FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose).
		Scan(&c.PoolID, &c.Sub, &c.Purpose, &c.Hash, &c.Data, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt})
	if err != nil {
		return storage.Code{}, translate("get code", err)
	}
	return c, nil
}

// ConsumeCode implements [storage.Codes] with one conditional DELETE: the
// hash check and the removal are a single statement, so of concurrent
// callers exactly one deletes the row and the rest see zero rows.
func (s *Store) ConsumeCode(ctx context.Context, poolID, sub, purpose string, hash []byte) error {
	return translate("consume code", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ? AND hash = ?`,
			poolID, sub, purpose, nonNil(hash))
		if err == nil && n == 0 {
			err = notFound("consume code")
		}
		return err
	}))
}

// nonNil binds a nil byte slice as an empty blob rather than NULL, since
// NULL = NULL is never true in SQL and an empty hash must still compare.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// DeleteCode implements [storage.Codes].
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	return translate("delete code", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?`, poolID, sub, purpose)
		return err
	}))
}
