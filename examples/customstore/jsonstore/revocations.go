package jsonstore

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// RevokeOrigin stores a revoked origin in an existing pool. Revoking it
// again keeps the first RevokedAt and the later ExpiresAt.
func (s *Store) RevokeOrigin(ctx context.Context, r storage.RevokedOrigin) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(r.PoolID)
		if err != nil {
			return err
		}
		if cur, ok := p.Revoked[r.OriginJTI]; ok {
			if r.ExpiresAt.After(cur.ExpiresAt) {
				cur.ExpiresAt = r.ExpiresAt
				p.Revoked[r.OriginJTI] = cur
			}
			return nil
		}
		p.Revoked[r.OriginJTI] = r // strings and times only: nothing to copy
		return nil
	})
}

// RevokedOrigins returns the pool's origins whose ExpiresAt is after now,
// ordered by OriginJTI.
func (s *Store) RevokedOrigins(ctx context.Context, poolID string, now time.Time) ([]storage.RevokedOrigin, error) {
	return view(ctx, s, func(d *data) ([]storage.RevokedOrigin, error) {
		var out []storage.RevokedOrigin
		for _, r := range d.poolOrEmpty(poolID).Revoked {
			if r.ExpiresAt.After(now) {
				out = append(out, r)
			}
		}
		slices.SortFunc(out, func(a, b storage.RevokedOrigin) int { return cmp.Compare(a.OriginJTI, b.OriginJTI) })
		return out, nil
	})
}
