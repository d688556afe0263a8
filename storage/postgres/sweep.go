package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// Sweep deletes the sessions, codes and refresh tokens whose ExpiresAt is
// not after now, and the attempt counters idle for more than
// [storage.AttemptIdle]. Each deletion is an index range scan on the
// expiry (or last attempt) column; the four run as one batch in one
// transaction. Any instance may sweep, concurrently with anything.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	idle := now.Add(-storage.AttemptIdle)
	return s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(s.q("DELETE FROM {sessions} WHERE expires_at <= $1"), now)
		b.Queue(s.q("DELETE FROM {codes} WHERE expires_at <= $1"), now)
		b.Queue(s.q("DELETE FROM {refresh_tokens} WHERE expires_at <= $1"), now)
		b.Queue(s.q("DELETE FROM {revoked_origins} WHERE expires_at <= $1"), now)
		b.Queue(s.q("DELETE FROM {attempts} WHERE last_at < $1 AND (locked_until IS NULL OR locked_until < $1)"), idle)
		return dbErr("sweep", tx.SendBatch(ctx, b).Close())
	})
}
