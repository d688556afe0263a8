package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

func createGroup(t *testing.T, s storage.Store, name string) storage.Group {
	t.Helper()
	g := storage.Group{PoolID: pid, Name: name, Description: "the " + name, CreatedAt: t0, UpdatedAt: t0}
	must(t, s.CreateGroup(t.Context(), g))
	return g
}

func groupNames(t *testing.T, s storage.Store, sub string, limit int) []string {
	t.Helper()
	var names []string
	for _, g := range listAll(t, limit, func(r storage.PageRequest) (storage.Page[storage.Group], error) {
		return s.GroupsOfUser(t.Context(), pid, sub, r)
	}) {
		names = append(names, g.Name)
	}
	return names
}

func memberSubs(t *testing.T, s storage.Store, group string, limit int) []string {
	t.Helper()
	var subs []string
	for _, u := range listAll(t, limit, func(r storage.PageRequest) (storage.Page[storage.User], error) {
		return s.MembersOfGroup(t.Context(), pid, group, r)
	}) {
		subs = append(subs, u.Sub)
	}
	return subs
}

var groupTests = []test{
	{"CreateGetUpdate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		prec := int64(3)
		g := storage.Group{PoolID: pid, Name: "admins", Description: "d", RoleARN: "arn:aws:iam::1:role/a", Precedence: &prec, CreatedAt: t0, UpdatedAt: t0}
		must(t, s.CreateGroup(t.Context(), g))
		got, err := s.GetGroup(t.Context(), pid, "admins")
		must(t, err)
		equal(t, "GetGroup", got, g)
		g.Description, g.RoleARN, g.Precedence, g.UpdatedAt = "e", "", nil, t0.Add(time.Second)
		must(t, s.UpdateGroup(t.Context(), g))
		got, err = s.GetGroup(t.Context(), pid, "admins")
		must(t, err)
		equal(t, "GetGroup after UpdateGroup", got, g)
	}},
	{"CreateDuplicate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createGroup(t, s, "admins")
		wantErr(t, "second CreateGroup", s.CreateGroup(t.Context(), storage.Group{PoolID: pid, Name: "admins"}), storage.ErrConflict)
		createGroup(t, s, "Admins") // names compare exactly
	}},
	{"Missing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		_, err := s.GetGroup(t.Context(), pid, "g")
		wantErr(t, "GetGroup", err, storage.ErrNotFound)
		wantErr(t, "UpdateGroup", s.UpdateGroup(t.Context(), storage.Group{PoolID: pid, Name: "g"}), storage.ErrNotFound)
		wantErr(t, "DeleteGroup", s.DeleteGroup(t.Context(), pid, "g"), storage.ErrNotFound)
		wantErr(t, "AddMember", s.AddMember(t.Context(), pid, "g", "s1"), storage.ErrNotFound)
		wantErr(t, "RemoveMember", s.RemoveMember(t.Context(), pid, "g", "s1"), storage.ErrNotFound)
		_, err = s.MembersOfGroup(t.Context(), pid, "g", storage.PageRequest{Limit: 1})
		wantErr(t, "MembersOfGroup", err, storage.ErrNotFound)
		createGroup(t, s, "g")
		wantErr(t, "AddMember of a missing user", s.AddMember(t.Context(), pid, "g", "nope"), storage.ErrNotFound)
	}},
	{"ListOrderedPaged", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		for _, name := range []string{"c", "a", "d", "b"} {
			createGroup(t, s, name)
		}
		var names []string
		for _, g := range listAll(t, 3, func(r storage.PageRequest) (storage.Page[storage.Group], error) {
			return s.ListGroups(t.Context(), pid, r)
		}) {
			names = append(names, g.Name)
		}
		equal(t, "group names", names, []string{"a", "b", "c", "d"})
	}},
	{"Membership", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		for _, sub := range []string{"s3", "s1", "s2"} {
			createUser(t, s, newUser(pid, sub, "user-"+sub))
		}
		for _, name := range []string{"c", "a", "b"} {
			createGroup(t, s, name)
		}
		for _, m := range [][2]string{{"a", "s3"}, {"a", "s1"}, {"a", "s1"}, {"c", "s1"}, {"b", "s1"}, {"a", "s2"}} {
			must(t, s.AddMember(t.Context(), pid, m[0], m[1])) // adding twice is not an error
		}
		equal(t, "GroupsOfUser s1", groupNames(t, s, "s1", 2), []string{"a", "b", "c"})
		equal(t, "MembersOfGroup a", memberSubs(t, s, "a", 2), []string{"s1", "s2", "s3"})
		must(t, s.RemoveMember(t.Context(), pid, "a", "s1"))
		must(t, s.RemoveMember(t.Context(), pid, "a", "s1")) // removing a non-member is not an error
		equal(t, "MembersOfGroup a after RemoveMember", memberSubs(t, s, "a", 5), []string{"s2", "s3"})
		equal(t, "GroupsOfUser s1 after RemoveMember", groupNames(t, s, "s1", 5), []string{"b", "c"})
		equal(t, "GroupsOfUser of a missing user", groupNames(t, s, "nope", 5), []string(nil))
	}},
	{"MembersAreCurrentUsers", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := createUser(t, s, newUser(pid, "s1", "ana"))
		createGroup(t, s, "g")
		must(t, s.AddMember(t.Context(), pid, "g", "s1"))
		u.Status = "RESET_REQUIRED"
		must(t, s.UpdateUsers(t.Context(), u))
		page, err := s.MembersOfGroup(t.Context(), pid, "g", storage.PageRequest{Limit: 5})
		must(t, err)
		u.Version = 2
		equal(t, "MembersOfGroup", page.Items, []storage.User{u})
	}},
	{"DeleteRemovesMemberships", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		createGroup(t, s, "a")
		createGroup(t, s, "b")
		must(t, s.AddMember(t.Context(), pid, "a", "s1"))
		must(t, s.AddMember(t.Context(), pid, "b", "s1"))
		must(t, s.DeleteGroup(t.Context(), pid, "a"))
		_, err := s.GetGroup(t.Context(), pid, "a")
		wantErr(t, "GetGroup after DeleteGroup", err, storage.ErrNotFound)
		equal(t, "GroupsOfUser", groupNames(t, s, "s1", 5), []string{"b"})
		createGroup(t, s, "a")
		equal(t, "members of the group made again", memberSubs(t, s, "a", 5), []string(nil))
	}},
	{"CopiesAreIndependent", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		prec := int64(1)
		g := storage.Group{PoolID: pid, Name: "g", Precedence: &prec}
		must(t, s.CreateGroup(t.Context(), g))
		prec = 2
		got, err := s.GetGroup(t.Context(), pid, "g")
		must(t, err)
		if got.Precedence == nil || *got.Precedence != 1 {
			t.Fatalf("Precedence after changing CreateGroup's argument: got %v, want 1", got.Precedence)
		}
		*got.Precedence = 3
		got, err = s.GetGroup(t.Context(), pid, "g")
		must(t, err)
		if *got.Precedence != 1 {
			t.Errorf("Precedence after changing a returned group: got %d, want 1", *got.Precedence)
		}
	}},
}
