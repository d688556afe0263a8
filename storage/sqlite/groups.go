package sqlite

import (
	"context"
	"database/sql"

	"github.com/userpool/userpool/storage"
)

const groupCols = `pool_groups.pool_id, pool_groups.name, pool_groups.description, pool_groups.role_arn,
	pool_groups.precedence, pool_groups.created_at, pool_groups.updated_at`

func scanGroup(row scanner) (storage.Group, error) {
	var (
		g    storage.Group
		prec sql.NullInt64
	)
	err := row.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &prec, timeCol{&g.CreatedAt}, timeCol{&g.UpdatedAt})
	if prec.Valid {
		g.Precedence = &prec.Int64
	}
	return g, err
}

// CreateGroup implements [storage.Groups].
func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	ts, err := times(g.CreatedAt, g.UpdatedAt)
	if err != nil {
		return translate("create group", err)
	}
	return translate("create group", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO pool_groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, ts[0], ts[1])
		return err
	}))
}

// GetGroup implements [storage.Groups].
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	g, err := scanGroup(s.r.QueryRowContext(ctx, `SELECT `+groupCols+` FROM pool_groups WHERE pool_id = ? AND name = ?`, poolID, name))
	return g, translate("get group", err)
}

// UpdateGroup implements [storage.Groups].
func (s *Store) UpdateGroup(ctx context.Context, g storage.Group) error {
	at, err := enc(g.UpdatedAt)
	if err != nil {
		return translate("update group", err)
	}
	return translate("update group", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `UPDATE pool_groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ?
			WHERE pool_id = ? AND name = ?`, g.Description, g.RoleARN, g.Precedence, at, g.PoolID, g.Name)
		if err == nil && n == 0 {
			err = notFound("update group")
		}
		return err
	}))
}

// DeleteGroup implements [storage.Groups]; memberships go by ON DELETE
// CASCADE in the same statement.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return translate("delete group", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM pool_groups WHERE pool_id = ? AND name = ?`, poolID, name)
		if err == nil && n == 0 {
			err = notFound("delete group")
		}
		return err
	}))
}

// ListGroups implements [storage.Groups].
func (s *Store) ListGroups(ctx context.Context, poolID string, page storage.PageRequest) (storage.Page[storage.Group], error) {
	return s.listGroups(ctx, "list groups", "groups",
		`SELECT `+groupCols+` FROM pool_groups WHERE pool_id = ?`, []any{poolID}, page)
}

// GroupsOfUser implements [storage.Groups]. An unknown user has no groups.
func (s *Store) GroupsOfUser(ctx context.Context, poolID, sub string, page storage.PageRequest) (storage.Page[storage.Group], error) {
	return s.listGroups(ctx, "groups of user", "user-groups",
		`SELECT `+groupCols+` FROM members JOIN pool_groups
			ON pool_groups.pool_id = members.pool_id AND pool_groups.name = members.group_name
			WHERE members.pool_id = ? AND members.sub = ?`, []any{poolID, sub}, page)
}

// listGroups pages through groups selected by base, ordered by name.
func (s *Store) listGroups(ctx context.Context, op, kind, base string, args []any, page storage.PageRequest) (storage.Page[storage.Group], error) {
	var none storage.Page[storage.Group]
	if err := checkLimit(page.Limit); err != nil {
		return none, translate(op, err)
	}
	c, after, err := parseCursor(page.Cursor, kind)
	if err != nil {
		return none, translate(op, err)
	}
	if after {
		base, args = base+` AND pool_groups.name > ?`, append(args, c.Val)
	}
	rows, err := s.r.QueryContext(ctx, base+` ORDER BY pool_groups.name LIMIT ?`, append(args, page.Limit+1)...)
	if err != nil {
		return none, translate(op, err)
	}
	items, err := collect(rows, sizeHint(page.Limit), func() (storage.Group, error) { return scanGroup(rows) })
	if err != nil {
		return none, translate(op, err)
	}
	return pageOf(items, page.Limit, func(g storage.Group) cursor { return cursor{Kind: kind, Val: g.Name} }), nil
}

// AddMember implements [storage.Groups]. The foreign keys to the group and
// the user turn a missing one into ErrNotFound; ON CONFLICT only covers the
// primary key, so adding twice is a no-op.
func (s *Store) AddMember(ctx context.Context, poolID, group, sub string) error {
	return translate("add member", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO members (pool_id, group_name, sub) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, poolID, group, sub)
		return err
	}))
}

// RemoveMember implements [storage.Groups].
func (s *Store) RemoveMember(ctx context.Context, poolID, group, sub string) error {
	return translate("remove member", s.write(ctx, func(tx *wtx) error {
		if err := groupExists(tx.queryRow(ctx, `SELECT 1 FROM pool_groups WHERE pool_id = ? AND name = ?`, poolID, group)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM members WHERE pool_id = ? AND group_name = ? AND sub = ?`, poolID, group, sub)
		return err
	}))
}

// groupExists turns an empty existence check into ErrNotFound.
func groupExists(row scanner) error {
	var one int
	err := row.Scan(&one)
	if err == sql.ErrNoRows {
		return notFound("group")
	}
	return err
}

// MembersOfGroup implements [storage.Groups]. The existence check and the
// page are read in one transaction, so they agree.
func (s *Store) MembersOfGroup(ctx context.Context, poolID, group string, page storage.PageRequest) (storage.Page[storage.User], error) {
	const kind = "members"
	var out storage.Page[storage.User]
	if err := checkLimit(page.Limit); err != nil {
		return out, translate("members of group", err)
	}
	c, after, err := parseCursor(page.Cursor, kind)
	if err != nil {
		return out, translate("members of group", err)
	}
	q, args := `SELECT `+userCols+` FROM members JOIN users
		ON users.pool_id = members.pool_id AND users.sub = members.sub
		WHERE members.pool_id = ? AND members.group_name = ?`, []any{poolID, group}
	if after {
		q, args = q+` AND members.sub > ?`, append(args, c.Val)
	}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if err := groupExists(tx.QueryRowContext(ctx, `SELECT 1 FROM pool_groups WHERE pool_id = ? AND name = ?`, poolID, group)); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, q+` ORDER BY members.sub LIMIT ?`, append(args, page.Limit+1)...)
		if err != nil {
			return err
		}
		items, err := listUsers(rows, poolID, sizeHint(page.Limit))
		if err != nil {
			return err
		}
		out = pageOf(items, page.Limit, func(u storage.User) cursor { return cursor{Kind: kind, Val: u.Sub} })
		return nil
	})
	return out, translate("members of group", err)
}
