package jsonstore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// CreatePool stores p with Version 1, or returns an error matching
// storage.ErrConflict if the id is taken.
func (s *Store) CreatePool(ctx context.Context, p storage.Pool) error {
	return change(ctx, s, func(d *data) error {
		if _, ok := d.Pools[p.ID]; ok {
			return fmt.Errorf("jsonstore: pool %q: %w", p.ID, storage.ErrConflict)
		}
		np := &pool{Meta: clone(p)}
		np.Meta.Version = 1
		np.fill()
		d.Pools[p.ID] = np
		return nil
	})
}

// GetPool returns a pool, or an error matching storage.ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	return view(ctx, s, func(d *data) (storage.Pool, error) {
		p, err := d.pool(id)
		if err != nil {
			return storage.Pool{}, err
		}
		return clone(p.Meta), nil
	})
}

// UpdatePool replaces Name, Settings, Secret and UpdatedAt if p.Version is
// the stored version: compare-and-swap, so of two writers that read the
// same version only the first succeeds.
func (s *Store) UpdatePool(ctx context.Context, p storage.Pool) error {
	return change(ctx, s, func(d *data) error {
		cur, err := d.pool(p.ID)
		if err != nil {
			return err
		}
		if cur.Meta.Version != p.Version {
			return fmt.Errorf("jsonstore: pool %q: version %d, stored %d: %w", p.ID, p.Version, cur.Meta.Version, storage.ErrConflict)
		}
		p = clone(p)
		m := &cur.Meta
		m.Name, m.Settings, m.Secret, m.UpdatedAt = p.Name, p.Settings, p.Secret, p.UpdatedAt
		m.Version++
		return nil
	})
}

// DeletePool removes a pool with every record in it.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	return change(ctx, s, func(d *data) error {
		if _, err := d.pool(id); err != nil {
			return err
		}
		delete(d.Pools, id)
		return nil
	})
}

// ListPools returns pools ordered by ID.
func (s *Store) ListPools(ctx context.Context, req storage.PageRequest) (storage.Page[storage.Pool], error) {
	after, err := parsePage("pools", req)
	if err != nil {
		return storage.Page[storage.Pool]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.Pool], error) {
		var all []storage.Pool
		for _, p := range d.Pools {
			all = append(all, p.Meta)
		}
		return paginate("pools", all, byKey(func(p storage.Pool) string { return p.ID }), after, req.Limit), nil
	})
}

// CreateClient stores c with Version 1 in an existing pool.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(c.PoolID)
		if err != nil {
			return err
		}
		if _, ok := p.Clients[c.ID]; ok {
			return fmt.Errorf("jsonstore: client %q: %w", c.ID, storage.ErrConflict)
		}
		c = clone(c)
		c.Version = 1
		p.Clients[c.ID] = c
		return nil
	})
}

// GetClient returns a client, or an error matching storage.ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (storage.Client, error) {
	return view(ctx, s, func(d *data) (storage.Client, error) {
		c, ok := d.poolOrEmpty(poolID).Clients[clientID]
		if !ok {
			return storage.Client{}, fmt.Errorf("jsonstore: client %q: %w", clientID, storage.ErrNotFound)
		}
		return clone(c), nil
	})
}

// UpdateClient replaces Name, Settings and UpdatedAt if c.Version is the
// stored version.
func (s *Store) UpdateClient(ctx context.Context, c storage.Client) error {
	return change(ctx, s, func(d *data) error {
		p := d.poolOrEmpty(c.PoolID)
		cur, ok := p.Clients[c.ID]
		if !ok {
			return fmt.Errorf("jsonstore: client %q: %w", c.ID, storage.ErrNotFound)
		}
		if cur.Version != c.Version {
			return fmt.Errorf("jsonstore: client %q: version %d, stored %d: %w", c.ID, c.Version, cur.Version, storage.ErrConflict)
		}
		c = clone(c)
		cur.Name, cur.Settings, cur.UpdatedAt = c.Name, c.Settings, c.UpdatedAt
		cur.Version++
		p.Clients[c.ID] = cur
		return nil
	})
}

// DeleteClient removes a client, or returns an error matching
// storage.ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	return change(ctx, s, func(d *data) error {
		p := d.poolOrEmpty(poolID)
		if _, ok := p.Clients[clientID]; !ok {
			return fmt.Errorf("jsonstore: client %q: %w", clientID, storage.ErrNotFound)
		}
		delete(p.Clients, clientID)
		return nil
	})
}

// ListClients returns a pool's clients ordered by ID.
func (s *Store) ListClients(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Client], error) {
	after, err := parsePage("clients", req)
	if err != nil {
		return storage.Page[storage.Client]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.Client], error) {
		all := slices.Collect(maps.Values(d.poolOrEmpty(poolID).Clients))
		return paginate("clients", all, byKey(func(c storage.Client) string { return c.ID }), after, req.Limit), nil
	})
}
