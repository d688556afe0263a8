package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// PutSession stores a new session.
func (s *Store) PutSession(ctx context.Context, ss storage.Session) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(ss.PoolID)
	if err != nil {
		return err
	}
	if _, ok := p.sessions[ss.ID]; ok {
		return fmt.Errorf("memory: session: %w", storage.ErrConflict)
	}
	p.sessions[ss.ID] = copySession(ss)
	return nil
}

// TakeSession deletes and returns an unexpired session. An expired one is
// left for Sweep: it is unusable either way.
func (s *Store) TakeSession(ctx context.Context, poolID, id string, now time.Time) (storage.Session, error) {
	if err := s.lock(ctx); err != nil {
		return storage.Session{}, err
	}
	defer s.mu.Unlock()
	if p, ok := s.pools[poolID]; ok {
		if ss, ok := p.sessions[id]; ok && ss.ExpiresAt.After(now) {
			delete(p.sessions, id)
			return ss, nil // the stored copy is no longer the store's
		}
	}
	// The id is a hash of a bearer secret; keep it out of error messages.
	return storage.Session{}, fmt.Errorf("memory: session: %w", storage.ErrNotFound)
}
