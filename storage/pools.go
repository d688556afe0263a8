package storage

import (
	"context"
	"time"
)

// Pool is a user pool's persisted identity and settings. Settings is the
// pool's configuration serialised by userpool (JSON); the store keeps the
// bytes without interpreting them.
type Pool struct {
	ID       string
	Name     string
	Settings []byte
	// Secret is random key material made when the pool is created. When
	// the program gives no secret key of its own, userpool derives from it
	// the keys that must be the same on every instance but need not be
	// kept from someone who holds the store (pagination tokens, decoys for
	// unknown users). It is as sensitive as the store itself.
	Secret    []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is 1 after CreatePool and grows by one on every UpdatePool.
	Version int64
}

// Pools persists user pools themselves.
type Pools interface {
	// CreatePool stores p with Version 1. If a pool with p.ID exists it
	// returns an error matching ErrConflict and writes nothing.
	CreatePool(ctx context.Context, p Pool) error
	// GetPool returns the pool with the given id, or ErrNotFound.
	GetPool(ctx context.Context, id string) (Pool, error)
	// UpdatePool replaces the stored pool's Name, Settings, Secret and UpdatedAt if
	// the stored Version equals p.Version, and increments the version. A
	// missing pool gives ErrNotFound; another version gives ErrConflict.
	UpdatePool(ctx context.Context, p Pool) error
	// DeletePool removes the pool and every record that belongs to it
	// (clients, users, groups, codes, sessions, tokens, devices, keys,
	// attempt counters, revoked origins) in one atomic step, or returns ErrNotFound.
	DeletePool(ctx context.Context, id string) error
	// ListPools returns pools ordered by ID.
	ListPools(ctx context.Context, page PageRequest) (Page[Pool], error)
}

// Client is an app client of a pool. Settings is its configuration
// serialised by userpool; the store keeps the bytes without interpreting
// them.
type Client struct {
	PoolID    string
	ID        string
	Name      string
	Settings  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is 1 after CreateClient and grows by one on every update.
	Version int64
}

// Clients persists app clients.
type Clients interface {
	// CreateClient stores c with Version 1, or returns ErrConflict if the
	// pool already has a client with c.ID, or ErrNotFound if the pool does
	// not exist.
	CreateClient(ctx context.Context, c Client) error
	// GetClient returns a client, or ErrNotFound.
	GetClient(ctx context.Context, poolID, clientID string) (Client, error)
	// UpdateClient replaces Name, Settings and UpdatedAt if the stored
	// Version equals c.Version, incrementing it; ErrNotFound or ErrConflict
	// otherwise.
	UpdateClient(ctx context.Context, c Client) error
	// DeleteClient removes a client, or returns ErrNotFound.
	DeleteClient(ctx context.Context, poolID, clientID string) error
	// ListClients returns a pool's clients ordered by ID.
	ListClients(ctx context.Context, poolID string, page PageRequest) (Page[Client], error)
}

// ClientLocator is implemented by stores that can find an app client by
// its id alone, across pools, with an index. It is optional: a server
// whose public requests name only a client id (as Cognito's wire protocol
// does) uses it when the store has it, and otherwise searches pool by
// pool, which costs a read per pool for every id it has not seen.
type ClientLocator interface {
	// ClientPools returns the ids of the pools that have a client with
	// this id, in ascending order; none is not an error. Ids the pools
	// generate (26 random characters) are unique across pools, so there
	// is one at most unless the same id was imported into several pools.
	ClientPools(ctx context.Context, clientID string) ([]string, error)
}
