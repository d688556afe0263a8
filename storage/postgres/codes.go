package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// PutCode stores c, replacing the user's code for the same purpose. The
// foreign key to the user refuses a missing user.
func (s *Store) PutCode(ctx context.Context, c storage.Code) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {codes} (pool_id, sub, purpose, hash, data, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET
			hash = EXCLUDED.hash, data = EXCLUDED.data, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`),
		c.PoolID, c.Sub, c.Purpose, c.Hash, c.Data, tz(c.CreatedAt), c.ExpiresAt)
	return dbErr(fmt.Sprintf("code %q of user %q", c.Purpose, c.Sub), err)
}

// GetCode returns the user's code for a purpose.
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (storage.Code, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Code{}, err
	}
	what := fmt.Sprintf("code %q of user %q", purpose, sub)
	if !storable(poolID) || !storable(sub) || !storable(purpose) {
		return storage.Code{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	c := storage.Code{PoolID: poolID, Sub: sub, Purpose: purpose}
	var created, expires *time.Time
	err := s.db.QueryRow(ctx, s.q(`SELECT hash, data, created_at, expires_at FROM {codes}
		WHERE pool_id = $1 AND sub = $2 AND purpose = $3`), poolID, sub, purpose).Scan(&c.Hash, &c.Data, &created, &expires)
	if err != nil {
		return storage.Code{}, dbErr(what, err)
	}
	c.CreatedAt, c.ExpiresAt = fromTZ(created), fromTZ(expires)
	return c, nil
}

// ConsumeCode deletes the code if its hash matches, in one statement: the
// row lock makes concurrent deletions queue, and all but the first then
// find nothing to delete, so exactly one succeeds across every instance.
// The hash is compared by the database, not in constant time; it is a
// keyed hash of the code, so its timing tells an attacker nothing about
// the code.
func (s *Store) ConsumeCode(ctx context.Context, poolID, sub, purpose string, hash []byte) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	what := fmt.Sprintf("code %q of user %q", purpose, sub)
	if len(hash) == 0 {
		// A NULL stored hash equals nothing; an empty one must not be
		// consumed by an empty guess either.
		return fmt.Errorf("postgres: %s: empty hash: %w", what, storage.ErrNotFound)
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {codes} WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND hash = $4"),
		poolID, sub, purpose, hash)
	return deleted(what, tag.RowsAffected(), err)
}

// DeleteCode removes the code if there is one.
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q("DELETE FROM {codes} WHERE pool_id = $1 AND sub = $2 AND purpose = $3"), poolID, sub, purpose)
	return dbErr(fmt.Sprintf("code %q of user %q", purpose, sub), err)
}
