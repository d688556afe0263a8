package jsonstore

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// Session ids are hashes of bearer secrets, so errors leave them out.

// PutSession stores a new session in an existing pool.
func (s *Store) PutSession(ctx context.Context, ss storage.Session) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(ss.PoolID)
		if err != nil {
			return err
		}
		if _, ok := p.Sessions[ss.ID]; ok {
			return fmt.Errorf("jsonstore: session: %w", storage.ErrConflict)
		}
		p.Sessions[ss.ID] = clone(ss)
		return nil
	})
}

// TakeSession deletes and returns an unexpired session: one step, so of
// concurrent callers exactly one gets it. An expired session is left for
// Sweep; it is unusable either way.
func (s *Store) TakeSession(ctx context.Context, poolID, id string, now time.Time) (storage.Session, error) {
	return update(ctx, s, func(d *data) (storage.Session, error) {
		p := d.poolOrEmpty(poolID)
		ss, ok := p.Sessions[id]
		if !ok || !ss.ExpiresAt.After(now) {
			return storage.Session{}, fmt.Errorf("jsonstore: session: %w", storage.ErrNotFound)
		}
		delete(p.Sessions, id)
		return ss, nil // no longer the store's, so no copy is needed
	})
}
