package cognitoapi

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// poolCache keeps the pools the Handler has opened, each with the store
// version it was opened at. A pool is reopened when the stored version
// moves on, so a change made by another Handler sharing the store (or by
// UpdateUserPool here) is seen by the next request.
type poolCache struct {
	mu    sync.Mutex
	pools map[string]cachedPool
}

type cachedPool struct {
	pool    *userpool.Pool
	version int64
}

func (c *poolCache) get(id string) (cachedPool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pools[id]
	return p, ok
}

func (c *poolCache) put(id string, p cachedPool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pools == nil {
		c.pools = map[string]cachedPool{}
	}
	c.pools[id] = p
}

func (c *poolCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pools, id)
}

// pool returns the pool with the given id, opening it if it is not cached
// or has changed in the store. A missing pool is ResourceNotFoundException
// "User pool <id> does not exist.", as Cognito words it.
func (h *Handler) pool(ctx context.Context, id string) (*userpool.Pool, error) {
	rec, err := h.store.GetPool(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		h.pools.forget(id)
		return nil, userpool.ErrResourceNotFound.With("User pool %s does not exist.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("cognitoapi: load pool %s: %w", id, err)
	}
	if c, ok := h.pools.get(id); ok && c.version == rec.Version {
		return c.pool, nil
	}
	p, err := userpool.Open(ctx, h.store, id, h.poolOpts...)
	if err != nil {
		return nil, err
	}
	h.remember(ctx, p)
	return p, nil
}

// remember caches p at the store's current version. Opening a pool may
// itself update the stored record (a pool option such as the issuer
// differs), so the version is read after opening.
func (h *Handler) remember(ctx context.Context, p *userpool.Pool) {
	rec, err := h.store.GetPool(ctx, p.ID())
	if err != nil {
		h.pools.forget(p.ID())
		return
	}
	h.pools.put(p.ID(), cachedPool{pool: p, version: rec.Version})
}

// poolOptions returns the options for creating or updating a pool: the
// Handler's store, then opts, then the Handler's pool options.
func (h *Handler) poolOptions(opts ...userpool.Option) []userpool.Option {
	all := make([]userpool.Option, 0, 1+len(opts)+len(h.poolOpts))
	all = append(all, userpool.WithStore(h.store))
	all = append(all, opts...)
	return append(all, h.poolOpts...)
}
