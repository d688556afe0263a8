package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/userpool/userpool/storage"
)

const tokenCols = `pool_id, hash, sub, client_id, device_key, family_id, origin_jti, data,
	issued_at, expires_at, revoked_at, replaced_by`

func insertToken(ctx context.Context, tx *wtx, t storage.RefreshToken) error {
	ts, err := times(t.IssuedAt, t.ExpiresAt, t.RevokedAt)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO refresh_tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.PoolID, t.Hash, t.Sub, t.ClientID, t.DeviceKey, t.FamilyID, t.OriginJTI, t.Data,
		ts[0], ts[1], ts[2], t.ReplacedBy)
	return err
}

// PutRefreshToken implements [storage.RefreshTokens].
func (s *Store) PutRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	return translate("put refresh token", s.write(ctx, func(tx *wtx) error { return insertToken(ctx, tx, t) }))
}

// GetRefreshToken implements [storage.RefreshTokens].
func (s *Store) GetRefreshToken(ctx context.Context, poolID, hash string) (storage.RefreshToken, error) {
	var t storage.RefreshToken
	err := s.r.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM refresh_tokens WHERE pool_id = ? AND hash = ?`, poolID, hash).
		Scan(&t.PoolID, &t.Hash, &t.Sub, &t.ClientID, &t.DeviceKey, &t.FamilyID, &t.OriginJTI, &t.Data,
			timeCol{&t.IssuedAt}, timeCol{&t.ExpiresAt}, timeCol{&t.RevokedAt}, &t.ReplacedBy)
	if err != nil {
		return storage.RefreshToken{}, translate("get refresh token", err)
	}
	return t, nil
}

// RotateRefreshToken implements [storage.RefreshTokens]. The conditional
// UPDATE claims the old token only while it is unrevoked and unreplaced, so
// of concurrent rotations of one token exactly one wins; the new token is
// inserted in the same transaction or not at all.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash string, next storage.RefreshToken) error {
	return translate("rotate refresh token", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `UPDATE refresh_tokens SET replaced_by = ?
			WHERE pool_id = ? AND hash = ? AND revoked_at = ? AND replaced_by = ''`,
			next.Hash, next.PoolID, oldHash, zeroTime)
		if err != nil {
			return err
		}
		if n == 0 {
			var one int
			err := tx.queryRow(ctx, `SELECT 1 FROM refresh_tokens WHERE pool_id = ? AND hash = ?`, next.PoolID, oldHash).Scan(&one)
			switch {
			case err == sql.ErrNoRows:
				return notFound("rotate refresh token")
			case err != nil:
				return err
			}
			return conflict("rotate refresh token")
		}
		return insertToken(ctx, tx, next)
	}))
}

// RevokeRefreshToken implements [storage.RefreshTokens]. Revoking a revoked
// token keeps its first RevokedAt.
func (s *Store) RevokeRefreshToken(ctx context.Context, poolID, hash string, at time.Time) error {
	ts, err := enc(at)
	if err != nil {
		return translate("revoke refresh token", err)
	}
	return translate("revoke refresh token", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND hash = ?
			AND revoked_at = ?`, ts, poolID, hash, zeroTime)
		if err != nil || n == 1 {
			return err
		}
		var one int
		return tx.queryRow(ctx, `SELECT 1 FROM refresh_tokens WHERE pool_id = ? AND hash = ?`, poolID, hash).Scan(&one)
	}))
}

// RevokeRefreshFamily implements [storage.RefreshTokens].
func (s *Store) RevokeRefreshFamily(ctx context.Context, poolID, familyID string, at time.Time) error {
	return s.revokeWhere(ctx, "revoke refresh family", `family_id = ?`, poolID, familyID, at)
}

// RevokeUserRefreshTokens implements [storage.RefreshTokens].
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, sub string, at time.Time) error {
	return s.revokeWhere(ctx, "revoke user refresh tokens", `sub = ?`, poolID, sub, at)
}

// revokeWhere revokes, in one statement, every unrevoked token of the pool
// matching cond, which is a fixed string with one parameter.
func (s *Store) revokeWhere(ctx context.Context, op, cond, poolID, arg string, at time.Time) error {
	ts, err := enc(at)
	if err != nil {
		return translate(op, err)
	}
	return translate(op, s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND `+cond+`
			AND revoked_at = ?`, ts, poolID, arg, zeroTime)
		return err
	}))
}
