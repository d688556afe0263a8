package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/userpool/userpool/storage"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// wtx is a write transaction. Every statement goes through it so that the
// test fault hook sees each one.
type wtx struct {
	s  *Store
	tx *sql.Tx
}

func (t *wtx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := t.s.injectFault(query); err != nil {
		return nil, err
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *wtx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := t.s.injectFault(query); err != nil {
		return nil, err
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// queryRow returns a row whose Scan reports an injected fault.
func (t *wtx) queryRow(ctx context.Context, query string, args ...any) scanner {
	if err := t.s.injectFault(query); err != nil {
		return errRow{err}
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// affected runs an exec and returns the number of rows it changed.
func (t *wtx) affected(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type scanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

func (s *Store) injectFault(query string) error {
	if s.fault == nil {
		return nil
	}
	return s.fault(query)
}

// write runs fn in one BEGIN IMMEDIATE transaction on the writer
// connection and commits if fn returns nil. Any error, from fn, a
// statement or the commit, rolls everything back, so a multi-row change
// is never half-written.
func (s *Store) write(ctx context.Context, fn func(tx *wtx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&wtx{s: s, tx: tx}); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.injectFault("COMMIT"); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// read runs fn in one read transaction, so several queries see the same
// snapshot (in WAL mode a reader's snapshot is fixed at its first read).
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// translate maps SQLite constraint errors to the storage sentinels,
// by result code rather than message: a unique or primary key violation
// is ErrConflict, a foreign key violation (a missing pool, user or group)
// is ErrNotFound. op names the operation for the message.
func translate(op string, err error) error {
	if err == nil {
		return nil
	}
	// Already translated inside the transaction (notFound, conflict).
	if errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("storage/sqlite: %s: %w", op, storage.ErrConflict)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("storage/sqlite: %s: %w", op, storage.ErrNotFound)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("storage/sqlite: %s: %w", op, storage.ErrNotFound)
	}
	return fmt.Errorf("storage/sqlite: %s: %w", op, err)
}

// notFound and conflict build sentinel errors for conditions found by a
// query rather than raised by a constraint.
func notFound(op string) error { return fmt.Errorf("storage/sqlite: %s: %w", op, storage.ErrNotFound) }
func conflict(op string) error { return fmt.Errorf("storage/sqlite: %s: %w", op, storage.ErrConflict) }
