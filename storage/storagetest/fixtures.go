package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// The fixtures build small valid records. Tests change the fields they
// are about and leave the rest.

func createPool(t *testing.T, s storage.Store, id string) {
	t.Helper()
	must(t, s.CreatePool(t.Context(), storage.Pool{ID: id, Name: "pool " + id, CreatedAt: t0, UpdatedAt: t0}))
}

// newUser returns a confirmed, enabled user whose only login is its
// user name.
func newUser(poolID, sub, username string) storage.User {
	return storage.User{
		PoolID:     poolID,
		Sub:        sub,
		Username:   username,
		Logins:     []storage.Login{{Name: "username", Key: username}},
		Attributes: map[string]string{"email_verified": "false"},
		Status:     "CONFIRMED",
		Enabled:    true,
		CreatedAt:  t0,
		UpdatedAt:  t0,
	}
}

// createUser stores u and returns it as stored (Version 1).
func createUser(t *testing.T, s storage.Store, u storage.User) storage.User {
	t.Helper()
	must(t, s.CreateUser(t.Context(), u))
	u.Version = 1
	return u
}

func getUser(t *testing.T, s storage.Store, poolID, sub string) storage.User {
	t.Helper()
	u, err := s.GetUser(t.Context(), poolID, sub)
	must(t, err)
	return u
}

func newCode(poolID, sub, purpose string, hash string) storage.Code {
	return storage.Code{
		PoolID: poolID, Sub: sub, Purpose: purpose, Hash: []byte(hash),
		Data: []byte("data"), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour),
	}
}

func newToken(poolID, hash, sub, family string) storage.RefreshToken {
	return storage.RefreshToken{
		PoolID: poolID, Hash: hash, Sub: sub, ClientID: "client", FamilyID: family,
		OriginJTI: "jti-" + hash, Data: []byte("scopes"),
		IssuedAt: t0, ExpiresAt: t0.Add(30 * 24 * time.Hour),
	}
}

func newDevice(poolID, key, sub string) storage.Device {
	return storage.Device{
		PoolID: poolID, Key: key, Sub: sub, GroupKey: "group", Name: "laptop",
		SRP:        storage.SRPVerifier{Salt: []byte{1}, Verifier: []byte{2}},
		Attributes: map[string]string{"device_name": "laptop"},
		CreatedAt:  t0, UpdatedAt: t0, LastAuthenticatedAt: t0,
	}
}

func newKey(poolID, kid string, created time.Time) storage.SigningKey {
	return storage.SigningKey{PoolID: poolID, KID: kid, Algorithm: "RS256", Private: []byte("der " + kid), CreatedAt: created}
}

// seed fills a pool with one record of every kind, all belonging to the
// user sub (created with user name "user-"+sub), and returns nothing: the
// check functions know the names.
func seed(t *testing.T, s storage.Store, poolID, sub string) {
	t.Helper()
	ctx := t.Context()
	createUser(t, s, newUser(poolID, sub, "user-"+sub))
	must(t, s.CreateGroup(ctx, storage.Group{PoolID: poolID, Name: "group-" + sub, CreatedAt: t0, UpdatedAt: t0}))
	must(t, s.AddMember(ctx, poolID, "group-"+sub, sub))
	must(t, s.PutCode(ctx, newCode(poolID, sub, "confirm_sign_up", "code-"+sub)))
	must(t, s.PutRefreshToken(ctx, newToken(poolID, "token-"+sub, sub, "family-"+sub)))
	must(t, s.PutDevice(ctx, newDevice(poolID, "device-"+sub, sub)))
}

// seedGone checks that nothing seed made for sub is left.
func seedGone(t *testing.T, s storage.Store, poolID, sub string) {
	t.Helper()
	ctx := t.Context()
	_, err := s.GetUser(ctx, poolID, sub)
	wantErr(t, "GetUser", err, storage.ErrNotFound)
	_, err = s.UserByLogin(ctx, poolID, "user-"+sub)
	wantErr(t, "UserByLogin", err, storage.ErrNotFound)
	groups, err := s.GroupsOfUser(ctx, poolID, sub, storage.PageRequest{Limit: 10})
	must(t, err)
	if len(groups.Items) != 0 {
		t.Errorf("GroupsOfUser: got %d groups, want none", len(groups.Items))
	}
	_, err = s.GetCode(ctx, poolID, sub, "confirm_sign_up")
	wantErr(t, "GetCode", err, storage.ErrNotFound)
	_, err = s.GetRefreshToken(ctx, poolID, "token-"+sub)
	wantErr(t, "GetRefreshToken", err, storage.ErrNotFound)
	_, err = s.GetDevice(ctx, poolID, "device-"+sub)
	wantErr(t, "GetDevice", err, storage.ErrNotFound)
}

// seedThere checks that everything seed made for sub is still there.
func seedThere(t *testing.T, s storage.Store, poolID, sub string) {
	t.Helper()
	ctx := t.Context()
	getUser(t, s, poolID, sub)
	_, err := s.UserByLogin(ctx, poolID, "user-"+sub)
	must(t, err)
	members, err := s.MembersOfGroup(ctx, poolID, "group-"+sub, storage.PageRequest{Limit: 10})
	must(t, err)
	if len(members.Items) != 1 {
		t.Errorf("MembersOfGroup: got %d members, want 1", len(members.Items))
	}
	_, err = s.GetCode(ctx, poolID, sub, "confirm_sign_up")
	must(t, err)
	_, err = s.GetRefreshToken(ctx, poolID, "token-"+sub)
	must(t, err)
	_, err = s.GetDevice(ctx, poolID, "device-"+sub)
	must(t, err)
}
