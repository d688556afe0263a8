package jsonstore

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// CreateGroup stores g; names are compared exactly.
func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	return change(ctx, s, func(d *data) error {
		p, err := d.pool(g.PoolID)
		if err != nil {
			return err
		}
		if _, ok := p.Groups[g.Name]; ok {
			return fmt.Errorf("jsonstore: group %q: %w", g.Name, storage.ErrConflict)
		}
		p.Groups[g.Name] = clone(g)
		return nil
	})
}

// group returns a group's pool and record, or an error matching
// storage.ErrNotFound.
func (d *data) group(poolID, name string) (*pool, storage.Group, error) {
	p := d.poolOrEmpty(poolID)
	g, ok := p.Groups[name]
	if !ok {
		return nil, storage.Group{}, fmt.Errorf("jsonstore: group %q: %w", name, storage.ErrNotFound)
	}
	return p, g, nil
}

// GetGroup returns a group.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	return view(ctx, s, func(d *data) (storage.Group, error) {
		_, g, err := d.group(poolID, name)
		return clone(g), err
	})
}

// UpdateGroup replaces Description, RoleARN, Precedence and UpdatedAt.
func (s *Store) UpdateGroup(ctx context.Context, g storage.Group) error {
	return change(ctx, s, func(d *data) error {
		p, cur, err := d.group(g.PoolID, g.Name)
		if err != nil {
			return err
		}
		g = clone(g)
		cur.Description, cur.RoleARN, cur.Precedence, cur.UpdatedAt = g.Description, g.RoleARN, g.Precedence, g.UpdatedAt
		p.Groups[g.Name] = cur
		return nil
	})
}

// DeleteGroup removes a group and its memberships.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.group(poolID, name)
		if err != nil {
			return err
		}
		delete(p.Groups, name)
		delete(p.Members, name)
		return nil
	})
}

// ListGroups returns a pool's groups ordered by name.
func (s *Store) ListGroups(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groups", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.Group], error) {
		all := slices.Collect(maps.Values(d.poolOrEmpty(poolID).Groups))
		return paginate("groups", all, groupName, after, req.Limit), nil
	})
}

var groupName = byKey(func(g storage.Group) string { return g.Name })

// AddMember puts an existing user in an existing group; twice is harmless.
func (s *Store) AddMember(ctx context.Context, poolID, group, sub string) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.group(poolID, group)
		if err != nil {
			return err
		}
		if _, _, err := d.user(poolID, sub); err != nil {
			return err
		}
		if p.Members[group] == nil {
			p.Members[group] = map[string]bool{}
		}
		p.Members[group][sub] = true
		return nil
	})
}

// RemoveMember takes a user out of a group; removing a non-member is
// harmless.
func (s *Store) RemoveMember(ctx context.Context, poolID, group, sub string) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.group(poolID, group)
		if err != nil {
			return err
		}
		delete(p.Members[group], sub)
		return nil
	})
}

// GroupsOfUser returns the user's groups ordered by name; an unknown user
// has none. Groups are few, so scanning them all is cheaper than keeping
// a second index.
func (s *Store) GroupsOfUser(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groupsOfUser", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.Group], error) {
		p := d.poolOrEmpty(poolID)
		var mine []storage.Group
		for name, members := range p.Members {
			if members[sub] {
				mine = append(mine, p.Groups[name])
			}
		}
		return paginate("groupsOfUser", mine, groupName, after, req.Limit), nil
	})
}

// MembersOfGroup returns the group's users ordered by sub.
func (s *Store) MembersOfGroup(ctx context.Context, poolID, group string, req storage.PageRequest) (storage.Page[storage.User], error) {
	after, err := parsePage("members", req)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.User], error) {
		p, _, err := d.group(poolID, group)
		if err != nil {
			return storage.Page[storage.User]{}, err
		}
		var users []storage.User
		for sub := range p.Members[group] {
			users = append(users, p.Users[sub].WithoutSecrets())
		}
		return paginate("members", users, byKey(func(u storage.User) string { return u.Sub }), after, req.Limit), nil
	})
}
