package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// SigningKeys returns the pool's keys, newest first (ties by KID, so the
// order is deterministic).
func (s *Store) SigningKeys(ctx context.Context, poolID string) ([]storage.SigningKey, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return nil, nil
	}
	keys := make([]storage.SigningKey, 0, len(p.keys))
	for _, k := range p.keys {
		keys = append(keys, copyKey(k))
	}
	slices.SortFunc(keys, func(a, b storage.SigningKey) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.KID, b.KID)
	})
	return keys, nil
}

// RotateSigningKey retires the active key, which must be retire, and makes
// next the active key. A pool has few keys, so finding the active one by
// scanning costs nothing worth an index.
func (s *Store) RotateSigningKey(ctx context.Context, retire string, next storage.SigningKey) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(next.PoolID)
	if err != nil {
		return err
	}
	active := ""
	for kid, k := range p.keys {
		if k.RetiredAt.IsZero() {
			active = kid
		}
	}
	if active != retire {
		return fmt.Errorf("memory: signing key: active is %q, not %q: %w", active, retire, storage.ErrConflict)
	}
	if _, ok := p.keys[next.KID]; ok {
		return fmt.Errorf("memory: signing key %q: %w", next.KID, storage.ErrConflict)
	}
	if active != "" {
		k := p.keys[active]
		k.RetiredAt = next.CreatedAt
		p.keys[active] = k
	}
	next = copyKey(next)
	next.RetiredAt = time.Time{}
	p.keys[next.KID] = next
	return nil
}

// DeleteSigningKey removes a key.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, ok := s.pools[poolID]
	if !ok {
		return fmt.Errorf("memory: signing key %q: %w", kid, storage.ErrNotFound)
	}
	if _, ok := p.keys[kid]; !ok {
		return fmt.Errorf("memory: signing key %q: %w", kid, storage.ErrNotFound)
	}
	delete(p.keys, kid)
	return nil
}
