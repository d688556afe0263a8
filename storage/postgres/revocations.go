package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// RevokeOrigin implements [storage.Revocations]: one upsert keeps the
// first revoked_at and the later expires_at. A missing pool fails the
// foreign key, which dbErr turns into ErrNotFound.
func (s *Store) RevokeOrigin(ctx context.Context, r storage.RevokedOrigin) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	if !storable(r.PoolID) || !storable(r.OriginJTI) || !storable(r.Sub) {
		return fmt.Errorf("postgres: revoke origin: %w", storage.ErrNotFound)
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {revoked_origins} AS r (pool_id, origin_jti, sub, revoked_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (pool_id, origin_jti) DO UPDATE SET expires_at = GREATEST(r.expires_at, excluded.expires_at)`),
		r.PoolID, r.OriginJTI, r.Sub, r.RevokedAt, r.ExpiresAt)
	return dbErr("revoke origin", err)
}

// RevokedOrigins implements [storage.Revocations].
func (s *Store) RevokedOrigins(ctx context.Context, poolID string, now time.Time) ([]storage.RevokedOrigin, error) {
	if err := s.ready(ctx); err != nil {
		return nil, err
	}
	if !storable(poolID) {
		return nil, nil
	}
	rows, err := s.db.Query(ctx, s.q(`SELECT origin_jti, sub, revoked_at, expires_at FROM {revoked_origins}
		WHERE pool_id = $1 AND expires_at > $2 ORDER BY origin_jti`), poolID, now)
	if err != nil {
		return nil, dbErr("revoked origins", err)
	}
	defer rows.Close()
	var out []storage.RevokedOrigin
	for rows.Next() {
		r := storage.RevokedOrigin{PoolID: poolID}
		var revoked, expires *time.Time
		if err := rows.Scan(&r.OriginJTI, &r.Sub, &revoked, &expires); err != nil {
			return nil, dbErr("revoked origins", err)
		}
		r.RevokedAt, r.ExpiresAt = fromTZ(revoked), fromTZ(expires)
		out = append(out, r)
	}
	return out, dbErr("revoked origins", rows.Err())
}
