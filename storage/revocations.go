package storage

import (
	"context"
	"time"
)

// RevokedOrigin records that every token carrying an origin_jti claim is
// revoked: the ID and access tokens minted from a refresh token that was
// revoked (RevokeToken) or whose family was revoked (reuse of a rotated
// refresh token). Such tokens can live at most a day, so a record is
// needed only until ExpiresAt, when the last of them has expired.
type RevokedOrigin struct {
	PoolID    string
	OriginJTI string
	// Sub is the user the tokens belong to, kept for auditing.
	Sub       string
	RevokedAt time.Time
	// ExpiresAt is when the record may be forgotten: the latest expiry of
	// any token carrying OriginJTI.
	ExpiresAt time.Time
}

// Revocations persists revoked origins, so every instance refuses the
// same tokens. Verifiers read the whole (small) set from time to time and
// keep it in memory; see RevokedOrigins.
type Revocations interface {
	// RevokeOrigin stores r. Revoking an origin that is already revoked is
	// not an error: the stored record keeps its RevokedAt and takes the
	// later of the two ExpiresAt. A missing pool gives ErrNotFound.
	RevokeOrigin(ctx context.Context, r RevokedOrigin) error
	// RevokedOrigins returns the pool's records whose ExpiresAt is after
	// now, ordered by OriginJTI; none for a missing pool.
	RevokedOrigins(ctx context.Context, poolID string, now time.Time) ([]RevokedOrigin, error)
}
