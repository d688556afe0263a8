// Package jsonstore is a [storage.Store] that keeps everything in memory and
// persists it to one JSON file. It is the worked example of a custom
// backend: small enough to read in one sitting, complete enough to pass
// storagetest.Run.
//
// # Durability
//
// Every change is on disk before its method returns. The new contents go
// to a temporary file in the same directory, which is synced and renamed
// over the old one, so after a crash the file holds the state either
// before the change or after it, never a mix.
//
// # Consistency
//
// One mutex serialises every method, which makes each of them a single
// atomic step: uniqueness checks, compare-and-swap on Version and cascades
// cannot interleave. A change works on a fresh copy decoded from the last
// committed bytes and replaces the state only after the file is written,
// so a refused or failed change leaves nothing behind, in memory or on
// disk. Records go in and come out through the same JSON encoding as the
// file, so callers never share memory with the store and see the same
// values before and after a restart.
//
// # Limits
//
// Every change rewrites the whole file and listings sort in memory: the
// store suits development and small pools, not a busy service. One process
// owns the file; two processes opening the same file overwrite each
// other's changes. JSON strings are UTF-8, so a string that is not valid
// UTF-8 would not survive (userpool stores only valid UTF-8).
package jsonstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/userpool/userpool/storage"
)

var _ storage.Store = (*Store)(nil)

// errClosed is returned by every method called after Close.
var errClosed = errors.New("jsonstore: store is closed")

// Store is a [storage.Store] backed by one JSON file. Open one with
// [Open]; it is safe for concurrent use.
type Store struct {
	path string

	// mu guards everything below.
	mu     sync.Mutex
	closed bool
	// saved is the file's contents: the last committed state.
	saved []byte
	// data is saved, decoded; reads use it directly.
	data *data
}

// Open opens the store kept in the file at path, creating the file with
// an empty store if it does not exist.
func Open(path string) (*Store, error) {
	b, err := load(path)
	if err != nil {
		return nil, err
	}
	if b == nil {
		if b, err = encode(newData()); err != nil {
			return nil, err
		}
		if err := save(path, b); err != nil {
			return nil, err
		}
	}
	d, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("jsonstore: %s: %w", path, err)
	}
	return &Store{path: path, saved: b, data: d}, nil
}

// Close closes the store. Every change is already on disk, so there is
// nothing to flush; later calls fail.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed, s.data, s.saved = true, nil, nil
	return nil
}

// lock checks ctx and takes s.mu; on success the caller unlocks it.
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

// view runs fn on the committed state. fn must not modify it, and must
// return copies (see clone), never values that share maps or slices with
// the state.
func view[T any](ctx context.Context, s *Store, fn func(d *data) (T, error)) (T, error) {
	if err := s.lock(ctx); err != nil {
		var zero T
		return zero, err
	}
	defer s.mu.Unlock()
	return fn(s.data)
}

// update runs fn on a private copy of the state and, if fn succeeds,
// writes the copy to the file and makes it the state. If fn or the write
// fails, nothing changes. fn must store copies of what callers pass in.
func update[T any](ctx context.Context, s *Store, fn func(d *data) (T, error)) (T, error) {
	var zero T
	if err := s.lock(ctx); err != nil {
		return zero, err
	}
	defer s.mu.Unlock()
	next, err := decode(s.saved)
	if err != nil {
		return zero, err
	}
	out, err := fn(next)
	if err != nil {
		return zero, err
	}
	b, err := encode(next)
	if err != nil {
		return zero, err
	}
	if err := save(s.path, b); err != nil {
		return zero, err
	}
	s.saved, s.data = b, next
	return out, nil
}

// change is update for methods that return only an error.
func change(ctx context.Context, s *Store, fn func(d *data) error) error {
	_, err := update(ctx, s, func(d *data) (struct{}, error) { return struct{}{}, fn(d) })
	return err
}

// clone deep-copies a record through JSON, the encoding of the file, so a
// copy is exactly what a restart would read back.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("jsonstore: encode %T: %v", v, err)) // records hold only encodable types
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("jsonstore: decode %T: %v", v, err))
	}
	return out
}
