package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// CreateGroup stores g; names are compared exactly (COLLATE "C").
func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {groups} (pool_id, name, description, role_arn, precedence, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`),
		g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, tz(g.CreatedAt), tz(g.UpdatedAt))
	return dbErr(fmt.Sprintf("group %q", g.Name), err)
}

const groupColumns = "g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.updated_at"

func scanGroup(row pgx.Row) (storage.Group, error) {
	var g storage.Group
	var created, updated *time.Time
	err := row.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleARN, &g.Precedence, &created, &updated)
	g.CreatedAt, g.UpdatedAt = fromTZ(created), fromTZ(updated)
	return g, err
}

func collectGroups(rows pgx.Rows) ([]storage.Group, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Group, error) { return scanGroup(r) })
}

// GetGroup returns a group.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Group{}, err
	}
	what := fmt.Sprintf("group %q", name)
	if !storable(poolID) || !storable(name) {
		return storage.Group{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	g, err := scanGroup(s.db.QueryRow(ctx, s.q("SELECT "+groupColumns+" FROM {groups} g WHERE g.pool_id = $1 AND g.name = $2"), poolID, name))
	if err != nil {
		return storage.Group{}, dbErr(what, err)
	}
	return g, nil
}

// UpdateGroup replaces Description, RoleARN, Precedence and UpdatedAt.
func (s *Store) UpdateGroup(ctx context.Context, g storage.Group) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q(`UPDATE {groups} SET description = $3, role_arn = $4, precedence = $5, updated_at = $6
		WHERE pool_id = $1 AND name = $2`), g.PoolID, g.Name, g.Description, g.RoleARN, g.Precedence, tz(g.UpdatedAt))
	return deleted(fmt.Sprintf("group %q", g.Name), tag.RowsAffected(), err)
}

// DeleteGroup removes a group; its memberships go by cascade.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {groups} WHERE pool_id = $1 AND name = $2"), poolID, name)
	return deleted(fmt.Sprintf("group %q", name), tag.RowsAffected(), err)
}

// ListGroups returns a pool's groups ordered by name.
func (s *Store) ListGroups(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groups", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	rows, err := s.db.Query(ctx, s.q("SELECT "+groupColumns+" FROM {groups} g WHERE g.pool_id = $1 AND g.name > $2 ORDER BY g.name LIMIT $3"),
		poolID, afterKey(after), req.Limit+1)
	if err != nil {
		return storage.Page[storage.Group]{}, dbErr("list groups", err)
	}
	items, err := collectGroups(rows)
	if err != nil {
		return storage.Page[storage.Group]{}, dbErr("list groups", err)
	}
	return pageByKey("groups", items, req.Limit, func(g storage.Group) string { return g.Name }), nil
}

// AddMember puts a user in a group; doing it twice is harmless. The
// foreign keys refuse a missing group or user.
func (s *Store) AddMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, s.q(`INSERT INTO {members} (pool_id, group_name, sub) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`), poolID, group, sub)
	return dbErr(fmt.Sprintf("add user %q to group %q", sub, group), err)
}

// RemoveMember takes a user out of a group; removing a non-member is
// harmless, but the group must exist.
func (s *Store) RemoveMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	what := fmt.Sprintf("remove user %q from group %q", sub, group)
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {members} WHERE pool_id = $1 AND group_name = $2 AND sub = $3"), poolID, group, sub)
	if err != nil {
		return dbErr(what, err)
	}
	if tag.RowsAffected() == 0 {
		return s.groupExists(ctx, poolID, group)
	}
	return nil
}

// groupExists returns nil if the group exists, else an error matching
// storage.ErrNotFound.
func (s *Store) groupExists(ctx context.Context, poolID, group string) error {
	var one int
	err := s.db.QueryRow(ctx, s.q("SELECT 1 FROM {groups} WHERE pool_id = $1 AND name = $2"), poolID, group).Scan(&one)
	return dbErr(fmt.Sprintf("group %q", group), err)
}

// GroupsOfUser returns the user's groups ordered by name; an unknown user
// has none.
func (s *Store) GroupsOfUser(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groupsOfUser", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	rows, err := s.db.Query(ctx, s.q(`SELECT `+groupColumns+` FROM {members} m
		JOIN {groups} g ON g.pool_id = m.pool_id AND g.name = m.group_name
		WHERE m.pool_id = $1 AND m.sub = $2 AND m.group_name > $3
		ORDER BY m.group_name LIMIT $4`), poolID, sub, afterKey(after), req.Limit+1)
	if err != nil {
		return storage.Page[storage.Group]{}, dbErr("groups of user", err)
	}
	items, err := collectGroups(rows)
	if err != nil {
		return storage.Page[storage.Group]{}, dbErr("groups of user", err)
	}
	return pageByKey("groupsOfUser", items, req.Limit, func(g storage.Group) string { return g.Name }), nil
}

// MembersOfGroup returns the group's users ordered by sub. The group's
// existence and the page are read in one repeatable-read transaction, so a
// group deleted in between cannot show as an empty group.
func (s *Store) MembersOfGroup(ctx context.Context, poolID, group string, req storage.PageRequest) (storage.Page[storage.User], error) {
	after, err := parsePage("members", req)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.User]{}, err
	}
	var items []storage.User
	err = pgx.BeginTxFunc(ctx, s.db, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, s.q("SELECT 1 FROM {groups} WHERE pool_id = $1 AND name = $2"), poolID, group).Scan(&one); err != nil {
			return dbErr(fmt.Sprintf("group %q", group), err)
		}
		rows, err := tx.Query(ctx, s.q(`SELECT `+listedUserColumns+` FROM {members} m
			JOIN {users} u ON u.pool_id = m.pool_id AND u.sub = m.sub
			WHERE m.pool_id = $1 AND m.group_name = $2 AND m.sub > $3
			ORDER BY m.sub LIMIT $4`), poolID, group, afterKey(after), req.Limit+1)
		if err != nil {
			return dbErr("members of group", err)
		}
		items, err = collectUsers(rows)
		return dbErr("members of group", err)
	})
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	return pageByKey("members", items, req.Limit, func(u storage.User) string { return u.Sub }), nil
}
