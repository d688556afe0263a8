package storagetest

import (
	"testing"

	"github.com/userpool/userpool/storage"
)

var cursorTests = []test{
	{"Malformed", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		seed(t, s, pid, "s1")
		ctx := t.Context()
		for _, cursor := range []string{"not a cursor!", "%%", "\x00"} {
			r := storage.PageRequest{Limit: 10, Cursor: cursor}
			for _, c := range []struct {
				name string
				list func() error
			}{
				{"ListPools", func() error { _, err := s.ListPools(ctx, r); return err }},
				{"ListClients", func() error { _, err := s.ListClients(ctx, pid, r); return err }},
				{"ListUsers", func() error { _, err := s.ListUsers(ctx, pid, storage.UserQuery{PageRequest: r}); return err }},
				{"ListUsers by email", func() error {
					_, err := s.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: "a", Prefix: true, PageRequest: r})
					return err
				}},
				{"ListGroups", func() error { _, err := s.ListGroups(ctx, pid, r); return err }},
				{"GroupsOfUser", func() error { _, err := s.GroupsOfUser(ctx, pid, "s1", r); return err }},
				{"MembersOfGroup", func() error { _, err := s.MembersOfGroup(ctx, pid, "group-s1", r); return err }},
				{"ListDevices", func() error { _, err := s.ListDevices(ctx, pid, "s1", r); return err }},
			} {
				wantSentinelFree(t, c.name+" with cursor "+cursor, c.list())
			}
		}
	}},
}
