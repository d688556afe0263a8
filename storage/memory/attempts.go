package memory

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// TakeAttempt applies rule to the stored counter under the store's lock,
// so concurrent attempts are counted one by one.
func (s *Store) TakeAttempt(ctx context.Context, poolID, key string, now time.Time, rule storage.AttemptRule) (storage.AttemptCount, bool, error) {
	if err := s.lock(ctx); err != nil {
		return storage.AttemptCount{}, false, err
	}
	defer s.mu.Unlock()
	p, err := s.pool(poolID)
	if err != nil {
		return storage.AttemptCount{}, false, err
	}
	c, ok := rule.Next(p.attempts[key], now)
	p.attempts[key] = c
	return c, ok, nil
}

// GetAttempts returns the counter, zero if there is none.
func (s *Store) GetAttempts(ctx context.Context, poolID, key string) (storage.AttemptCount, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.AttemptCount{}, err
	}
	defer s.mu.RUnlock()
	if p, ok := s.pools[poolID]; ok {
		return p.attempts[key], nil
	}
	return storage.AttemptCount{}, nil
}

// ResetAttempts deletes the counter if there is one.
func (s *Store) ResetAttempts(ctx context.Context, poolID, key string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if p, ok := s.pools[poolID]; ok {
		delete(p.attempts, key)
	}
	return nil
}
