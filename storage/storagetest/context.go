package storagetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

var contextTests = []test{
	{"Canceled", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		seed(t, s, pid, "s1")
		must(t, s.PutSession(t.Context(), newSession("sess", t0.Add(time.Hour))))
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k1", t0)))

		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		r := storage.PageRequest{Limit: 10}
		u := getUser(t, s, pid, "s1")
		u.Status = "RESET_REQUIRED"
		rule := storage.AttemptRule{Free: 5}
		calls := map[string]func() error{
			"CreatePool":   func() error { return s.CreatePool(ctx, storage.Pool{ID: "p2"}) },
			"GetPool":      func() error { _, err := s.GetPool(ctx, pid); return err },
			"UpdatePool":   func() error { return s.UpdatePool(ctx, storage.Pool{ID: pid, Version: 1}) },
			"DeletePool":   func() error { return s.DeletePool(ctx, pid) },
			"ListPools":    func() error { _, err := s.ListPools(ctx, r); return err },
			"CreateClient": func() error { return s.CreateClient(ctx, storage.Client{PoolID: pid, ID: "c2"}) },
			"GetClient":    func() error { _, err := s.GetClient(ctx, pid, "c1"); return err },
			"UpdateClient": func() error { return s.UpdateClient(ctx, storage.Client{PoolID: pid, ID: "c1", Version: 1}) },
			"DeleteClient": func() error { return s.DeleteClient(ctx, pid, "c1") },
			"ListClients":  func() error { _, err := s.ListClients(ctx, pid, r); return err },
			"CreateUser":   func() error { return s.CreateUser(ctx, newUser(pid, "s2", "bob")) },
			"GetUser":      func() error { _, err := s.GetUser(ctx, pid, "s1"); return err },
			"UserByLogin":  func() error { _, err := s.UserByLogin(ctx, pid, "user-s1"); return err },
			"UpdateUsers":  func() error { return s.UpdateUsers(ctx, u) },
			"DeleteUser":   func() error { return s.DeleteUser(ctx, pid, "s1") },
			"ListUsers":    func() error { _, err := s.ListUsers(ctx, pid, storage.UserQuery{PageRequest: r}); return err },
			"CountUsers":   func() error { _, err := s.CountUsers(ctx, pid); return err },
			"CreateGroup":  func() error { return s.CreateGroup(ctx, storage.Group{PoolID: pid, Name: "g2"}) },
			"GetGroup":     func() error { _, err := s.GetGroup(ctx, pid, "group-s1"); return err },
			"UpdateGroup":  func() error { return s.UpdateGroup(ctx, storage.Group{PoolID: pid, Name: "group-s1"}) },
			"DeleteGroup":  func() error { return s.DeleteGroup(ctx, pid, "group-s1") },
			"ListGroups":   func() error { _, err := s.ListGroups(ctx, pid, r); return err },
			"AddMember":    func() error { return s.AddMember(ctx, pid, "group-s1", "s1") },
			"RemoveMember": func() error { return s.RemoveMember(ctx, pid, "group-s1", "s1") },
			"GroupsOfUser": func() error { _, err := s.GroupsOfUser(ctx, pid, "s1", r); return err },
			"MembersOfGroup": func() error {
				_, err := s.MembersOfGroup(ctx, pid, "group-s1", r)
				return err
			},
			"PutCode":     func() error { return s.PutCode(ctx, newCode(pid, "s1", "other", "h")) },
			"GetCode":     func() error { _, err := s.GetCode(ctx, pid, "s1", "confirm_sign_up"); return err },
			"ConsumeCode": func() error { return s.ConsumeCode(ctx, pid, "s1", "confirm_sign_up", []byte("code-s1")) },
			"DeleteCode":  func() error { return s.DeleteCode(ctx, pid, "s1", "confirm_sign_up") },
			"PutSession":  func() error { return s.PutSession(ctx, newSession("sess2", t0.Add(time.Hour))) },
			"TakeSession": func() error { _, err := s.TakeSession(ctx, pid, "sess", t0); return err },
			"PutRefreshToken": func() error {
				return s.PutRefreshToken(ctx, newToken(pid, "token-2", "s1", "family-2"))
			},
			"GetRefreshToken": func() error { _, err := s.GetRefreshToken(ctx, pid, "token-s1"); return err },
			"RotateRefreshToken": func() error {
				return s.RotateRefreshToken(ctx, "token-s1", newToken(pid, "token-3", "s1", "family-s1"))
			},
			"RevokeRefreshToken":      func() error { return s.RevokeRefreshToken(ctx, pid, "token-s1", t0) },
			"RevokeRefreshFamily":     func() error { return s.RevokeRefreshFamily(ctx, pid, "family-s1", t0) },
			"RevokeUserRefreshTokens": func() error { return s.RevokeUserRefreshTokens(ctx, pid, "s1", t0) },
			"PutDevice":               func() error { return s.PutDevice(ctx, newDevice(pid, "device-2", "s1")) },
			"GetDevice":               func() error { _, err := s.GetDevice(ctx, pid, "device-s1"); return err },
			"ListDevices":             func() error { _, err := s.ListDevices(ctx, pid, "s1", r); return err },
			"DeleteDevice":            func() error { return s.DeleteDevice(ctx, pid, "device-s1") },
			"SigningKeys":             func() error { _, err := s.SigningKeys(ctx, pid); return err },
			"RotateSigningKey":        func() error { return s.RotateSigningKey(ctx, "k1", newKey(pid, "k2", t0)) },
			"DeleteSigningKey":        func() error { return s.DeleteSigningKey(ctx, pid, "k1") },
			"TakeAttempt":             func() error { _, _, err := s.TakeAttempt(ctx, pid, "k", t0, rule); return err },
			"GetAttempts":             func() error { _, err := s.GetAttempts(ctx, pid, "k"); return err },
			"ResetAttempts":           func() error { return s.ResetAttempts(ctx, pid, "k") },
			"Sweep":                   func() error { return s.Sweep(ctx, t0.Add(365*24*time.Hour)) },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, context.Canceled) {
				t.Errorf("%s with a canceled context: got error %v, want context.Canceled", name, err)
			}
		}
		// None of the writes happened.
		seedThere(t, s, pid, "s1")
		if got := getUser(t, s, pid, "s1"); got.Version != 1 {
			t.Errorf("user version: got %d, want 1", got.Version)
		}
		equal(t, "kids", kids(t, s), []string{"k1"})
		if n, err := s.CountUsers(t.Context(), pid); err != nil || n != 1 {
			t.Errorf("CountUsers: got %d, %v, want 1", n, err)
		}
		if c, err := s.GetAttempts(t.Context(), pid, "k"); err != nil || c.Count != 0 {
			t.Errorf("GetAttempts: got %+v, %v, want a zero counter", c, err)
		}
		_, err := s.TakeSession(t.Context(), pid, "sess", t0)
		must(t, err)
	}},
}
