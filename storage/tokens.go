package storage

import (
	"context"
	"time"
)

// RefreshToken is an issued refresh token, stored by a hash of its value.
type RefreshToken struct {
	PoolID    string
	Hash      string
	Sub       string
	ClientID  string
	DeviceKey string
	// FamilyID is shared by a token and every token rotated from it, so
	// the reuse of a rotated token can revoke the whole family.
	FamilyID string
	// OriginJTI is the origin_jti claim of the tokens minted from it.
	OriginJTI string
	// Data is opaque to the store (scopes, auth time, ...).
	Data      []byte
	IssuedAt  time.Time
	ExpiresAt time.Time
	// RevokedAt is zero while the token is usable.
	RevokedAt time.Time
	// ReplacedBy is the hash of the token that rotated this one, or "".
	ReplacedBy string
}

// RefreshTokens persists refresh tokens.
type RefreshTokens interface {
	// PutRefreshToken stores t, or returns ErrConflict if the hash exists,
	// or ErrNotFound if the user t.Sub does not: a token stored while its
	// user is being deleted would otherwise outlive DeleteUser's cascade.
	PutRefreshToken(ctx context.Context, t RefreshToken) error
	// GetRefreshToken returns a token by hash, or ErrNotFound.
	GetRefreshToken(ctx context.Context, poolID, hash string) (RefreshToken, error)
	// RotateRefreshToken atomically marks the token with oldHash in the
	// pool next.PoolID as replaced by next and stores next. If the old
	// token or the user next.Sub is missing it returns ErrNotFound; if the
	// old token is revoked or already replaced, or next.Hash exists, it
	// returns ErrConflict and stores nothing.
	RotateRefreshToken(ctx context.Context, oldHash string, next RefreshToken) error
	// RevokeRefreshToken sets RevokedAt on one token if it is not yet
	// revoked (a revoked token keeps its first RevokedAt), or returns
	// ErrNotFound if there is no such token.
	RevokeRefreshToken(ctx context.Context, poolID, hash string, at time.Time) error
	// RevokeRefreshFamily revokes every unrevoked token of a family.
	RevokeRefreshFamily(ctx context.Context, poolID, familyID string, at time.Time) error
	// RevokeUserRefreshTokens revokes every unrevoked token of a user.
	RevokeUserRefreshTokens(ctx context.Context, poolID, sub string, at time.Time) error
}
