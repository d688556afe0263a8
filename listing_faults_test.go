package userpool_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

var errInjected = errors.New("injected store failure")

// faultyStore fails the one method named in fail; the rest pass through.
// ListGroups can instead report a pool that is full.
type faultyStore struct {
	storage.Store
	mu       sync.Mutex
	fail     string
	failWith error
	full     bool
}

func (s *faultyStore) check(method string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail == method {
		if s.failWith != nil {
			return s.failWith
		}
		return errInjected
	}
	return nil
}

func (s *faultyStore) set(method string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail, s.failWith = method, err
}

func (s *faultyStore) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	if err := s.check("GetPool"); err != nil {
		return storage.Pool{}, err
	}
	return s.Store.GetPool(ctx, id)
}

func (s *faultyStore) UpdatePool(ctx context.Context, p storage.Pool) error {
	if err := s.check("UpdatePool"); err != nil {
		return err
	}
	return s.Store.UpdatePool(ctx, p)
}

func (s *faultyStore) UserByLogin(ctx context.Context, poolID, key string) (storage.User, error) {
	if err := s.check("UserByLogin"); err != nil {
		return storage.User{}, err
	}
	return s.Store.UserByLogin(ctx, poolID, key)
}

func (s *faultyStore) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	if err := s.check("ListUsers"); err != nil {
		return storage.Page[storage.User]{}, err
	}
	return s.Store.ListUsers(ctx, poolID, q)
}

func (s *faultyStore) CreateGroup(ctx context.Context, g storage.Group) error {
	if err := s.check("CreateGroup"); err != nil {
		return err
	}
	return s.Store.CreateGroup(ctx, g)
}

func (s *faultyStore) GetGroup(ctx context.Context, poolID, name string) (storage.Group, error) {
	if err := s.check("GetGroup"); err != nil {
		return storage.Group{}, err
	}
	return s.Store.GetGroup(ctx, poolID, name)
}

func (s *faultyStore) UpdateGroup(ctx context.Context, g storage.Group) error {
	if err := s.check("UpdateGroup"); err != nil {
		return err
	}
	return s.Store.UpdateGroup(ctx, g)
}

func (s *faultyStore) DeleteGroup(ctx context.Context, poolID, name string) error {
	if err := s.check("DeleteGroup"); err != nil {
		return err
	}
	return s.Store.DeleteGroup(ctx, poolID, name)
}

func (s *faultyStore) ListGroups(ctx context.Context, poolID string, page storage.PageRequest) (storage.Page[storage.Group], error) {
	if err := s.check("ListGroups"); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	s.mu.Lock()
	full := s.full
	s.mu.Unlock()
	if full {
		return storage.Page[storage.Group]{Items: make([]storage.Group, page.Limit), Next: "more"}, nil
	}
	return s.Store.ListGroups(ctx, poolID, page)
}

func (s *faultyStore) AddMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.check("AddMember"); err != nil {
		return err
	}
	return s.Store.AddMember(ctx, poolID, group, sub)
}

func (s *faultyStore) RemoveMember(ctx context.Context, poolID, group, sub string) error {
	if err := s.check("RemoveMember"); err != nil {
		return err
	}
	return s.Store.RemoveMember(ctx, poolID, group, sub)
}

func (s *faultyStore) GroupsOfUser(ctx context.Context, poolID, sub string, page storage.PageRequest) (storage.Page[storage.Group], error) {
	if err := s.check("GroupsOfUser"); err != nil {
		return storage.Page[storage.Group]{}, err
	}
	return s.Store.GroupsOfUser(ctx, poolID, sub, page)
}

func (s *faultyStore) MembersOfGroup(ctx context.Context, poolID, group string, page storage.PageRequest) (storage.Page[storage.User], error) {
	if err := s.check("MembersOfGroup"); err != nil {
		return storage.Page[storage.User]{}, err
	}
	return s.Store.MembersOfGroup(ctx, poolID, group, page)
}

// TestListingStoreFailures checks that each operation turns a failing
// store call into InternalError, and a record vanishing between two calls
// into the error Cognito gives for it.
func TestListingStoreFailures(t *testing.T) {
	ctx := context.Background()
	type op func(p *userpool.Pool) error
	createG := func(p *userpool.Pool) error {
		_, err := p.CreateGroup(ctx, userpool.GroupInput{GroupName: "new"})
		return err
	}
	getG := func(p *userpool.Pool) error { _, err := p.GetGroup(ctx, "g"); return err }
	updateG := func(p *userpool.Pool) error {
		_, err := p.UpdateGroup(ctx, "g", userpool.GroupUpdate{Description: new("d")})
		return err
	}
	deleteG := func(p *userpool.Pool) error { return p.DeleteGroup(ctx, "g") }
	listG := func(p *userpool.Pool) error { _, err := p.ListGroups(ctx, 1, ""); return err }
	addU := func(p *userpool.Pool) error { return p.AdminAddUserToGroup(ctx, "ana", "h") }
	removeU := func(p *userpool.Pool) error { return p.AdminRemoveUserFromGroup(ctx, "ana", "g") }
	groupsOf := func(p *userpool.Pool) error { _, err := p.AdminListGroupsForUser(ctx, "ana", 1, ""); return err }
	inGroup := func(p *userpool.Pool) error { _, err := p.ListUsersInGroup(ctx, "g", 1, ""); return err }
	listU := func(p *userpool.Pool) error {
		_, err := p.ListUsers(ctx, userpool.ListUsersInput{Limit: 1})
		return err
	}
	tests := []struct {
		name     string
		op       op
		method   string
		failWith error
		want     error
	}{
		{"CreateGroup counting", createG, "ListGroups", nil, userpool.ErrInternal},
		{"CreateGroup writing", createG, "CreateGroup", nil, userpool.ErrInternal},
		{"GetGroup", getG, "GetGroup", nil, userpool.ErrInternal},
		{"UpdateGroup reading", updateG, "GetGroup", nil, userpool.ErrInternal},
		{"UpdateGroup writing", updateG, "UpdateGroup", nil, userpool.ErrInternal},
		{"UpdateGroup of a group deleted meanwhile", updateG, "UpdateGroup", storage.ErrNotFound, userpool.ErrResourceNotFound},
		{"DeleteGroup", deleteG, "DeleteGroup", nil, userpool.ErrInternal},
		{"ListGroups", listG, "ListGroups", nil, userpool.ErrInternal},
		{"AdminAddUserToGroup group", addU, "GetGroup", nil, userpool.ErrInternal},
		{"AdminAddUserToGroup user", addU, "UserByLogin", nil, userpool.ErrInternal},
		{"AdminAddUserToGroup groups of user", addU, "GroupsOfUser", nil, userpool.ErrInternal},
		{"AdminAddUserToGroup writing", addU, "AddMember", nil, userpool.ErrInternal},
		{"AdminAddUserToGroup of a user deleted meanwhile", addU, "AddMember", storage.ErrNotFound, userpool.ErrUserNotFound},
		{"AdminRemoveUserFromGroup writing", removeU, "RemoveMember", nil, userpool.ErrInternal},
		{"AdminRemoveUserFromGroup of a group deleted meanwhile", removeU, "RemoveMember", storage.ErrNotFound, userpool.ErrResourceNotFound},
		{"AdminRemoveUserFromGroup user", removeU, "UserByLogin", nil, userpool.ErrInternal},
		{"AdminListGroupsForUser user", groupsOf, "UserByLogin", nil, userpool.ErrInternal},
		{"AdminListGroupsForUser groups", groupsOf, "GroupsOfUser", nil, userpool.ErrInternal},
		{"ListUsersInGroup", inGroup, "MembersOfGroup", nil, userpool.ErrInternal},
		{"ListUsers", listU, "ListUsers", nil, userpool.ErrInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &faultyStore{Store: memory.New()}
			p, err := userpool.New(ctx, "faults", userpool.WithStore(fs), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
				userpool.WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			lp := &listPool{Pool: p, store: fs, clock: newListClock()}
			lp.add(t, testUser{username: "ana"}, testUser{username: "bob"})
			for _, g := range []string{"g", "h"} {
				if _, err := p.CreateGroup(ctx, userpool.GroupInput{GroupName: g}); err != nil {
					t.Fatal(err)
				}
			}
			for _, u := range []string{"ana", "bob"} {
				if err := p.AdminAddUserToGroup(ctx, u, "g"); err != nil {
					t.Fatal(err)
				}
			}
			fs.set(tt.method, tt.failWith)
			err = tt.op(p)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if tt.failWith == nil && !errors.Is(err, errInjected) {
				t.Fatalf("error %v does not wrap the store's", err)
			}
		})
	}
}

func TestCreateGroupPoolLimit(t *testing.T) {
	ctx := context.Background()
	fs := &faultyStore{Store: memory.New(), full: true}
	p, err := userpool.New(ctx, "full", userpool.WithStore(fs), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.CreateGroup(ctx, userpool.GroupInput{GroupName: "one-too-many"})
	wantErr(t, err, userpool.ErrLimitExceeded, "The user pool has reached its limit of 10000 groups.")
}

// TestPageTokensAcrossInstances starts two instances on one store and has
// both issue tokens at once: each accepts the other's tokens, since both
// derive the key from the secret stored with the pool.
func TestPageTokensAcrossInstances(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	var pools []*userpool.Pool
	for range 2 {
		p, err := userpool.New(ctx, "racing", userpool.WithStore(store), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
		if err != nil {
			t.Fatal(err)
		}
		pools = append(pools, p)
	}
	lp := &listPool{Pool: pools[0], store: store, clock: newListClock()}
	lp.add(t, testUser{username: "a"}, testUser{username: "b"})
	tokens := make([]string, 16)
	var wg sync.WaitGroup
	for i := range tokens {
		wg.Go(func() {
			out, err := pools[i%2].ListUsers(ctx, userpool.ListUsersInput{Limit: 1})
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = out.PaginationToken
		})
	}
	wg.Wait()
	for i, token := range tokens {
		out, err := pools[(i+1)%2].ListUsers(ctx, userpool.ListUsersInput{Limit: 1, PaginationToken: token})
		if err != nil {
			t.Fatalf("token %d refused by the other instance: %v", i, err)
		}
		if got := usernames(out.Users); !slices.Equal(got, []string{"b"}) {
			t.Fatalf("token %d: got %v", i, got)
		}
	}
}
