package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// Refresh token hashes stand for bearer secrets, so error messages leave
// them out.

const tokenColumns = "pool_id, hash, sub, client_id, device_key, family_id, origin_jti, data, issued_at, expires_at, revoked_at, replaced_by"

const insertTokenSQL = "INSERT INTO {refresh_tokens} (" + tokenColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"

func tokenArgs(t storage.RefreshToken) []any {
	return []any{t.PoolID, t.Hash, t.Sub, t.ClientID, t.DeviceKey, t.FamilyID, t.OriginJTI, t.Data,
		tz(t.IssuedAt), t.ExpiresAt, tz(t.RevokedAt), t.ReplacedBy}
}

// PutRefreshToken stores a new refresh token. The foreign key to the user
// refuses a token for a missing user, and waits for a concurrent
// DeleteUser, so no token outlives its user.
func (s *Store) PutRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(insertTokenSQL), tokenArgs(t)...)
	return dbErr("put refresh token", err)
}

// GetRefreshToken returns a token by hash.
func (s *Store) GetRefreshToken(ctx context.Context, poolID, hash string) (storage.RefreshToken, error) {
	if err := s.ready(ctx); err != nil {
		return storage.RefreshToken{}, err
	}
	if !storable(poolID) || !storable(hash) {
		return storage.RefreshToken{}, fmt.Errorf("postgres: refresh token: %w", storage.ErrNotFound)
	}
	var t storage.RefreshToken
	var issued, expires, revoked *time.Time
	err := s.db.QueryRow(ctx, s.q("SELECT "+tokenColumns+" FROM {refresh_tokens} WHERE pool_id = $1 AND hash = $2"), poolID, hash).
		Scan(&t.PoolID, &t.Hash, &t.Sub, &t.ClientID, &t.DeviceKey, &t.FamilyID, &t.OriginJTI, &t.Data,
			&issued, &expires, &revoked, &t.ReplacedBy)
	if err != nil {
		return storage.RefreshToken{}, dbErr("refresh token", err)
	}
	t.IssuedAt, t.ExpiresAt, t.RevokedAt = fromTZ(issued), fromTZ(expires), fromTZ(revoked)
	return t, nil
}

// RotateRefreshToken marks the token oldHash as replaced by next and
// stores next, in one transaction. The mark is a conditional update (not
// revoked, not yet replaced) whose row lock makes concurrent rotations
// queue; all but the first then match nothing and get ErrConflict.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash string, next storage.RefreshToken) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, s.q(`UPDATE {refresh_tokens} SET replaced_by = $3
			WHERE pool_id = $1 AND hash = $2 AND revoked_at IS NULL AND replaced_by = ''`), next.PoolID, oldHash, next.Hash)
		if err != nil {
			return dbErr("rotate refresh token", err)
		}
		if tag.RowsAffected() == 0 {
			var one int
			err := tx.QueryRow(ctx, s.q("SELECT 1 FROM {refresh_tokens} WHERE pool_id = $1 AND hash = $2"), next.PoolID, oldHash).Scan(&one)
			if err != nil {
				return dbErr("rotate refresh token", err)
			}
			return fmt.Errorf("postgres: refresh token already revoked or rotated: %w", storage.ErrConflict)
		}
		_, err = tx.Exec(ctx, s.q(insertTokenSQL), tokenArgs(next)...)
		return dbErr("rotate refresh token", err)
	})
}

// RevokeRefreshToken sets RevokedAt on a token unless it is already set.
func (s *Store) RevokeRefreshToken(ctx context.Context, poolID, hash string, at time.Time) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q(`UPDATE {refresh_tokens} SET revoked_at = coalesce(revoked_at, $3)
		WHERE pool_id = $1 AND hash = $2`), poolID, hash, at)
	return deleted("revoke refresh token", tag.RowsAffected(), err)
}

// RevokeRefreshFamily revokes the unrevoked tokens of a family.
func (s *Store) RevokeRefreshFamily(ctx context.Context, poolID, familyID string, at time.Time) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`UPDATE {refresh_tokens} SET revoked_at = $3
		WHERE pool_id = $1 AND family_id = $2 AND revoked_at IS NULL`), poolID, familyID, at)
	return dbErr("revoke refresh token family", err)
}

// RevokeUserRefreshTokens revokes the unrevoked tokens of a user.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, sub string, at time.Time) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`UPDATE {refresh_tokens} SET revoked_at = $3
		WHERE pool_id = $1 AND sub = $2 AND revoked_at IS NULL`), poolID, sub, at)
	return dbErr(fmt.Sprintf("revoke refresh tokens of user %q", sub), err)
}
