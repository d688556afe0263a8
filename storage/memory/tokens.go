package memory

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// Refresh token hashes stand for bearer secrets, so error messages leave
// them out.

var errTokenNotFound = fmt.Errorf("memory: refresh token: %w", storage.ErrNotFound)

// PutRefreshToken stores a new refresh token of an existing user.
func (s *Store) PutRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.user(t.PoolID, t.Sub)
	if err != nil {
		return err
	}
	if _, ok := p.tokens[t.Hash]; ok {
		return fmt.Errorf("memory: refresh token: %w", storage.ErrConflict)
	}
	p.putToken(t)
	return nil
}

// GetRefreshToken returns a token by hash.
func (s *Store) GetRefreshToken(ctx context.Context, poolID, hash string) (storage.RefreshToken, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.RefreshToken{}, err
	}
	defer s.mu.RUnlock()
	if p, ok := s.pools[poolID]; ok {
		if t, ok := p.tokens[hash]; ok {
			return copyToken(t), nil
		}
	}
	return storage.RefreshToken{}, errTokenNotFound
}

// RotateRefreshToken marks the token oldHash of next's pool as replaced by
// next and stores next, or changes nothing.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash string, next storage.RefreshToken) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, ok := s.pools[next.PoolID]
	if !ok {
		return errTokenNotFound
	}
	old, ok := p.tokens[oldHash]
	if !ok {
		return errTokenNotFound
	}
	if !old.RevokedAt.IsZero() || old.ReplacedBy != "" {
		return fmt.Errorf("memory: refresh token already revoked or rotated: %w", storage.ErrConflict)
	}
	if _, ok := p.tokens[next.Hash]; ok {
		return fmt.Errorf("memory: refresh token: %w", storage.ErrConflict)
	}
	if _, _, err := s.user(next.PoolID, next.Sub); err != nil {
		return err
	}
	old.ReplacedBy = next.Hash
	p.tokens[oldHash] = old
	p.putToken(next)
	return nil
}

// RevokeRefreshToken sets RevokedAt on a token unless it is already set.
func (s *Store) RevokeRefreshToken(ctx context.Context, poolID, hash string, at time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, ok := s.pools[poolID]
	if !ok {
		return errTokenNotFound
	}
	if _, ok := p.tokens[hash]; !ok {
		return errTokenNotFound
	}
	p.revoke(hash, at)
	return nil
}

// RevokeRefreshFamily revokes the unrevoked tokens of a family.
func (s *Store) RevokeRefreshFamily(ctx context.Context, poolID, familyID string, at time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if p, ok := s.pools[poolID]; ok {
		for h := range p.families[familyID] {
			p.revoke(h, at)
		}
	}
	return nil
}

// RevokeUserRefreshTokens revokes the unrevoked tokens of a user.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, sub string, at time.Time) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	if p, ok := s.pools[poolID]; ok {
		for h := range p.tokensOf[sub] {
			p.revoke(h, at)
		}
	}
	return nil
}

func (p *pool) putToken(t storage.RefreshToken) {
	t = copyToken(t)
	p.tokens[t.Hash] = t
	p.tokensOf.add(t.Sub, t.Hash)
	p.families.add(t.FamilyID, t.Hash)
}

func (p *pool) revoke(hash string, at time.Time) {
	if t := p.tokens[hash]; t.RevokedAt.IsZero() {
		t.RevokedAt = at
		p.tokens[hash] = t
	}
}

func (p *pool) deleteToken(hash string) {
	t, ok := p.tokens[hash]
	if !ok {
		return
	}
	delete(p.tokens, hash)
	p.tokensOf.remove(t.Sub, hash)
	p.families.remove(t.FamilyID, hash)
}
