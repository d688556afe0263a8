package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// CreateGroup stores g; names are compared exactly.
func (s *Store) CreateGroup(ctx context.Context, g storage.Group) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(g.PoolID)
	if err != nil {
		return err
	}
	if _, ok := p.groups[g.Name]; ok {
		return fmt.Errorf("memory: group %q: %w", g.Name, storage.ErrConflict)
	}
	p.groups[g.Name] = copyGroup(g)
	return nil
}

// group returns a stored group, or an error matching storage.ErrNotFound.
// The caller holds s.mu.
func (s *Store) group(poolID, name string) (*pool, storage.Group, error) {
	if p, ok := s.pools[poolID]; ok {
		if g, ok := p.groups[name]; ok {
			return p, g, nil
		}
	}
	return nil, storage.Group{}, fmt.Errorf("memory: group %q: %w", name, storage.ErrNotFound)
}

// GetGroup returns a group.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.Group{}, err
	}
	defer s.mu.RUnlock()
	_, g, err := s.group(poolID, name)
	if err != nil {
		return storage.Group{}, err
	}
	return copyGroup(g), nil
}

// UpdateGroup replaces Description, RoleARN, Precedence and UpdatedAt.
func (s *Store) UpdateGroup(ctx context.Context, g storage.Group) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, cur, err := s.group(g.PoolID, g.Name)
	if err != nil {
		return err
	}
	g = copyGroup(g)
	cur.Description, cur.RoleARN, cur.Precedence, cur.UpdatedAt = g.Description, g.RoleARN, g.Precedence, g.UpdatedAt
	p.groups[g.Name] = cur
	return nil
}

// DeleteGroup removes a group and its memberships.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.group(poolID, name)
	if err != nil {
		return err
	}
	for _, sub := range p.members.keys(name) {
		p.groupsOf.remove(sub, name)
	}
	delete(p.members, name)
	delete(p.groups, name)
	return nil
}

// ListGroups returns a pool's groups ordered by name.
func (s *Store) ListGroups(ctx context.Context, poolID string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groups", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return storage.Page[storage.Group]{}, nil
	}
	return pageOf("groups", slices.Collect(maps.Keys(p.groups)), after, req.Limit,
		func(name string) storage.Group { return copyGroup(p.groups[name]) }), nil
}

// AddMember puts a user in a group; doing it twice is harmless.
func (s *Store) AddMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.group(poolID, group)
	if err != nil {
		return err
	}
	if _, _, err := s.user(poolID, sub); err != nil {
		return err
	}
	p.members.add(group, sub)
	p.groupsOf.add(sub, group)
	return nil
}

// RemoveMember takes a user out of a group; removing a non-member is
// harmless.
func (s *Store) RemoveMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.group(poolID, group)
	if err != nil {
		return err
	}
	p.members.remove(group, sub)
	p.groupsOf.remove(sub, group)
	return nil
}

// GroupsOfUser returns the user's groups ordered by name; an unknown user
// has none.
func (s *Store) GroupsOfUser(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Group], error) {
	after, err := parsePage("groupsOfUser", req)
	if err != nil {
		return storage.Page[storage.Group]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return storage.Page[storage.Group]{}, nil
	}
	return pageOf("groupsOfUser", p.groupsOf.keys(sub), after, req.Limit,
		func(name string) storage.Group { return copyGroup(p.groups[name]) }), nil
}

// MembersOfGroup returns the group's users ordered by sub.
func (s *Store) MembersOfGroup(ctx context.Context, poolID, group string, req storage.PageRequest) (storage.Page[storage.User], error) {
	after, err := parsePage("members", req)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.User]{}, err
	}
	defer s.mu.RUnlock()
	p, _, err := s.group(poolID, group)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	return pageOf("members", p.members.keys(group), after, req.Limit,
		func(sub string) storage.User { return copyUser(p.users[sub].WithoutSecrets()) }), nil
}
