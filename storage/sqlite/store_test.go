package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

// TestUserRoundTrip checks that a user comes back as stored, by sub and by
// each login key, with Version 1 and nil and empty collections kept apart.
func TestUserRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	u := user(1)
	u.PendingAttributes = map[string]string{}
	u.PasswordHistory = []string{"a", "b"}
	u.MFA = storage.UserMFA{Enabled: []string{"SOFTWARE_TOKEN_MFA"}, TOTPSecret: []byte{1, 2}, TOTPLastStep: 7}
	u.TokensValidAfter = t0.Add(3e9)
	must(t, s.CreateUser(ctx, u))
	u.Version = 1
	for _, get := range []func() (storage.User, error){
		func() (storage.User, error) { return s.GetUser(ctx, pid, u.Sub) },
		func() (storage.User, error) { return s.UserByLogin(ctx, pid, u.Logins[0].Key) },
		func() (storage.User, error) { return s.UserByLogin(ctx, pid, u.Logins[1].Key) },
	} {
		got, err := get()
		must(t, err)
		if !reflect.DeepEqual(got, u) {
			t.Fatalf("got  %+v\nwant %+v", got, u)
		}
	}
}

func TestCreateUserConflicts(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	must(t, s.CreateUser(ctx, user(1)))
	tests := []struct {
		name string
		edit func(u *storage.User)
		want error
	}{
		{"same sub", func(u *storage.User) { u.Sub = user(1).Sub }, storage.ErrConflict},
		{"same login key", func(u *storage.User) { u.Logins[1].Key = user(1).Logins[1].Key }, storage.ErrConflict},
		{"key twice in one user", func(u *storage.User) { u.Logins[1].Key = u.Logins[0].Key }, storage.ErrConflict},
		{"missing pool", func(u *storage.User) { u.PoolID = "nope" }, storage.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := user(2)
			tc.edit(&u)
			if err := s.CreateUser(ctx, u); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			// Nothing of user 2 was written.
			if _, err := s.GetUser(ctx, pid, user(2).Sub); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("GetUser after failed create: got %v, want ErrNotFound", err)
			}
			if _, err := s.UserByLogin(ctx, pid, user(2).Logins[0].Key); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("UserByLogin after failed create: got %v, want ErrNotFound", err)
			}
		})
	}
}

// TestUpdateUsersMovesLogin moves a verified email from one user to
// another in one call, and checks that a key held outside the call
// conflicts and changes nothing.
func TestUpdateUsersMovesLogin(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	a, b, c := user(1), user(2), user(3)
	for _, u := range []storage.User{a, b, c} {
		must(t, s.CreateUser(ctx, u))
	}
	a.Version, b.Version = 1, 1
	moved := a.Logins[1]
	a.Logins = a.Logins[:1]
	b.Logins = append(b.Logins, moved)
	must(t, s.UpdateUsers(ctx, a, b))
	got, err := s.UserByLogin(ctx, pid, moved.Key)
	must(t, err)
	if got.Sub != b.Sub || got.Version != 2 {
		t.Fatalf("login now finds %s version %d, want %s version 2", got.Sub, got.Version, b.Sub)
	}

	// c's key is outside the call: conflict, and b keeps version 2.
	b.Version = 2
	b.Logins = append(b.Logins, c.Logins[1])
	if err := s.UpdateUsers(ctx, b); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("got %v, want ErrConflict", err)
	}
	got, _ = s.GetUser(ctx, pid, b.Sub)
	if got.Version != 2 || len(got.Logins) != 3 {
		t.Fatalf("after refused update: version %d, %d logins; want 2, 3", got.Version, len(got.Logins))
	}
	// A stale version conflicts; a missing user is not found.
	b.Version = 1
	if err := s.UpdateUsers(ctx, b); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("stale: got %v, want ErrConflict", err)
	}
	if err := s.UpdateUsers(ctx, user(9)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing: got %v, want ErrNotFound", err)
	}
}

// TestDeleteUserCascades checks that a user's dependent rows go with it.
func TestDeleteUserCascades(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	u := user(1)
	must(t, s.CreateUser(ctx, u))
	must(t, s.CreateGroup(ctx, storage.Group{PoolID: pid, Name: "g", CreatedAt: t0, UpdatedAt: t0}))
	must(t, s.AddMember(ctx, pid, "g", u.Sub))
	must(t, s.PutCode(ctx, storage.Code{PoolID: pid, Sub: u.Sub, Purpose: "p", Hash: []byte{1}, CreatedAt: t0, ExpiresAt: t0}))
	must(t, s.PutRefreshToken(ctx, storage.RefreshToken{PoolID: pid, Hash: "h", Sub: u.Sub, IssuedAt: t0, ExpiresAt: t0}))
	must(t, s.PutDevice(ctx, storage.Device{PoolID: pid, Key: "d", Sub: u.Sub}))
	must(t, s.DeleteUser(ctx, pid, u.Sub))

	checks := map[string]error{}
	_, checks["user"] = s.GetUser(ctx, pid, u.Sub)
	_, checks["login"] = s.UserByLogin(ctx, pid, u.Logins[0].Key)
	_, checks["code"] = s.GetCode(ctx, pid, u.Sub, "p")
	_, checks["token"] = s.GetRefreshToken(ctx, pid, "h")
	_, checks["device"] = s.GetDevice(ctx, pid, "d")
	for what, err := range checks {
		if !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s after DeleteUser: got %v, want ErrNotFound", what, err)
		}
	}
	page, err := s.MembersOfGroup(ctx, pid, "g", storage.PageRequest{Limit: 10})
	must(t, err)
	if len(page.Items) != 0 {
		t.Errorf("group still has %d members", len(page.Items))
	}
	if err := s.PutRefreshToken(ctx, storage.RefreshToken{PoolID: pid, Hash: "h2", Sub: u.Sub}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("PutRefreshToken for deleted user: got %v, want ErrNotFound", err)
	}
}

// TestPragmas checks the settings the package documentation promises.
func TestPragmas(t *testing.T) {
	s, _ := open(t)
	db := sqlite.DB(s)
	for pragma, want := range map[string]string{
		"journal_mode": "wal",
		"synchronous":  "2", // FULL
		"foreign_keys": "1",
		"query_only":   "1", // the reader pool
		"user_version": strconv.Itoa(migrationFiles(t)),
	} {
		var got string
		must(t, db.QueryRow("PRAGMA "+pragma).Scan(&got))
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
}

// TestOpenRefusesNewerSchema checks that a file migrated by a newer
// version of the package is not opened by this one.
func TestOpenRefusesNewerSchema(t *testing.T) {
	_, path := open(t)
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	_, err = raw.Exec("PRAGMA user_version = 999")
	must(t, err)
	raw.Close()
	if s, err := sqlite.Open(context.Background(), path); err == nil {
		s.Close()
		t.Fatal("Open accepted a schema newer than its migrations")
	}
}

// migrationFiles counts the migrations the package embeds.
func migrationFiles(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	return len(files)
}
