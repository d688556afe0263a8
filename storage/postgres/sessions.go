package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/userpool/userpool/storage"
)

// Session ids are hashes of bearer secrets, so error messages leave them
// out.

// PutSession stores a new session.
func (s *Store) PutSession(ctx context.Context, ss storage.Session) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q("INSERT INTO {sessions} (pool_id, id, data, expires_at) VALUES ($1, $2, $3, $4)"),
		ss.PoolID, ss.ID, ss.Data, ss.ExpiresAt)
	return dbErr("put session", err)
}

// TakeSession deletes and returns an unexpired session in one statement,
// so of concurrent takers on any instances exactly one gets it. An expired
// session is left for Sweep: it is unusable either way.
func (s *Store) TakeSession(ctx context.Context, poolID, id string, now time.Time) (storage.Session, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Session{}, err
	}
	if !storable(poolID) || !storable(id) {
		return storage.Session{}, fmt.Errorf("postgres: take session: %w", storage.ErrNotFound)
	}
	ss := storage.Session{PoolID: poolID, ID: id}
	var expires *time.Time
	err := s.db.QueryRow(ctx, s.q(`DELETE FROM {sessions} WHERE pool_id = $1 AND id = $2 AND expires_at > $3
		RETURNING data, expires_at`), poolID, id, now).Scan(&ss.Data, &expires)
	if err != nil {
		return storage.Session{}, dbErr("take session", err)
	}
	ss.ExpiresAt = fromTZ(expires)
	return ss, nil
}
