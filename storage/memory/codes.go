package memory

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// PutCode stores c, replacing the user's code for the same purpose.
func (s *Store) PutCode(ctx context.Context, c storage.Code) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.user(c.PoolID, c.Sub)
	if err != nil {
		return err
	}
	bySub, ok := p.codes[c.Sub]
	if !ok {
		bySub = make(map[string]storage.Code)
		p.codes[c.Sub] = bySub
	}
	bySub[c.Purpose] = copyCode(c)
	return nil
}

// code returns a stored code; the caller holds s.mu.
func (s *Store) code(poolID, sub, purpose string) (*pool, storage.Code, error) {
	if p, ok := s.pools[poolID]; ok {
		if c, ok := p.codes[sub][purpose]; ok {
			return p, c, nil
		}
	}
	return nil, storage.Code{}, fmt.Errorf("memory: code %q of user %q: %w", purpose, sub, storage.ErrNotFound)
}

// GetCode returns the user's code for a purpose.
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (storage.Code, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.Code{}, err
	}
	defer s.mu.RUnlock()
	_, c, err := s.code(poolID, sub, purpose)
	if err != nil {
		return storage.Code{}, err
	}
	return copyCode(c), nil
}

// ConsumeCode deletes the code if its hash matches. The comparison takes
// constant time, and the check and the deletion happen under one lock, so
// of concurrent callers exactly one succeeds.
func (s *Store) ConsumeCode(ctx context.Context, poolID, sub, purpose string, hash []byte) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, c, err := s.code(poolID, sub, purpose)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(c.Hash, hash) != 1 {
		return fmt.Errorf("memory: code %q of user %q: wrong hash: %w", purpose, sub, storage.ErrNotFound)
	}
	p.deleteCode(sub, purpose)
	return nil
}

// DeleteCode removes the code if there is one.
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if p, ok := s.pools[poolID]; ok {
		p.deleteCode(sub, purpose)
	}
	return nil
}

func (p *pool) deleteCode(sub, purpose string) {
	if bySub, ok := p.codes[sub]; ok {
		delete(bySub, purpose)
		if len(bySub) == 0 {
			delete(p.codes, sub)
		}
	}
}
