package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// pool holds one user pool and every record that belongs to it, so that
// DeletePool is a single map deletion and nothing can leak across pools.
// Stored records are private copies; they are copied again when handed out.
type pool struct {
	meta    storage.Pool
	clients map[string]storage.Client

	users  map[string]storage.User // by sub
	logins map[string]string       // login key -> sub
	index  map[string]*index       // sortable attribute -> sorted (key, sub)

	groups   map[string]storage.Group
	members  rel // group name -> subs
	groupsOf rel // sub -> group names

	codes map[string]map[string]storage.Code // sub -> purpose -> code

	sessions map[string]storage.Session

	tokens   map[string]storage.RefreshToken // by hash
	tokensOf rel                             // sub -> hashes
	families rel                             // family id -> hashes

	devices   map[string]storage.Device // by key
	devicesOf rel                       // sub -> device keys

	keys     map[string]storage.SigningKey // by kid
	attempts map[string]storage.AttemptCount
	origins  map[string]storage.RevokedOrigin // by origin_jti
}

func newPool(meta storage.Pool) *pool {
	p := &pool{
		meta:      meta,
		clients:   make(map[string]storage.Client),
		users:     make(map[string]storage.User),
		logins:    make(map[string]string),
		index:     make(map[string]*index),
		groups:    make(map[string]storage.Group),
		members:   make(rel),
		groupsOf:  make(rel),
		codes:     make(map[string]map[string]storage.Code),
		sessions:  make(map[string]storage.Session),
		tokens:    make(map[string]storage.RefreshToken),
		tokensOf:  make(rel),
		families:  make(rel),
		devices:   make(map[string]storage.Device),
		devicesOf: make(rel),
		keys:      make(map[string]storage.SigningKey),
		attempts:  make(map[string]storage.AttemptCount),
		origins:   make(map[string]storage.RevokedOrigin),
	}
	for _, name := range sortable {
		p.index[name] = &index{}
	}
	return p
}

// rel is a one-to-many relation kept as a map of sets, used for the
// reverse indexes that make cascades proportional to what they delete.
type rel map[string]map[string]struct{}

func (r rel) add(a, b string) {
	set, ok := r[a]
	if !ok {
		set = make(map[string]struct{})
		r[a] = set
	}
	set[b] = struct{}{}
}

func (r rel) remove(a, b string) {
	if set, ok := r[a]; ok {
		delete(set, b)
		if len(set) == 0 {
			delete(r, a)
		}
	}
}

// keys returns the members of a's set, unsorted.
func (r rel) keys(a string) []string {
	return slices.Collect(maps.Keys(r[a]))
}

// CreatePool stores p with Version 1, or returns an error matching
// storage.ErrConflict if the id is taken.
func (s *Store) CreatePool(ctx context.Context, p storage.Pool) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, ok := s.pools[p.ID]; ok {
		return fmt.Errorf("memory: pool %q: %w", p.ID, storage.ErrConflict)
	}
	p = copyPool(p)
	p.Version = 1
	s.pools[p.ID] = newPool(p)
	return nil
}

// GetPool returns a pool, or an error matching storage.ErrNotFound.
func (s *Store) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.Pool{}, err
	}
	defer s.mu.RUnlock()
	p, err := s.pool(id)
	if err != nil {
		return storage.Pool{}, err
	}
	return copyPool(p.meta), nil
}

// UpdatePool replaces Name, Settings, Secret and UpdatedAt if p.Version is current.
func (s *Store) UpdatePool(ctx context.Context, p storage.Pool) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	cur, err := s.pool(p.ID)
	if err != nil {
		return err
	}
	if cur.meta.Version != p.Version {
		return fmt.Errorf("memory: pool %q: version %d, stored %d: %w", p.ID, p.Version, cur.meta.Version, storage.ErrConflict)
	}
	p = copyPool(p)
	cur.meta.Name, cur.meta.Settings, cur.meta.Secret, cur.meta.UpdatedAt = p.Name, p.Settings, p.Secret, p.UpdatedAt
	cur.meta.Version++
	return nil
}

// DeletePool removes a pool with everything in it.
func (s *Store) DeletePool(ctx context.Context, id string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if _, err := s.pool(id); err != nil {
		return err
	}
	delete(s.pools, id)
	return nil
}

// ListPools returns pools ordered by ID.
func (s *Store) ListPools(ctx context.Context, req storage.PageRequest) (storage.Page[storage.Pool], error) {
	after, err := parsePage("pools", req)
	if err != nil {
		return storage.Page[storage.Pool]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.Pool]{}, err
	}
	defer s.mu.RUnlock()
	return pageOf("pools", slices.Collect(maps.Keys(s.pools)), after, req.Limit,
		func(id string) storage.Pool { return copyPool(s.pools[id].meta) }), nil
}

// CreateClient stores c with Version 1.
func (s *Store) CreateClient(ctx context.Context, c storage.Client) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(c.PoolID)
	if err != nil {
		return err
	}
	if _, ok := p.clients[c.ID]; ok {
		return fmt.Errorf("memory: client %q: %w", c.ID, storage.ErrConflict)
	}
	c = copyClient(c)
	c.Version = 1
	p.clients[c.ID] = c
	return nil
}

// GetClient returns a client, or an error matching storage.ErrNotFound.
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (storage.Client, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.Client{}, err
	}
	defer s.mu.RUnlock()
	c, ok := s.pools[poolID].client(clientID)
	if !ok {
		return storage.Client{}, fmt.Errorf("memory: client %q: %w", clientID, storage.ErrNotFound)
	}
	return copyClient(c), nil
}

// client returns a client of p; p may be nil (a missing pool).
func (p *pool) client(id string) (storage.Client, bool) {
	if p == nil {
		return storage.Client{}, false
	}
	c, ok := p.clients[id]
	return c, ok
}

// UpdateClient replaces Name, Settings and UpdatedAt if c.Version is current.
func (s *Store) UpdateClient(ctx context.Context, c storage.Client) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p := s.pools[c.PoolID]
	cur, ok := p.client(c.ID)
	if !ok {
		return fmt.Errorf("memory: client %q: %w", c.ID, storage.ErrNotFound)
	}
	if cur.Version != c.Version {
		return fmt.Errorf("memory: client %q: version %d, stored %d: %w", c.ID, c.Version, cur.Version, storage.ErrConflict)
	}
	c = copyClient(c)
	cur.Name, cur.Settings, cur.UpdatedAt = c.Name, c.Settings, c.UpdatedAt
	cur.Version++
	p.clients[c.ID] = cur
	return nil
}

// DeleteClient removes a client, or returns storage.ErrNotFound.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p := s.pools[poolID]
	if _, ok := p.client(clientID); !ok {
		return fmt.Errorf("memory: client %q: %w", clientID, storage.ErrNotFound)
	}
	delete(p.clients, clientID)
	return nil
}

// ListClients returns a pool's clients ordered by ID.
func (s *Store) ListClients(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Client], error) {
	after, err := parsePage("clients", req)
	if err != nil {
		return storage.Page[storage.Client]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.Client]{}, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return storage.Page[storage.Client]{}, nil
	}
	return pageOf("clients", slices.Collect(maps.Keys(p.clients)), after, req.Limit,
		func(id string) storage.Client { return copyClient(p.clients[id]) }), nil
}

// ClientPools implements [storage.ClientLocator].
func (s *Store) ClientPools(ctx context.Context, clientID string) ([]string, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var ids []string
	for id, p := range s.pools {
		if _, ok := p.client(clientID); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}
