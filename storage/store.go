package storage

import (
	"context"
	"time"
)

// Store is everything userpool keeps: the union of the small interfaces
// below. A backend implements all of them; userpool.New refuses a store that
// does not.
type Store interface {
	Pools
	Clients
	Users
	Groups
	Codes
	Sessions
	RefreshTokens
	Devices
	SigningKeys
	Attempts
	Revocations

	// Sweep deletes what has expired by now: sessions, codes, refresh
	// tokens and revoked origins past their ExpiresAt, and attempt
	// counters whose last attempt and lock both ended more than
	// AttemptIdle before now. It is safe to call concurrently with
	// anything.
	Sweep(ctx context.Context, now time.Time) error

	// Close releases the store's resources. Calls after Close may fail.
	Close() error
}

// PageRequest asks for one page of a listing.
type PageRequest struct {
	// Limit is the largest number of records to return; it is at least 1.
	Limit int
	// Cursor is the Next value of the previous page, or "" for the first.
	// It is opaque to callers and meaningful only to the store that made it;
	// a malformed cursor returns an error, never a wrong page.
	Cursor string
}

// Page is one page of a listing. Next is "" on the last page.
type Page[T any] struct {
	Items []T
	Next  string
}
