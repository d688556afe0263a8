package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/userpool/userpool/storage"
)

// ListUsers implements [storage.Users].
//
// Every filter is served by an index ending in sub: users_by_<attribute>
// for an attribute, the primary key for sub, users_by_username otherwise.
// A prefix becomes the range col >= prefix AND col < successor(prefix),
// never LIKE, so '%' and '_' are ordinary characters and the scan reads
// only matching entries. Pages continue from a keyset cursor, the row
// value (col, sub) of the last user, rather than an OFFSET that would
// re-read every earlier row.
func (s *Store) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	var none storage.Page[storage.User]
	query, args, kind, err := listUsersSQL(poolID, q)
	if err != nil {
		return none, translate("list users", err)
	}
	st, err := s.prepared(ctx, query)
	if err != nil {
		return none, translate("list users", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return none, translate("list users", err)
	}
	items, err := listUsers(rows, poolID, sizeHint(q.Limit))
	if err != nil {
		return none, translate("list users", err)
	}
	col := orderColumn(q.Attribute)
	return pageOf(items, q.Limit, func(u storage.User) cursor {
		switch col {
		case "sub":
			return cursor{Kind: kind, Val: u.Sub}
		case "username":
			return cursor{Kind: kind, Val: u.Username, Key: u.Sub}
		}
		return cursor{Kind: kind, Val: storage.Fold(u.Attributes[col]), Key: u.Sub}
	}), nil
}

// orderColumn is the column a listing filters and orders on.
func orderColumn(attribute string) string {
	if attribute == "" {
		return "username"
	}
	return attribute
}

// listUsersSQL builds the query for q. Column names come only from the
// fixed set checked here, never from input, and values are bound.
func listUsersSQL(poolID string, q storage.UserQuery) (query string, args []any, kind string, err error) {
	if err := checkLimit(q.Limit); err != nil {
		return "", nil, "", err
	}
	col := orderColumn(q.Attribute)
	value := q.Value
	switch {
	case col == "username" || col == "sub":
	case slices.Contains(storage.Searchable, col):
		value = storage.Fold(value)
	default:
		return "", nil, "", fmt.Errorf("attribute %q is not searchable", q.Attribute)
	}
	kind = "users/" + col
	c, after, err := parseCursor(q.Cursor, kind)
	if err != nil {
		return "", nil, "", err
	}

	var b strings.Builder
	b.WriteString(`SELECT ` + userCols + ` FROM users WHERE pool_id = ?`)
	args = append(args, poolID)
	if q.Attribute != "" {
		if q.Prefix {
			b.WriteString(` AND ` + col + ` >= ?`)
			args = append(args, value)
			if end, ok := successor(value); ok {
				b.WriteString(` AND ` + col + ` < ?`)
				args = append(args, end)
			}
		} else {
			b.WriteString(` AND ` + col + ` = ?`)
			args = append(args, value)
		}
	}
	if q.Status != "" {
		b.WriteString(` AND status = ?`)
		args = append(args, q.Status)
	}
	if q.Enabled != nil {
		b.WriteString(` AND enabled = ?`)
		args = append(args, *q.Enabled)
	}
	if after {
		if col == "sub" {
			b.WriteString(` AND sub > ?`)
			args = append(args, c.Val)
		} else {
			b.WriteString(` AND (` + col + `, sub) > (?, ?)`)
			args = append(args, c.Val, c.Key)
		}
	}
	if col == "sub" {
		b.WriteString(` ORDER BY sub`)
	} else {
		b.WriteString(` ORDER BY ` + col + `, sub`)
	}
	b.WriteString(` LIMIT ?`)
	args = append(args, q.Limit+1)
	return b.String(), args, kind, nil
}

// successor returns the smallest string greater than every string with
// the given prefix: the prefix with its last byte that is not 0xff
// incremented and the rest dropped. SQLite compares TEXT bytewise (BINARY
// collation), as Go compares strings, so col >= p AND col < successor(p)
// is exactly the strings with prefix p. ok is false when there is no
// bound (p is empty or all 0xff bytes).
func successor(p string) (string, bool) {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}
