package sqlite

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// RevokeOrigin implements [storage.Revocations]: one upsert keeps the
// first revoked_at and the later expires_at (times are stored in a
// fixed-width form, so MAX compares them in time order). A missing pool
// fails the foreign key, which translate turns into ErrNotFound.
func (s *Store) RevokeOrigin(ctx context.Context, r storage.RevokedOrigin) error {
	ts, err := times(r.RevokedAt, r.ExpiresAt)
	if err != nil {
		return translate("revoke origin", err)
	}
	return translate("revoke origin", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO revoked_origins (pool_id, origin_jti, sub, revoked_at, expires_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (pool_id, origin_jti) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)`,
			r.PoolID, r.OriginJTI, r.Sub, ts[0], ts[1])
		return err
	}))
}

// RevokedOrigins implements [storage.Revocations].
func (s *Store) RevokedOrigins(ctx context.Context, poolID string, now time.Time) ([]storage.RevokedOrigin, error) {
	at, err := enc(now)
	if err != nil {
		return nil, translate("revoked origins", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT pool_id, origin_jti, sub, revoked_at, expires_at
		FROM revoked_origins WHERE pool_id = ? AND expires_at > ? ORDER BY origin_jti`, poolID, at)
	if err != nil {
		return nil, translate("revoked origins", err)
	}
	out, err := collect(rows, 0, func() (storage.RevokedOrigin, error) {
		var r storage.RevokedOrigin
		err := rows.Scan(&r.PoolID, &r.OriginJTI, &r.Sub, timeCol{&r.RevokedAt}, timeCol{&r.ExpiresAt})
		return r, err
	})
	return out, translate("revoked origins", err)
}
