package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/userpool/userpool/storage"
)

// sortable lists the orders ListUsers can page in: username (no filter),
// sub, and each searchable attribute. Each is a users column with an index
// on (pool_id, column, sub) (the primary key for sub).
var sortable = append([]string{"username", "sub"}, searchableColumns...)

// ListUsers returns a page of the users matching q, ordered by the
// filtered column (username without a filter) and then sub.
func (s *Store) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	lq, err := s.listUsersQuery(poolID, q)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.User]{}, err
	}
	if lq.none {
		return storage.Page[storage.User]{}, nil
	}
	rows, err := s.db.Query(ctx, lq.sql, lq.args...)
	if err != nil {
		return storage.Page[storage.User]{}, dbErr("list users", err)
	}
	defer rows.Close()
	var page storage.Page[storage.User]
	var lastKey *string
	for rows.Next() {
		if len(page.Items) == q.Limit {
			// One more match exists, so there is a next page; it starts
			// after the last user returned.
			last := page.Items[len(page.Items)-1]
			pos := storage.Position{Key: last.Sub}
			if lq.col != "sub" {
				pos = storage.Position{Key: *lastKey, Sub: last.Sub}
			}
			page.Next = pos.Cursor(lq.kind)
			break
		}
		u, err := scanUser(rows, &lastKey)
		if err != nil {
			return storage.Page[storage.User]{}, dbErr("list users", err)
		}
		page.Items = append(page.Items, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return storage.Page[storage.User]{}, dbErr("list users", err)
	}
	return page, nil
}

// listQuery is the SQL of one ListUsers page.
type listQuery struct {
	kind string // the cursor's listing
	col  string // the column ordered by, read after userColumns
	sql  string
	args []any
	none bool // nothing can match: skip the query
}

// listUsersQuery builds the query of one ListUsers page: one range scan of
// the ordering column's index. Equality is col = v; a prefix is
// col >= p AND col < prefixEnd(p), two plain parameters, so even a generic
// plan scans only the range; the cursor continues with
// (col, sub) > (key, sub). Only Status and Enabled are checked row by row.
// One row more than the page is read, to know whether a next page exists.
func (s *Store) listUsersQuery(poolID string, q storage.UserQuery) (listQuery, error) {
	col := q.Attribute
	if col == "" {
		col = "username"
	}
	if !slices.Contains(sortable, col) {
		return listQuery{}, fmt.Errorf("postgres: cannot filter users on %q", q.Attribute)
	}
	lq := listQuery{kind: "users:" + col, col: col}
	after, err := parsePage(lq.kind, q.PageRequest)
	if err != nil {
		return listQuery{}, err
	}
	want := q.Value
	if col != "username" && col != "sub" {
		want = storage.Fold(want)
	}
	if q.Attribute != "" && !storable(want) || !storable(poolID) {
		lq.none = true // no stored value holds such bytes
		return lq, nil
	}

	var sb strings.Builder
	lq.args = []any{poolID}
	arg := func(v any) string {
		lq.args = append(lq.args, v)
		return "$" + strconv.Itoa(len(lq.args))
	}
	// col comes from sortable, never from the caller's bytes.
	fmt.Fprintf(&sb, "SELECT %s, u.%s FROM {users} u WHERE u.pool_id = $1", listedUserColumns, col)
	switch {
	case q.Attribute == "":
	case q.Prefix:
		fmt.Fprintf(&sb, " AND u.%s >= %s", col, arg(want))
		if end, ok := prefixEnd(want); ok {
			fmt.Fprintf(&sb, " AND u.%s < %s", col, arg(end))
		}
	default:
		fmt.Fprintf(&sb, " AND u.%s = %s", col, arg(want))
	}
	if q.Status != "" {
		fmt.Fprintf(&sb, " AND u.status = %s", arg(q.Status))
	}
	if q.Enabled != nil {
		fmt.Fprintf(&sb, " AND u.enabled = %s", arg(*q.Enabled))
	}
	order := "u." + col + ", u.sub"
	switch {
	case col == "sub":
		order = "u.sub"
		if after != nil {
			fmt.Fprintf(&sb, " AND u.sub > %s", arg(after.Key))
		}
	case after != nil:
		fmt.Fprintf(&sb, " AND (u.%s, u.sub) > (%s, %s)", col, arg(after.Key), arg(after.Sub))
	}
	fmt.Fprintf(&sb, " ORDER BY %s LIMIT %s", order, arg(q.Limit+1))
	lq.sql = s.q(sb.String())
	return lq, nil
}
