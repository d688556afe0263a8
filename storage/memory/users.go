package memory

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/userpool/userpool/storage"
)

// CreateUser stores u with Version 1, claiming its login keys.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, err := s.pool(u.PoolID)
	if err != nil {
		return err
	}
	if _, ok := p.users[u.Sub]; ok {
		return fmt.Errorf("memory: user %q: %w", u.Sub, storage.ErrConflict)
	}
	seen := make(map[string]bool, len(u.Logins))
	for _, l := range u.Logins {
		if _, taken := p.logins[l.Key]; taken || seen[l.Key] {
			return fmt.Errorf("memory: login %q: %w", l.Key, storage.ErrConflict)
		}
		seen[l.Key] = true
	}
	u = copyUser(u)
	u.Version = 1
	p.users[u.Sub] = u
	for _, l := range u.Logins {
		p.logins[l.Key] = u.Sub
	}
	p.reindex(nil, &u)
	return nil
}

// user returns a stored user of the pool poolID, or an error matching
// storage.ErrNotFound. The caller holds s.mu.
func (s *Store) user(poolID, sub string) (*pool, storage.User, error) {
	if p, ok := s.pools[poolID]; ok {
		if u, ok := p.users[sub]; ok {
			return p, u, nil
		}
	}
	return nil, storage.User{}, fmt.Errorf("memory: user %q: %w", sub, storage.ErrNotFound)
}

// GetUser returns the user with this sub.
func (s *Store) GetUser(ctx context.Context, poolID, sub string) (storage.User, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.User{}, err
	}
	defer s.mu.RUnlock()
	_, u, err := s.user(poolID, sub)
	if err != nil {
		return storage.User{}, err
	}
	return copyUser(u), nil
}

// UserByLogin returns the user holding the login key.
func (s *Store) UserByLogin(ctx context.Context, poolID, key string) (storage.User, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.User{}, err
	}
	defer s.mu.RUnlock()
	if p, ok := s.pools[poolID]; ok {
		if sub, ok := p.logins[key]; ok {
			return copyUser(p.users[sub]), nil
		}
	}
	return storage.User{}, fmt.Errorf("memory: login %q: %w", key, storage.ErrNotFound)
}

// userRef names a user across pools, for UpdateUsers calls that span more
// than one.
type userRef struct{ pool, sub string }

// loginRef names a login key across pools.
type loginRef struct{ pool, key string }

// UpdateUsers replaces the given users, all or none. It checks everything
// first and only then writes, so a refused call changes nothing.
func (s *Store) UpdateUsers(ctx context.Context, users ...storage.User) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()

	inCall := make(map[userRef]bool, len(users))
	for _, u := range users {
		_, cur, err := s.user(u.PoolID, u.Sub)
		if err != nil {
			return err
		}
		if cur.Version != u.Version {
			return fmt.Errorf("memory: user %q: version %d, stored %d: %w", u.Sub, u.Version, cur.Version, storage.ErrConflict)
		}
		ref := userRef{u.PoolID, u.Sub}
		if inCall[ref] {
			// The second copy would be stale once the first is written.
			return fmt.Errorf("memory: user %q given twice: %w", u.Sub, storage.ErrConflict)
		}
		inCall[ref] = true
	}
	// A key may come from a user of this call (moved or kept), never from
	// one outside it, and may be claimed only once.
	claimed := make(map[loginRef]bool)
	for _, u := range users {
		p := s.pools[u.PoolID]
		for _, l := range u.Logins {
			ref := loginRef{u.PoolID, l.Key}
			holder, taken := p.logins[l.Key]
			if claimed[ref] || taken && !inCall[userRef{u.PoolID, holder}] {
				return fmt.Errorf("memory: login %q: %w", l.Key, storage.ErrConflict)
			}
			claimed[ref] = true
		}
	}

	// Free every old key before claiming new ones, so moves between users
	// of the call work in any order.
	for _, u := range users {
		p := s.pools[u.PoolID]
		for _, l := range p.users[u.Sub].Logins {
			delete(p.logins, l.Key)
		}
	}
	for _, u := range users {
		p := s.pools[u.PoolID]
		old := p.users[u.Sub]
		u = copyUser(u)
		u.CreatedAt = old.CreatedAt
		u.Version = old.Version + 1
		p.users[u.Sub] = u
		for _, l := range u.Logins {
			p.logins[l.Key] = u.Sub
		}
		p.reindex(&old, &u)
	}
	return nil
}

// DeleteUser removes a user with its logins, memberships, codes, refresh
// tokens and devices.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, u, err := s.user(poolID, sub)
	if err != nil {
		return err
	}
	for _, l := range u.Logins {
		delete(p.logins, l.Key)
	}
	p.reindex(&u, nil)
	delete(p.users, sub)
	for _, g := range p.groupsOf.keys(sub) {
		p.members.remove(g, sub)
	}
	delete(p.groupsOf, sub)
	delete(p.codes, sub)
	for _, h := range p.tokensOf.keys(sub) {
		p.deleteToken(h)
	}
	for _, k := range p.devicesOf.keys(sub) {
		delete(p.devices, k)
	}
	delete(p.devicesOf, sub)
	return nil
}

// ListUsers returns a page of the users matching q, in the order of the
// filtered attribute's index (username without a filter). Equality and
// prefix matches are contiguous in the index, so the scan starts at the
// first candidate and stops at the first key past them; only Status and
// Enabled are checked record by record.
func (s *Store) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	name := q.Attribute
	if name == "" {
		name = "username"
	}
	if !slices.Contains(sortable, name) {
		return storage.Page[storage.User]{}, fmt.Errorf("memory: cannot filter users on %q", q.Attribute)
	}
	kind := "users:" + name
	after, err := parsePage(kind, q.PageRequest)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.User]{}, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return storage.Page[storage.User]{}, nil
	}

	want := q.Value
	if name != "username" && name != "sub" {
		want = storage.Fold(want)
	}
	matches := func(key string) bool {
		switch {
		case q.Attribute == "":
			return true
		case q.Prefix:
			return strings.HasPrefix(key, want)
		default:
			return key == want
		}
	}
	x := p.index[name]
	i := 0
	if q.Attribute != "" {
		i = x.from(entry{key: want})
	}
	if after != nil {
		i = max(i, x.after(entry{after.Key, after.Sub}))
	}

	var page storage.Page[storage.User]
	page.Items = make([]storage.User, 0, min(q.Limit, len(x.entries)-i))
	for ; i < len(x.entries) && matches(x.entries[i].key); i++ {
		e := x.entries[i]
		u := p.users[e.sub]
		if q.Status != "" && u.Status != q.Status || q.Enabled != nil && u.Enabled != *q.Enabled {
			continue
		}
		if len(page.Items) == q.Limit {
			// One more match exists, so there is a next page; it starts
			// after the last record returned.
			last := page.Items[len(page.Items)-1]
			k, _ := sortKey(&last, name)
			page.Next = storage.Position{Key: k, Sub: last.Sub}.Cursor(kind)
			break
		}
		page.Items = append(page.Items, copyUser(u.WithoutSecrets()))
	}
	return page, nil
}

// CountUsers returns the number of users in the pool (0 without the pool).
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	if err := s.rlock(ctx); err != nil {
		return 0, err
	}
	defer s.mu.RUnlock()
	if p, ok := s.pools[poolID]; ok {
		return len(p.users), nil
	}
	return 0, nil
}
