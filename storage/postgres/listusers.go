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
// on (pool_id, column, sub).
var sortable = append([]string{"username", "sub"}, searchableColumns...)

// ListUsers returns a page of the users matching q, ordered by the
// filtered column (username without a filter) and then sub.
//
// The query is one range scan of that column's index: equality is
// col = v, a prefix is col >= p AND col < prefixEnd(p) (both plain
// parameters, so even a generic plan scans only the range), and the cursor
// continues with (col, sub) > (key, sub). Only Status and Enabled are
// checked row by row. One row more than the page is read, to know whether
// a next page exists.
func (s *Store) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	col := q.Attribute
	if col == "" {
		col = "username"
	}
	if !slices.Contains(sortable, col) {
		return storage.Page[storage.User]{}, fmt.Errorf("postgres: cannot filter users on %q", q.Attribute)
	}
	kind := "users:" + col
	after, err := parsePage(kind, q.PageRequest)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.User]{}, err
	}
	want := q.Value
	if col != "username" && col != "sub" {
		want = storage.Fold(want)
	}
	if q.Attribute != "" && !storable(want) {
		// No stored value holds such bytes.
		return storage.Page[storage.User]{}, nil
	}

	var sb strings.Builder
	args := []any{poolID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// col comes from sortable, never from the caller's bytes.
	fmt.Fprintf(&sb, "SELECT %s, u.%s FROM {users} u WHERE u.pool_id = $1", userColumns, col)
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
	if col == "sub" {
		order = "u.sub"
		if after != nil {
			fmt.Fprintf(&sb, " AND u.sub > %s", arg(after.key))
		}
	} else if after != nil {
		fmt.Fprintf(&sb, " AND (u.%s, u.sub) > (%s, %s)", col, arg(after.key), arg(after.sub))
	}
	fmt.Fprintf(&sb, " ORDER BY %s LIMIT %s", order, arg(q.Limit+1))

	rows, err := s.db.Query(ctx, s.q(sb.String()), args...)
	if err != nil {
		return storage.Page[storage.User]{}, dbErr("list users", err)
	}
	defer rows.Close()
	var page storage.Page[storage.User]
	var lastKey string
	for rows.Next() {
		if len(page.Items) == q.Limit {
			last := page.Items[len(page.Items)-1]
			pos := position{key: lastKey, sub: last.Sub}
			if col == "sub" {
				pos = position{key: last.Sub}
			}
			page.Next = encodeCursor(kind, pos)
			break
		}
		var u storage.User
		var key *string
		u, err = scanUser(rows, &key)
		if err != nil {
			return storage.Page[storage.User]{}, dbErr("list users", err)
		}
		if key != nil {
			lastKey = *key
		}
		page.Items = append(page.Items, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return storage.Page[storage.User]{}, dbErr("list users", err)
	}
	return page, nil
}
