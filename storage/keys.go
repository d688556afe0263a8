package storage

import (
	"context"
	"time"
)

// SigningKey is a token signing key. Private is the key in PKCS #8 DER,
// possibly encrypted by userpool; the store keeps the bytes as they are.
type SigningKey struct {
	PoolID    string
	KID       string
	Algorithm string
	Private   []byte
	CreatedAt time.Time
	// RetiredAt is zero for the active key. A retired key only verifies.
	RetiredAt time.Time
}

// SigningKeys persists a pool's signing keys. A pool has at most one active
// (unretired) key.
type SigningKeys interface {
	// SigningKeys returns the pool's keys, newest first.
	SigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	// RotateSigningKey atomically retires the active key, which must have
	// the KID retire ("" meaning there must be no active key), at
	// next.CreatedAt, and stores next as the active key. If the active key
	// is another, or next.KID exists, it returns ErrConflict and changes
	// nothing: two instances rotating at once produce one new key, not two.
	RotateSigningKey(ctx context.Context, retire string, next SigningKey) error
	// DeleteSigningKey removes a key, or returns ErrNotFound.
	DeleteSigningKey(ctx context.Context, poolID, kid string) error
}
