package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

var poolTests = []test{
	{"CreateGet", func(t *testing.T, s storage.Store) {
		p := storage.Pool{ID: "p1", Name: "shop", Settings: []byte(`{"mfa":"ON"}`), Secret: []byte{1, 2, 3, 0, 255}, CreatedAt: t0, UpdatedAt: t0, Version: 7}
		must(t, s.CreatePool(t.Context(), p))
		got, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		p.Version = 1 // whatever the caller passed
		equal(t, "GetPool", got, p)
	}},
	{"CreateDuplicate", func(t *testing.T, s storage.Store) {
		createPool(t, s, "p1")
		err := s.CreatePool(t.Context(), storage.Pool{ID: "p1", Name: "other"})
		wantErr(t, "second CreatePool", err, storage.ErrConflict)
		got, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		if got.Name != "pool p1" {
			t.Errorf("Name: got %q, want the first pool's %q", got.Name, "pool p1")
		}
	}},
	{"GetMissing", func(t *testing.T, s storage.Store) {
		_, err := s.GetPool(t.Context(), "nope")
		wantErr(t, "GetPool", err, storage.ErrNotFound)
	}},
	{"Update", func(t *testing.T, s storage.Store) {
		createPool(t, s, "p1")
		p, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		want := p
		p.Name, p.Settings, p.Secret, p.UpdatedAt = "renamed", []byte("{}"), []byte("new secret"), t0.Add(time.Minute)
		p.CreatedAt = t0.Add(time.Hour) // not a field UpdatePool replaces
		must(t, s.UpdatePool(t.Context(), p))
		want.Name, want.Settings, want.Secret, want.UpdatedAt, want.Version = "renamed", []byte("{}"), []byte("new secret"), t0.Add(time.Minute), 2
		got, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		equal(t, "GetPool after UpdatePool", got, want)
	}},
	{"UpdateStaleVersion", func(t *testing.T, s storage.Store) {
		createPool(t, s, "p1")
		p, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		stale := p
		p.Name = "first"
		must(t, s.UpdatePool(t.Context(), p))
		stale.Name = "second"
		wantErr(t, "UpdatePool with version 1 after an update", s.UpdatePool(t.Context(), stale), storage.ErrConflict)
		got, err := s.GetPool(t.Context(), "p1")
		must(t, err)
		if got.Name != "first" || got.Version != 2 {
			t.Errorf("got name %q version %d, want %q version 2", got.Name, got.Version, "first")
		}
	}},
	{"UpdateMissing", func(t *testing.T, s storage.Store) {
		err := s.UpdatePool(t.Context(), storage.Pool{ID: "nope", Version: 1})
		wantErr(t, "UpdatePool", err, storage.ErrNotFound)
	}},
	{"DeleteCascades", func(t *testing.T, s storage.Store) {
		ctx := t.Context()
		for _, id := range []string{"p1", "p2"} {
			createPool(t, s, id)
			must(t, s.CreateClient(ctx, storage.Client{PoolID: id, ID: "c1", CreatedAt: t0}))
			seed(t, s, id, "u1")
			must(t, s.PutSession(ctx, storage.Session{PoolID: id, ID: "s1", ExpiresAt: t0.Add(time.Hour)}))
			must(t, s.RotateSigningKey(ctx, "", newKey(id, "k1", t0)))
			_, _, err := s.TakeAttempt(ctx, id, "password:u1", t0, storage.AttemptRule{Free: 5})
			must(t, err)
		}
		must(t, s.DeletePool(ctx, "p1"))
		_, err := s.GetPool(ctx, "p1")
		wantErr(t, "GetPool after DeletePool", err, storage.ErrNotFound)
		// A pool created again under the same id must start empty: rows
		// left behind by the cascade would reappear here.
		createPool(t, s, "p1")
		seedGone(t, s, "p1", "u1")
		_, err = s.GetClient(ctx, "p1", "c1")
		wantErr(t, "GetClient", err, storage.ErrNotFound)
		_, err = s.GetGroup(ctx, "p1", "group-u1")
		wantErr(t, "GetGroup", err, storage.ErrNotFound)
		_, err = s.TakeSession(ctx, "p1", "s1", t0)
		wantErr(t, "TakeSession", err, storage.ErrNotFound)
		if n, err := s.CountUsers(ctx, "p1"); err != nil || n != 0 {
			t.Errorf("CountUsers: got %d, %v, want 0", n, err)
		}
		if keys, err := s.SigningKeys(ctx, "p1"); err != nil || len(keys) != 0 {
			t.Errorf("SigningKeys: got %d keys, %v, want none", len(keys), err)
		}
		if c, err := s.GetAttempts(ctx, "p1", "password:u1"); err != nil || c != (storage.AttemptCount{}) {
			t.Errorf("GetAttempts: got %+v, %v, want a zero counter", c, err)
		}
		// The other pool is untouched.
		seedThere(t, s, "p2", "u1")
		_, err = s.GetClient(ctx, "p2", "c1")
		must(t, err)
	}},
	{"DeleteMissing", func(t *testing.T, s storage.Store) {
		wantErr(t, "DeletePool", s.DeletePool(t.Context(), "nope"), storage.ErrNotFound)
	}},
	{"ListOrderedPaged", func(t *testing.T, s storage.Store) {
		for _, id := range []string{"p3", "p1", "p5", "p2", "p4"} {
			createPool(t, s, id)
		}
		list := func(r storage.PageRequest) (storage.Page[storage.Pool], error) { return s.ListPools(t.Context(), r) }
		var ids []string
		for _, p := range listAll(t, 2, list) {
			ids = append(ids, p.ID)
		}
		equal(t, "pool ids", ids, []string{"p1", "p2", "p3", "p4", "p5"})
		equal(t, "page sizes", pageSizes(t, 5, list), []int{5})
	}},
	{"WritesNeedPool", func(t *testing.T, s storage.Store) {
		ctx := t.Context()
		createPool(t, s, "other")
		const p = "nope"
		writes := []struct {
			name string
			err  error
		}{
			{"CreateClient", s.CreateClient(ctx, storage.Client{PoolID: p, ID: "c1"})},
			{"CreateUser", s.CreateUser(ctx, newUser(p, "u1", "ana"))},
			{"CreateGroup", s.CreateGroup(ctx, storage.Group{PoolID: p, Name: "g"})},
			{"PutSession", s.PutSession(ctx, storage.Session{PoolID: p, ID: "s1", ExpiresAt: t0.Add(time.Hour)})},
			{"RotateSigningKey", s.RotateSigningKey(ctx, "", newKey(p, "k1", t0))},
		}
		_, _, err := s.TakeAttempt(ctx, p, "k", t0, storage.AttemptRule{Free: 5})
		writes = append(writes, struct {
			name string
			err  error
		}{"TakeAttempt", err})
		for _, w := range writes {
			wantErr(t, w.name+" in a missing pool", w.err, storage.ErrNotFound)
		}
	}},
}

var clientTests = []test{
	{"CreateGetUpdate", func(t *testing.T, s storage.Store) {
		ctx := t.Context()
		createPool(t, s, pid)
		c := storage.Client{PoolID: pid, ID: "c1", Name: "web", Settings: []byte("{}"), CreatedAt: t0, UpdatedAt: t0}
		must(t, s.CreateClient(ctx, c))
		c.Version = 1
		got, err := s.GetClient(ctx, pid, "c1")
		must(t, err)
		equal(t, "GetClient", got, c)
		c.Name, c.UpdatedAt = "mobile", t0.Add(time.Second)
		must(t, s.UpdateClient(ctx, c))
		c.Version = 2
		got, err = s.GetClient(ctx, pid, "c1")
		must(t, err)
		equal(t, "GetClient after UpdateClient", got, c)
	}},
	{"ClientPools", func(t *testing.T, s storage.Store) {
		// Optional: only stores that implement storage.ClientLocator.
		loc, ok := s.(storage.ClientLocator)
		if !ok {
			t.Skip("the store does not implement the optional storage.ClientLocator")
		}
		ctx := t.Context()
		pools := func(id string) []string {
			t.Helper()
			ids, err := loc.ClientPools(ctx, id)
			must(t, err)
			return ids
		}
		for _, p := range []string{"p2", "p1", "p3"} {
			createPool(t, s, p)
		}
		must(t, s.CreateClient(ctx, storage.Client{PoolID: "p1", ID: "only"}))
		must(t, s.CreateClient(ctx, storage.Client{PoolID: "p2", ID: "shared"}))
		must(t, s.CreateClient(ctx, storage.Client{PoolID: "p1", ID: "shared"}))
		equal(t, "ClientPools(only)", pools("only"), []string{"p1"})
		equal(t, "ClientPools(shared)", pools("shared"), []string{"p1", "p2"})
		equal(t, "ClientPools(none)", len(pools("none")), 0)
		equal(t, "ClientPools(ONLY)", len(pools("ONLY")), 0) // ids compare exactly
		must(t, s.DeleteClient(ctx, "p2", "shared"))
		equal(t, "ClientPools(shared) after DeleteClient", pools("shared"), []string{"p1"})
		must(t, s.DeletePool(ctx, "p1"))
		equal(t, "ClientPools(only) after DeletePool", len(pools("only")), 0)
	}},
	{"CreateDuplicate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.CreateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1"}))
		wantErr(t, "second CreateClient", s.CreateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1"}), storage.ErrConflict)
	}},
	{"UpdateStaleVersion", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.CreateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1", Name: "a"}))
		err := s.UpdateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1", Name: "b", Version: 2})
		wantErr(t, "UpdateClient with version 2", err, storage.ErrConflict)
		got, err := s.GetClient(t.Context(), pid, "c1")
		must(t, err)
		if got.Name != "a" || got.Version != 1 {
			t.Errorf("got name %q version %d, want %q version 1", got.Name, got.Version, "a")
		}
	}},
	{"Missing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		_, err := s.GetClient(t.Context(), pid, "c1")
		wantErr(t, "GetClient", err, storage.ErrNotFound)
		wantErr(t, "UpdateClient", s.UpdateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1", Version: 1}), storage.ErrNotFound)
		wantErr(t, "DeleteClient", s.DeleteClient(t.Context(), pid, "c1"), storage.ErrNotFound)
	}},
	{"Delete", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.CreateClient(t.Context(), storage.Client{PoolID: pid, ID: "c1"}))
		must(t, s.DeleteClient(t.Context(), pid, "c1"))
		_, err := s.GetClient(t.Context(), pid, "c1")
		wantErr(t, "GetClient after DeleteClient", err, storage.ErrNotFound)
	}},
	{"ListOrderedPaged", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		must(t, s.CreateClient(t.Context(), storage.Client{PoolID: "other", ID: "c0"}))
		for _, id := range []string{"c2", "c3", "c1"} {
			must(t, s.CreateClient(t.Context(), storage.Client{PoolID: pid, ID: id}))
		}
		var ids []string
		for _, c := range listAll(t, 2, func(r storage.PageRequest) (storage.Page[storage.Client], error) {
			return s.ListClients(t.Context(), pid, r)
		}) {
			ids = append(ids, c.ID)
		}
		equal(t, "client ids", ids, []string{"c1", "c2", "c3"})
	}},
}
