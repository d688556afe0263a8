// Package memory is an in-memory [storage.Store]: the default store of
// userpool, and the quickest backend for tests and examples. Its data lives
// as long as the process.
//
// # Consistency
//
// One read-write mutex guards every map of the store, so each method is a
// single atomic step, including those that touch several kinds of record
// (UpdateUsers moving a login, DeleteUser and DeletePool cascading). Records
// are deep-copied on the way in and on the way out: a caller may modify
// whatever it passes or receives without affecting the store.
//
// # Cost
//
// GetUser and UserByLogin are map look-ups. Users are also kept in sorted
// indexes (by username, sub and each attribute of [storage.Searchable]), so
// a page of ListUsers costs a binary search plus the records it visits,
// never a sort of the pool. Other listings (pools, clients, groups, devices,
// memberships) are small and sort their keys per page.
//
// # Cursors
//
// A cursor encodes the listing it belongs to and the sort key and sub of the
// last record returned, never an offset, so pages stay correct while
// records are added and removed between them. A cursor that this store did
// not make for that listing is refused with an error.
package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"
)

var _ storage.Store = (*Store)(nil)

// errClosed is returned by every method called after Close.
var errClosed = errors.New("memory: store is closed")

// Store is an in-memory [storage.Store]. The zero value is not usable; call
// [New]. A Store is safe for concurrent use.
type Store struct {
	// mu guards everything below. Methods that only read take it shared.
	mu     sync.RWMutex
	closed bool
	pools  map[string]*pool
}

// New returns an empty store.
func New() *Store {
	return &Store{pools: make(map[string]*pool)}
}

// lock checks ctx and takes the store's lock for writing. On success the
// caller must call s.mu.Unlock.
func (s *Store) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	return nil
}

// rlock checks ctx and takes the store's lock for reading. On success the
// caller must call s.mu.RUnlock.
func (s *Store) rlock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed
	}
	return nil
}

// pool returns the pool with the given id, or an error matching
// storage.ErrNotFound. The caller holds s.mu.
func (s *Store) pool(id string) (*pool, error) {
	p, ok := s.pools[id]
	if !ok {
		return nil, fmt.Errorf("memory: pool %q: %w", id, storage.ErrNotFound)
	}
	return p, nil
}

// Sweep deletes the sessions, codes, refresh tokens and revoked origins
// whose ExpiresAt is not after now, and the attempt counters idle for more than
// [storage.AttemptIdle]. It visits every record, so call it from time to
// time, not per request.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	for _, p := range s.pools {
		for id, ss := range p.sessions {
			if !ss.ExpiresAt.After(now) {
				delete(p.sessions, id)
			}
		}
		for sub, bySub := range p.codes {
			for purpose, c := range bySub {
				if !c.ExpiresAt.After(now) {
					delete(bySub, purpose)
				}
			}
			if len(bySub) == 0 {
				delete(p.codes, sub)
			}
		}
		for hash, t := range p.tokens {
			if !t.ExpiresAt.After(now) {
				p.deleteToken(hash)
			}
		}
		for jti, r := range p.origins {
			if !r.ExpiresAt.After(now) {
				delete(p.origins, jti)
			}
		}
		for key, c := range p.attempts {
			if now.Sub(c.LastAt) > storage.AttemptIdle && now.Sub(c.LockedUntil) > storage.AttemptIdle {
				delete(p.attempts, key)
			}
		}
	}
	return nil
}

// Close marks the store closed and drops its data; every later call fails.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.pools = nil
	return nil
}
