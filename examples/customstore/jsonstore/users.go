package jsonstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// CreateUser stores u with Version 1 and claims its login keys: if the sub
// or any key is taken (or u repeats a key) it writes nothing.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(u.PoolID)
		if err != nil {
			return err
		}
		if _, ok := p.Users[u.Sub]; ok {
			return fmt.Errorf("jsonstore: user %q: %w", u.Sub, storage.ErrConflict)
		}
		u = clone(u)
		u.Version = 1
		p.Users[u.Sub] = u
		return p.claimLogins(u)
	})
}

// claimLogins records u's login keys; any key already held gives
// storage.ErrConflict. The caller frees the keys that may move first and
// runs inside update, so a conflict half-way through is simply discarded.
func (p *pool) claimLogins(u storage.User) error {
	for _, l := range u.Logins {
		if _, taken := p.Logins[l.Key]; taken {
			return fmt.Errorf("jsonstore: login %q: %w", l.Key, storage.ErrConflict)
		}
		p.Logins[l.Key] = u.Sub
	}
	return nil
}

// GetUser returns the user with this sub.
func (s *Store) GetUser(ctx context.Context, poolID, sub string) (storage.User, error) {
	return view(ctx, s, func(d *data) (storage.User, error) {
		_, u, err := d.user(poolID, sub)
		return clone(u), err
	})
}

// UserByLogin returns the user holding the login key.
func (s *Store) UserByLogin(ctx context.Context, poolID, key string) (storage.User, error) {
	return view(ctx, s, func(d *data) (storage.User, error) {
		p := d.poolOrEmpty(poolID)
		sub, ok := p.Logins[key]
		if !ok {
			return storage.User{}, fmt.Errorf("jsonstore: login %q: %w", key, storage.ErrNotFound)
		}
		return clone(p.Users[sub]), nil
	})
}

// UpdateUsers replaces the given users, all or none. Every version is
// checked, then every old login key of the call's users is freed, then
// the new keys are claimed: so a key may move between users of one call
// in any order, while a key held outside the call, or claimed twice,
// conflicts.
func (s *Store) UpdateUsers(ctx context.Context, users ...storage.User) error {
	return change(ctx, s, func(d *data) error {
		type ref struct{ pool, sub string }
		seen := make(map[ref]bool, len(users))
		for _, u := range users {
			p, cur, err := d.user(u.PoolID, u.Sub)
			if err != nil {
				return err
			}
			if cur.Version != u.Version {
				return fmt.Errorf("jsonstore: user %q: version %d, stored %d: %w", u.Sub, u.Version, cur.Version, storage.ErrConflict)
			}
			if seen[ref{u.PoolID, u.Sub}] {
				// The second copy would be stale once the first is written.
				return fmt.Errorf("jsonstore: user %q given twice: %w", u.Sub, storage.ErrConflict)
			}
			seen[ref{u.PoolID, u.Sub}] = true
			for _, l := range cur.Logins {
				delete(p.Logins, l.Key)
			}
		}
		for _, u := range users {
			p := d.Pools[u.PoolID]
			old := p.Users[u.Sub]
			u = clone(u)
			u.CreatedAt, u.Version = old.CreatedAt, old.Version+1
			p.Users[u.Sub] = u
			if err := p.claimLogins(u); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteUser removes a user with its logins, memberships, codes, refresh
// tokens and devices, in the same write.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	return change(ctx, s, func(d *data) error {
		p, u, err := d.user(poolID, sub)
		if err != nil {
			return err
		}
		for _, l := range u.Logins {
			delete(p.Logins, l.Key)
		}
		delete(p.Users, sub)
		for _, members := range p.Members {
			delete(members, sub)
		}
		delete(p.Codes, sub)
		for h, t := range p.Tokens {
			if t.Sub == sub {
				delete(p.Tokens, h)
			}
		}
		for k, dev := range p.Devices {
			if dev.Sub == sub {
				delete(p.Devices, k)
			}
		}
		return nil
	})
}

// CountUsers returns the number of users in the pool (0 without the pool).
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	return view(ctx, s, func(d *data) (int, error) {
		return len(d.poolOrEmpty(poolID).Users), nil
	})
}
