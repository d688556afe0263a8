package jsonstore

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// Refresh token hashes stand for bearer secrets, so errors leave them out.

var (
	errTokenNotFound = fmt.Errorf("jsonstore: refresh token: %w", storage.ErrNotFound)
	errTokenTaken    = fmt.Errorf("jsonstore: refresh token: %w", storage.ErrConflict)
)

// PutRefreshToken stores a new refresh token of an existing user.
func (s *Store) PutRefreshToken(ctx context.Context, t storage.RefreshToken) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.user(t.PoolID, t.Sub)
		if err != nil {
			return err
		}
		if _, ok := p.Tokens[t.Hash]; ok {
			return errTokenTaken
		}
		p.Tokens[t.Hash] = clone(t)
		return nil
	})
}

// GetRefreshToken returns a token by hash.
func (s *Store) GetRefreshToken(ctx context.Context, poolID, hash string) (storage.RefreshToken, error) {
	return view(ctx, s, func(d *data) (storage.RefreshToken, error) {
		t, ok := d.poolOrEmpty(poolID).Tokens[hash]
		if !ok {
			return storage.RefreshToken{}, errTokenNotFound
		}
		return clone(t), nil
	})
}

// RotateRefreshToken marks the token oldHash as replaced by next and
// stores next, in one write. A token already revoked or replaced
// conflicts: that is how the reuse of a rotated token is detected.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash string, next storage.RefreshToken) error {
	return change(ctx, s, func(d *data) error {
		p := d.poolOrEmpty(next.PoolID)
		old, ok := p.Tokens[oldHash]
		switch {
		case !ok:
			return errTokenNotFound
		case !old.RevokedAt.IsZero() || old.ReplacedBy != "":
			return fmt.Errorf("jsonstore: refresh token already revoked or rotated: %w", storage.ErrConflict)
		}
		if _, ok := p.Tokens[next.Hash]; ok {
			return errTokenTaken
		}
		if _, _, err := d.user(next.PoolID, next.Sub); err != nil {
			return err
		}
		old.ReplacedBy = next.Hash
		p.Tokens[oldHash] = old
		p.Tokens[next.Hash] = clone(next)
		return nil
	})
}

// RevokeRefreshToken sets RevokedAt on a token unless it is already set.
func (s *Store) RevokeRefreshToken(ctx context.Context, poolID, hash string, at time.Time) error {
	return change(ctx, s, func(d *data) error {
		p := d.poolOrEmpty(poolID)
		if _, ok := p.Tokens[hash]; !ok {
			return errTokenNotFound
		}
		p.revokeTokens(at, func(t storage.RefreshToken) bool { return t.Hash == hash })
		return nil
	})
}

// RevokeRefreshFamily revokes the unrevoked tokens of a family.
func (s *Store) RevokeRefreshFamily(ctx context.Context, poolID, familyID string, at time.Time) error {
	return change(ctx, s, func(d *data) error {
		d.poolOrEmpty(poolID).revokeTokens(at, func(t storage.RefreshToken) bool { return t.FamilyID == familyID })
		return nil
	})
}

// RevokeUserRefreshTokens revokes the unrevoked tokens of a user.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, sub string, at time.Time) error {
	return change(ctx, s, func(d *data) error {
		d.poolOrEmpty(poolID).revokeTokens(at, func(t storage.RefreshToken) bool { return t.Sub == sub })
		return nil
	})
}

// revokeTokens sets RevokedAt on the unrevoked tokens that match; a
// revoked token keeps its first RevokedAt.
func (p *pool) revokeTokens(at time.Time, match func(storage.RefreshToken) bool) {
	for h, t := range p.Tokens {
		if match(t) && t.RevokedAt.IsZero() {
			t.RevokedAt = at
			p.Tokens[h] = t
		}
	}
}
