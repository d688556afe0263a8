package jsonstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// SigningKeys returns the pool's keys, newest first (ties by KID).
func (s *Store) SigningKeys(ctx context.Context, poolID string) ([]storage.SigningKey, error) {
	return view(ctx, s, func(d *data) ([]storage.SigningKey, error) {
		keys := clone(slices.Collect(maps.Values(d.poolOrEmpty(poolID).Keys)))
		slices.SortFunc(keys, func(a, b storage.SigningKey) int {
			return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(a.KID, b.KID))
		})
		return keys, nil
	})
}

// RotateSigningKey retires the active key, which must be retire ("" for
// none), and makes next the active key: compare-and-swap on the active
// key, so two instances rotating at once make one new key, not two.
func (s *Store) RotateSigningKey(ctx context.Context, retire string, next storage.SigningKey) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(next.PoolID)
		if err != nil {
			return err
		}
		active := ""
		for kid, k := range p.Keys {
			if k.RetiredAt.IsZero() {
				active = kid
			}
		}
		if active != retire {
			return fmt.Errorf("jsonstore: signing key: active is %q, not %q: %w", active, retire, storage.ErrConflict)
		}
		if _, ok := p.Keys[next.KID]; ok {
			return fmt.Errorf("jsonstore: signing key %q: %w", next.KID, storage.ErrConflict)
		}
		if active != "" {
			k := p.Keys[active]
			k.RetiredAt = next.CreatedAt
			p.Keys[active] = k
		}
		next = clone(next)
		next.RetiredAt = time.Time{}
		p.Keys[next.KID] = next
		return nil
	})
}

// DeleteSigningKey removes a key.
func (s *Store) DeleteSigningKey(ctx context.Context, poolID, kid string) error {
	return change(ctx, s, func(d *data) error {
		p := d.poolOrEmpty(poolID)
		if _, ok := p.Keys[kid]; !ok {
			return fmt.Errorf("jsonstore: signing key %q: %w", kid, storage.ErrNotFound)
		}
		delete(p.Keys, kid)
		return nil
	})
}
