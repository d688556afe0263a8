package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// RevokeOrigin stores a revoked origin, keeping the first RevokedAt and the
// later ExpiresAt when the origin is already revoked.
func (s *Store) RevokeOrigin(ctx context.Context, r storage.RevokedOrigin) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(r.PoolID)
	if err != nil {
		return err
	}
	if cur, ok := p.origins[r.OriginJTI]; ok {
		if r.ExpiresAt.After(cur.ExpiresAt) {
			cur.ExpiresAt = r.ExpiresAt
			p.origins[r.OriginJTI] = cur
		}
		return nil
	}
	p.origins[r.OriginJTI] = r
	return nil
}

// RevokedOrigins returns the pool's unexpired revoked origins ordered by
// OriginJTI.
func (s *Store) RevokedOrigins(ctx context.Context, poolID string, now time.Time) ([]storage.RevokedOrigin, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return nil, nil
	}
	out := make([]storage.RevokedOrigin, 0, len(p.origins))
	for _, r := range p.origins {
		if r.ExpiresAt.After(now) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b storage.RevokedOrigin) int { return cmp.Compare(a.OriginJTI, b.OriginJTI) })
	return out, nil
}
