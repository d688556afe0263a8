package sqlite

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// Sweep implements [storage.Store]. Each table is swept in its own short
// transaction through its expiry index, so a large sweep does not hold the
// write lock for all of them at once. A record expires when its ExpiresAt
// is not after now, the rule TakeSession applies.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	ts, err := times(now, now.Add(-storage.AttemptIdle))
	if err != nil {
		return translate("sweep", err)
	}
	stmts := []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE expires_at <= ?`, []any{ts[0]}},
		{`DELETE FROM codes WHERE expires_at <= ?`, []any{ts[0]}},
		{`DELETE FROM refresh_tokens WHERE expires_at <= ?`, []any{ts[0]}},
		{`DELETE FROM revoked_origins WHERE expires_at <= ?`, []any{ts[0]}},
		{`DELETE FROM attempts WHERE last_at < ? AND locked_until < ?`, []any{ts[1], ts[1]}},
	}
	for _, st := range stmts {
		err := s.write(ctx, func(tx *wtx) error {
			_, err := tx.exec(ctx, st.sql, st.args...)
			return err
		})
		if err != nil {
			return translate("sweep", err)
		}
	}
	return nil
}
