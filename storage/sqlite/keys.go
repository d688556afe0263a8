package sqlite

import (
	"context"
	"database/sql"

	"github.com/userpool/userpool/storage"
)

// SigningKeys implements [storage.SigningKeys].
func (s *Store) SigningKeys(ctx context.Context, poolID string) ([]storage.SigningKey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT pool_id, kid, algorithm, private, created_at, retired_at
		FROM signing_keys WHERE pool_id = ? ORDER BY created_at DESC, kid DESC`, poolID)
	if err != nil {
		return nil, translate("signing keys", err)
	}
	keys, err := collect(rows, 2, func() (storage.SigningKey, error) {
		var k storage.SigningKey
		err := rows.Scan(&k.PoolID, &k.KID, &k.Algorithm, &k.Private, timeCol{&k.CreatedAt}, timeCol{&k.RetiredAt})
		return k, err
	})
	return keys, translate("signing keys", err)
}

// RotateSigningKey implements [storage.SigningKeys]. The check of the
// active key and both writes share one BEGIN IMMEDIATE transaction, and
// the partial unique index signing_keys_one_active backs the rule of one
// active key per pool in the database itself.
func (s *Store) RotateSigningKey(ctx context.Context, retire string, next storage.SigningKey) error {
	ts, err := times(next.CreatedAt, next.RetiredAt)
	if err != nil {
		return translate("rotate signing key", err)
	}
	return translate("rotate signing key", s.write(ctx, func(tx *wtx) error {
		var active string
		err := tx.queryRow(ctx, `SELECT kid FROM signing_keys WHERE pool_id = ? AND retired_at = ?`,
			next.PoolID, zeroTime).Scan(&active)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if active != retire {
			return conflict("rotate signing key")
		}
		if retire != "" {
			if _, err := tx.exec(ctx, `UPDATE signing_keys SET retired_at = ? WHERE pool_id = ? AND kid = ?`,
				ts[0], next.PoolID, retire); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `INSERT INTO signing_keys (pool_id, kid, algorithm, private, created_at, retired_at)
			VALUES (?, ?, ?, ?, ?, ?)`, next.PoolID, next.KID, next.Algorithm, next.Private, ts[0], ts[1])
		return err
	}))
}

// DeleteSigningKey implements [storage.SigningKeys].
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	return translate("delete signing key", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM signing_keys WHERE pool_id = ? AND kid = ?`, poolID, kid)
		if err == nil && n == 0 {
			err = notFound("delete signing key")
		}
		return err
	}))
}
