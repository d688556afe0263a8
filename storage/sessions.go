package storage

import (
	"context"
	"time"
)

// Session is a sign-in in progress between a challenge and its answer. ID is
// a hash of the opaque session string handed to the client; Data is the
// state userpool needs to continue, opaque to the store.
type Session struct {
	PoolID    string
	ID        string
	Data      []byte
	ExpiresAt time.Time
}

// Sessions persists sign-in sessions so that any instance can continue them.
type Sessions interface {
	// PutSession stores s, or returns ErrConflict if the ID exists.
	PutSession(ctx context.Context, s Session) error
	// TakeSession deletes and returns the session: a session is used at
	// most once, and of concurrent calls exactly one gets it. An absent
	// session, or one whose ExpiresAt is not after now, gives ErrNotFound.
	TakeSession(ctx context.Context, poolID, id string, now time.Time) (Session, error)
}
