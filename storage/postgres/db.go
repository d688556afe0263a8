package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/userpool/userpool/storage"
)

// SQLSTATE codes the store reacts to.
const (
	uniqueViolation      = "23505"
	foreignKeyViolation  = "23503"
	serializationFailure = "40001"
	deadlockDetected     = "40P01"
)

// txRetries is how many times a transaction that lost a serialization
// failure or a deadlock is run again before its error is returned. The
// store runs at READ COMMITTED, where only deadlocks between multi-row
// writes (UpdateUsers of overlapping users in different orders) can occur,
// and rarely.
const txRetries = 5

// dbErr turns a database error into the store's: a missing row or a broken
// foreign key (a record's pool or user is missing) matches
// storage.ErrNotFound, a unique violation storage.ErrConflict; anything
// else is wrapped as it is, so context errors still match. what says what
// was being done; it never holds a secret (a token hash, a session id), and
// neither does PostgreSQL's message, which names the constraint but not the
// values.
func dbErr(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case uniqueViolation:
			return fmt.Errorf("postgres: %s: %w (%w)", what, storage.ErrConflict, err)
		case foreignKeyViolation:
			return fmt.Errorf("postgres: %s: %w (%w)", what, storage.ErrNotFound, err)
		}
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// retryable reports whether a transaction failed only because it raced
// another and may simply be run again.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == serializationFailure || pgErr.Code == deadlockDetected)
}

// inTx runs fn in a transaction, committed if fn returns nil and rolled
// back otherwise, and runs it again if it lost a race that the database
// reports as retryable. fn must be safe to run more than once.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.db, fn)
		if err == nil || attempt == txRetries || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

// tz is t for a nullable timestamptz column: the zero time is NULL, so
// "not set" reads back as the zero time.
func tz(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// fromTZ is the reverse of tz, in UTC.
func fromTZ(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
