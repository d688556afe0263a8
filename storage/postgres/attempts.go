package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// TakeAttempt applies rule to the stored counter in one transaction. The
// rule is Go code (storage.AttemptRule.Next), so it cannot run inside an
// upsert; instead the first statement creates the counter if missing and
// locks its row either way (an upsert whose update changes nothing still
// takes the row lock and returns the row), and the second stores the
// result. Concurrent attempts on any instances queue on the row lock, so
// none is lost.
func (s *Store) TakeAttempt(ctx context.Context, poolID, key string, now time.Time, rule storage.AttemptRule) (storage.AttemptCount, bool, error) {
	if err := s.ready(ctx); err != nil {
		return storage.AttemptCount{}, false, err
	}
	var next storage.AttemptCount
	var ok bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var cur storage.AttemptCount
		var last, locked *time.Time
		err := tx.QueryRow(ctx, s.q(`INSERT INTO {attempts} AS a (pool_id, key, count) VALUES ($1, $2, 0)
			ON CONFLICT (pool_id, key) DO UPDATE SET count = a.count
			RETURNING count, last_at, locked_until`), poolID, key).Scan(&cur.Count, &last, &locked)
		if err != nil {
			return dbErr("take attempt", err)
		}
		cur.LastAt, cur.LockedUntil = fromTZ(last), fromTZ(locked)
		next, ok = rule.Next(cur, now)
		_, err = tx.Exec(ctx, s.q("UPDATE {attempts} SET count = $3, last_at = $4, locked_until = $5 WHERE pool_id = $1 AND key = $2"),
			poolID, key, next.Count, tz(next.LastAt), tz(next.LockedUntil))
		return dbErr("take attempt", err)
	})
	if err != nil {
		return storage.AttemptCount{}, false, err
	}
	return next, ok, nil
}

// GetAttempts returns the counter, zero if there is none.
func (s *Store) GetAttempts(ctx context.Context, poolID, key string) (storage.AttemptCount, error) {
	if err := s.ready(ctx); err != nil {
		return storage.AttemptCount{}, err
	}
	if !storable(poolID) || !storable(key) {
		return storage.AttemptCount{}, nil
	}
	var c storage.AttemptCount
	var last, locked *time.Time
	err := s.db.QueryRow(ctx, s.q("SELECT count, last_at, locked_until FROM {attempts} WHERE pool_id = $1 AND key = $2"),
		poolID, key).Scan(&c.Count, &last, &locked)
	if errors.Is(err, pgx.ErrNoRows) {
		return storage.AttemptCount{}, nil
	}
	if err != nil {
		return storage.AttemptCount{}, dbErr("get attempts", err)
	}
	c.LastAt, c.LockedUntil = fromTZ(last), fromTZ(locked)
	return c, nil
}

// ResetAttempts deletes the counter if there is one.
func (s *Store) ResetAttempts(ctx context.Context, poolID, key string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q("DELETE FROM {attempts} WHERE pool_id = $1 AND key = $2"), poolID, key)
	return dbErr("reset attempts", err)
}
