package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// PrefixEnd exposes prefixEnd to the tests.
var PrefixEnd = prefixEnd

// ExplainListUsers returns PostgreSQL's generic plan for the query of one
// ListUsers page: the plan a prepared statement ends up using whatever its
// parameter values, which must scan only the range too.
func ExplainListUsers(ctx context.Context, s *Store, poolID string, q storage.UserQuery) (string, error) {
	lq, err := s.listUsersQuery(poolID, q)
	if err != nil {
		return "", err
	}
	conn, err := s.db.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "PREPARE userpool_explain AS "+lq.sql); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "DEALLOCATE userpool_explain")
	if _, err := conn.Exec(ctx, "SET plan_cache_mode = force_generic_plan"); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "RESET plan_cache_mode")
	// EXECUTE takes literals; the generic plan does not look at them.
	params := make([]string, len(lq.args))
	for i, a := range lq.args {
		switch a := a.(type) {
		case string:
			params[i] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
		default:
			params[i] = fmt.Sprint(a)
		}
	}
	rows, err := conn.Query(ctx, "EXPLAIN EXECUTE userpool_explain("+strings.Join(params, ", ")+")")
	if err != nil {
		return "", err
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(plan, "\n"), err
}

// CreateUsers stores many users in one transaction, their statements
// sent as one batch, for building big pools quickly.
func CreateUsers(ctx context.Context, s *Store, users []storage.User) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, u := range users {
			row, err := userRow(u)
			if err != nil {
				return err
			}
			keys, names := loginArrays(u.Logins)
			args := append([]any{u.PoolID, u.Sub}, row...)
			args = append(args, tz(u.CreatedAt), keys, names)
			b.Queue(s.q(createUserSQL), args...)
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// Schema returns the store's schema name.
func Schema(s *Store) string { return s.schema }

// EncodeCursor and DecodeCursor expose the store's reading of cursors to
// the tests: storage's codec, with the store's own check of the keys.
var EncodeCursor = storage.EncodeCursor

func DecodeCursor(kind, cursor string) (key, sub string, err error) {
	pos, err := parsePage(kind, storage.PageRequest{Limit: 1, Cursor: cursor})
	if err != nil {
		return "", "", err
	}
	if pos == nil { // no cursor at all
		return "", "", storage.ErrBadCursor
	}
	return pos.Key, pos.Sub, nil
}
