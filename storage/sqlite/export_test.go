package sqlite

import (
	"context"
	"database/sql"

	"github.com/userpool/userpool/storage"
)

// SetFault installs the test fault hook: f runs before every statement of a
// write transaction and before its commit, with the SQL text (or
// "COMMIT"), and an error it returns fails that step. Only tests in this
// package can reach it, so the public API has no fault switch.
func SetFault(s *Store, f func(query string) error) { s.fault = f }

// ExplainListUsers returns the details of SQLite's EXPLAIN QUERY PLAN for
// the query ListUsers would run for q, one string per plan step.
func ExplainListUsers(s *Store, poolID string, q storage.UserQuery) ([]string, error) {
	query, args, _, err := listUsersSQL(poolID, q)
	if err != nil {
		return nil, err
	}
	rows, err := s.r.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// Successor exposes successor to tests.
var Successor = successor

// DB returns the store's reader pool, for read-only checks in tests.
func DB(s *Store) *sql.DB { return s.r }

// CreateUsers stores many users in one transaction through the same insert
// path as CreateUser, to set up large benchmarks quickly.
func CreateUsers(s *Store, users []storage.User) error {
	ctx := context.Background()
	return s.write(ctx, func(tx *wtx) error {
		// A big transaction spills the default 2 MiB page cache to the
		// WAL over and over; a larger cache makes bulk loading faster.
		if _, err := tx.exec(ctx, "PRAGMA cache_size = -65536"); err != nil {
			return err
		}
		for i := range users {
			if err := insertUser(ctx, tx, &users[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
