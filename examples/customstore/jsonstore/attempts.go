package jsonstore

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// attempt is what TakeAttempt returns besides its error.
type attempt struct {
	count storage.AttemptCount
	ok    bool
}

// TakeAttempt applies rule to the stored counter and stores the result in
// one step, so concurrent attempts are counted one by one.
func (s *Store) TakeAttempt(ctx context.Context, poolID, key string, now time.Time, rule storage.AttemptRule) (storage.AttemptCount, bool, error) {
	a, err := update(ctx, s, func(d *data) (attempt, error) {
		p, err := d.pool(poolID)
		if err != nil {
			return attempt{}, err
		}
		c, ok := rule.Next(p.Attempts[key], now)
		p.Attempts[key] = c
		return attempt{c, ok}, nil
	})
	return a.count, a.ok, err
}

// GetAttempts returns the counter, zero if there is none.
func (s *Store) GetAttempts(ctx context.Context, poolID, key string) (storage.AttemptCount, error) {
	return view(ctx, s, func(d *data) (storage.AttemptCount, error) {
		return d.poolOrEmpty(poolID).Attempts[key], nil
	})
}

// ResetAttempts deletes the counter if there is one.
func (s *Store) ResetAttempts(ctx context.Context, poolID, key string) error {
	return change(ctx, s, func(d *data) error {
		delete(d.poolOrEmpty(poolID).Attempts, key)
		return nil
	})
}
