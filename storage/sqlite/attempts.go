package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/userpool/userpool/storage"
)

// TakeAttempt implements [storage.Attempts]. The read, rule.Next and the
// write happen inside one BEGIN IMMEDIATE transaction, which holds the
// database's write lock from its first statement: no other writer, in
// this process or another, can read the counter between our read and our
// write, so concurrent attempts are never lost.
func (s *Store) TakeAttempt(ctx context.Context, poolID, key string, now time.Time, rule storage.AttemptRule) (storage.AttemptCount, bool, error) {
	var (
		next storage.AttemptCount
		ok   bool
	)
	err := s.write(ctx, func(tx *wtx) error {
		cur, err := scanAttempts(tx.queryRow(ctx, `SELECT count, last_at, locked_until FROM attempts
			WHERE pool_id = ? AND key = ?`, poolID, key))
		if err != nil {
			return err
		}
		next, ok = rule.Next(cur, now)
		if !ok {
			return nil // a refused attempt changes nothing
		}
		ts, err := times(next.LastAt, next.LockedUntil)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO attempts (pool_id, key, count, last_at, locked_until) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (pool_id, key) DO UPDATE SET
				count = excluded.count, last_at = excluded.last_at, locked_until = excluded.locked_until`,
			poolID, key, next.Count, ts[0], ts[1])
		return err
	})
	if err != nil {
		return storage.AttemptCount{}, false, translate("take attempt", err)
	}
	return next, ok, nil
}

// scanAttempts reads a counter row, a zero counter if there is none.
func scanAttempts(row scanner) (storage.AttemptCount, error) {
	var c storage.AttemptCount
	err := row.Scan(&c.Count, timeCol{&c.LastAt}, timeCol{&c.LockedUntil})
	if err == sql.ErrNoRows {
		return storage.AttemptCount{}, nil
	}
	return c, err
}

// GetAttempts implements [storage.Attempts].
func (s *Store) GetAttempts(ctx context.Context, poolID, key string) (storage.AttemptCount, error) {
	c, err := scanAttempts(s.r.QueryRowContext(ctx, `SELECT count, last_at, locked_until FROM attempts
		WHERE pool_id = ? AND key = ?`, poolID, key))
	if err != nil {
		return storage.AttemptCount{}, translate("get attempts", err)
	}
	return c, nil
}

// ResetAttempts implements [storage.Attempts].
func (s *Store) ResetAttempts(ctx context.Context, poolID, key string) error {
	return translate("reset attempts", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `DELETE FROM attempts WHERE pool_id = ? AND key = ?`, poolID, key)
		return err
	}))
}
