package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// SigningKeys returns the pool's keys, newest first (ties by KID, so the
// order is deterministic).
func (s *Store) SigningKeys(ctx context.Context, poolID string) ([]storage.SigningKey, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, s.q(`SELECT pool_id, kid, algorithm, private, created_at, retired_at FROM {signing_keys}
		WHERE pool_id = $1 ORDER BY created_at DESC NULLS LAST, kid`), poolID)
	if err != nil {
		return nil, dbErr("signing keys", err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.SigningKey, error) {
		var k storage.SigningKey
		var created, retired *time.Time
		err := r.Scan(&k.PoolID, &k.KID, &k.Algorithm, &k.Private, &created, &retired)
		k.CreatedAt, k.RetiredAt = fromTZ(created), fromTZ(retired)
		return k, err
	})
	return keys, dbErr("signing keys", err)
}

// RotateSigningKey retires the active key, which must be retire, and makes
// next the active key, in one transaction. Retiring is a conditional
// update whose row lock makes concurrent rotations from one key queue (all
// but the first then match nothing), and the partial unique index on the
// active key refuses a second active key when there was none to retire:
// two instances rotating at once produce one new key.
func (s *Store) RotateSigningKey(ctx context.Context, retire string, next storage.SigningKey) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	what := fmt.Sprintf("signing key %q", next.KID)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if retire != "" {
			tag, err := tx.Exec(ctx, s.q(`UPDATE {signing_keys} SET retired_at = $3
				WHERE pool_id = $1 AND kid = $2 AND retired_at IS NULL`), next.PoolID, retire, next.CreatedAt)
			if err != nil {
				return dbErr(what, err)
			}
			if tag.RowsAffected() == 0 {
				var one int
				if err := tx.QueryRow(ctx, s.q("SELECT 1 FROM {pools} WHERE id = $1"), next.PoolID).Scan(&one); err != nil {
					return dbErr(fmt.Sprintf("pool %q", next.PoolID), err)
				}
				return fmt.Errorf("postgres: %s: %q is not the active key: %w", what, retire, storage.ErrConflict)
			}
		}
		_, err := tx.Exec(ctx, s.q(`INSERT INTO {signing_keys} (pool_id, kid, algorithm, private, created_at, retired_at)
			VALUES ($1, $2, $3, $4, $5, NULL)`), next.PoolID, next.KID, next.Algorithm, next.Private, tz(next.CreatedAt))
		return dbErr(what, err)
	})
}

// DeleteSigningKey removes a key.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {signing_keys} WHERE pool_id = $1 AND kid = $2"), poolID, kid)
	return deleted(fmt.Sprintf("signing key %q", kid), tag.RowsAffected(), err)
}
