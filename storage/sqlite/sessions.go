package sqlite

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// PutSession implements [storage.Sessions].
func (s *Store) PutSession(ctx context.Context, se storage.Session) error {
	exp, err := enc(se.ExpiresAt)
	if err != nil {
		return translate("put session", err)
	}
	return translate("put session", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (pool_id, id, data, expires_at) VALUES (?, ?, ?, ?)`,
			se.PoolID, se.ID, se.Data, exp)
		return err
	}))
}

// TakeSession implements [storage.Sessions] with one DELETE ... RETURNING:
// finding and removing the session is a single statement, so of
// concurrent callers exactly one gets it. An expired session is left for
// Sweep and reported as absent.
func (s *Store) TakeSession(ctx context.Context, poolID, id string, now time.Time) (storage.Session, error) {
	at, err := enc(now)
	if err != nil {
		return storage.Session{}, translate("take session", err)
	}
	var se storage.Session
	err = s.write(ctx, func(tx *wtx) error {
		return tx.queryRow(ctx, `DELETE FROM sessions WHERE pool_id = ? AND id = ? AND expires_at > ?
			RETURNING pool_id, id, data, expires_at`, poolID, id, at).
			Scan(&se.PoolID, &se.ID, &se.Data, timeCol{&se.ExpiresAt})
	})
	if err != nil {
		return storage.Session{}, translate("take session", err)
	}
	return se, nil
}
