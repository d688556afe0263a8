package storage

import (
	"context"
	"time"
)

// Code is a one-time code waiting to be used: a sign-up confirmation, an
// attribute verification, a password reset or an MFA code. Only a keyed hash
// of the code is stored.
type Code struct {
	PoolID string
	Sub    string
	// Purpose names what the code is for (for example "confirm_sign_up",
	// "verify:email", "forgot_password"); a user has at most one code per
	// purpose.
	Purpose string
	Hash    []byte
	// Data is opaque to the store (for example the value being verified).
	Data      []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Codes persists one-time codes.
type Codes interface {
	// PutCode stores c, replacing any code of the same pool, sub and
	// purpose. A missing user gives ErrNotFound.
	PutCode(ctx context.Context, c Code) error
	// GetCode returns the code for a purpose, or ErrNotFound.
	GetCode(ctx context.Context, poolID, sub, purpose string) (Code, error)
	// ConsumeCode deletes the code if its stored hash equals hash, and
	// returns ErrNotFound otherwise. Of concurrent calls with the right
	// hash exactly one succeeds: this is what makes codes single use.
	ConsumeCode(ctx context.Context, poolID, sub, purpose string, hash []byte) error
	// DeleteCode removes the code if there is one; it is not an error if
	// there is none.
	DeleteCode(ctx context.Context, poolID, sub, purpose string) error
}
