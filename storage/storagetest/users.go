package storagetest

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

// fullUser has every field set, so a round trip that drops one shows.
func fullUser() storage.User {
	u := newUser(pid, "sub-1", "Ana")
	u.Logins = append(u.Logins, storage.Login{Name: "email", Key: "ana@example.com"})
	u.Attributes = map[string]string{"email": "Ana@Example.com", "email_verified": "true", "name": "Ana"}
	u.PendingAttributes = map[string]string{"phone_number": "+15550100"}
	u.Status = "FORCE_CHANGE_PASSWORD"
	u.PasswordHash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"
	u.PasswordHistory = []string{"$argon2id$new", "$argon2id$old"}
	u.PasswordExpiresAt = t0.Add(7 * 24 * time.Hour)
	u.SRP = storage.SRPVerifier{Salt: []byte{1, 2, 3}, Verifier: []byte{4, 5, 6}}
	u.MFA = storage.UserMFA{
		Enabled: []string{"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}, Preferred: "SOFTWARE_TOKEN_MFA",
		TOTPSecret: []byte("secret"), PendingTOTPSecret: []byte("pending"), TOTPLastStep: 58000000, TOTPDeviceName: "phone",
	}
	u.Passkeys = []storage.Passkey{{ID: []byte{1, 2, 3}, Name: "Passkey", Data: []byte(`{"signCount":1}`), CreatedAt: t0, LastUsedAt: t0.Add(time.Hour)}}
	u.TokensValidAfter = t0.Add(-time.Hour)
	u.UpdatedAt = t0.Add(time.Second)
	u.Version = 9 // CreateUser stores 1 whatever it is given
	return u
}

var userTests = []test{
	{"CreateGet", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := fullUser()
		must(t, s.CreateUser(t.Context(), u))
		u.Version = 1
		equal(t, "GetUser", getUser(t, s, pid, "sub-1"), u)
		for _, key := range []string{"Ana", "ana@example.com"} {
			got, err := s.UserByLogin(t.Context(), pid, key)
			must(t, err)
			equal(t, "UserByLogin "+key, got, u)
		}
	}},
	{"LoginKeysExact", func(t *testing.T, s storage.Store) {
		// Keys arrive normalised; the store compares them as they are.
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "Ana"))
		_, err := s.UserByLogin(t.Context(), pid, "ana")
		wantErr(t, `UserByLogin "ana" for key "Ana"`, err, storage.ErrNotFound)
		createUser(t, s, newUser(pid, "s2", "ana"))
	}},
	{"GetMissing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		_, err := s.GetUser(t.Context(), pid, "nope")
		wantErr(t, "GetUser", err, storage.ErrNotFound)
		_, err = s.UserByLogin(t.Context(), pid, "nope")
		wantErr(t, "UserByLogin", err, storage.ErrNotFound)
	}},
	{"PoolsAreSeparate", func(t *testing.T, s storage.Store) {
		createPool(t, s, "p1")
		createPool(t, s, "p2")
		createUser(t, s, newUser("p1", "s1", "ana"))
		_, err := s.GetUser(t.Context(), "p2", "s1")
		wantErr(t, "GetUser in the other pool", err, storage.ErrNotFound)
		_, err = s.UserByLogin(t.Context(), "p2", "ana")
		wantErr(t, "UserByLogin in the other pool", err, storage.ErrNotFound)
		createUser(t, s, newUser("p2", "s1", "ana")) // same sub and key: no conflict
	}},
	{"CreateMissingPool", func(t *testing.T, s storage.Store) {
		wantErr(t, "CreateUser", s.CreateUser(t.Context(), newUser("nope", "s1", "ana")), storage.ErrNotFound)
	}},
	{"CreateDuplicateSub", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		wantErr(t, "CreateUser with a taken sub", s.CreateUser(t.Context(), newUser(pid, "s1", "bob")), storage.ErrConflict)
		_, err := s.UserByLogin(t.Context(), pid, "bob")
		wantErr(t, "UserByLogin of the refused user", err, storage.ErrNotFound)
	}},
	{"CreateDuplicateLogin", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		a := newUser(pid, "s1", "ana")
		a.Logins = append(a.Logins, storage.Login{Name: "email", Key: "ana@example.com"})
		createUser(t, s, a)
		b := newUser(pid, "s2", "bob")
		b.Logins = append(b.Logins, storage.Login{Name: "email", Key: "ana@example.com"})
		wantErr(t, "CreateUser with a taken alias", s.CreateUser(t.Context(), b), storage.ErrConflict)
		// Nothing of b was written, not even its free keys.
		_, err := s.GetUser(t.Context(), pid, "s2")
		wantErr(t, "GetUser of the refused user", err, storage.ErrNotFound)
		_, err = s.UserByLogin(t.Context(), pid, "bob")
		wantErr(t, "UserByLogin of the refused user's free key", err, storage.ErrNotFound)
	}},
	{"CreateRepeatedKey", func(t *testing.T, s storage.Store) {
		// A key is unique across every login of every user, the user's
		// own included.
		createPool(t, s, pid)
		u := newUser(pid, "s1", "ana")
		u.Logins = append(u.Logins, storage.Login{Name: "preferred_username", Key: "ana"})
		wantErr(t, "CreateUser with one key twice", s.CreateUser(t.Context(), u), storage.ErrConflict)
	}},
	{"UpdateReplaces", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := createUser(t, s, newUser(pid, "sub-1", "Ana"))
		next := fullUser()
		next.Version = 1
		next.CreatedAt = t0.Add(time.Hour) // never changes
		must(t, s.UpdateUsers(t.Context(), next))
		want := next
		want.CreatedAt, want.Version = u.CreatedAt, 2
		equal(t, "GetUser after UpdateUsers", getUser(t, s, pid, "sub-1"), want)
		_, err := s.UserByLogin(t.Context(), pid, "ana@example.com")
		must(t, err)
	}},
	{"UpdateStaleVersion", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := createUser(t, s, newUser(pid, "s1", "ana"))
		first := u
		first.Status = "RESET_REQUIRED"
		must(t, s.UpdateUsers(t.Context(), first))
		u.Enabled = false
		wantErr(t, "UpdateUsers with version 1 after an update", s.UpdateUsers(t.Context(), u), storage.ErrConflict)
		got := getUser(t, s, pid, "s1")
		if got.Version != 2 || got.Status != "RESET_REQUIRED" || !got.Enabled {
			t.Errorf("got version %d status %s enabled %v, want the first update only", got.Version, got.Status, got.Enabled)
		}
	}},
	{"UpdateMissing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := newUser(pid, "s1", "ana")
		u.Version = 1
		wantErr(t, "UpdateUsers", s.UpdateUsers(t.Context(), u), storage.ErrNotFound)
	}},
	{"UpdateAllOrNone", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		a := createUser(t, s, newUser(pid, "s1", "ana"))
		b := createUser(t, s, newUser(pid, "s2", "bob"))
		a.Status, b.Status = "RESET_REQUIRED", "RESET_REQUIRED"
		b.Version = 5
		wantErr(t, "UpdateUsers with one stale user", s.UpdateUsers(t.Context(), a, b), storage.ErrConflict)
		if got := getUser(t, s, pid, "s1"); got.Version != 1 || got.Status != "CONFIRMED" {
			t.Errorf("first user: got version %d status %s, want it unchanged", got.Version, got.Status)
		}
	}},
	{"UpdateMovesLogin", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		a := newUser(pid, "s1", "ana")
		a.Logins = append(a.Logins, storage.Login{Name: "email", Key: "shared@example.com"})
		a = createUser(t, s, a)
		b := createUser(t, s, newUser(pid, "s2", "bob"))
		a.Logins = a.Logins[:1]
		b.Logins = append(b.Logins, storage.Login{Name: "email", Key: "shared@example.com"})
		// b comes first: the key must move whatever the order.
		must(t, s.UpdateUsers(t.Context(), b, a))
		got, err := s.UserByLogin(t.Context(), pid, "shared@example.com")
		must(t, err)
		if got.Sub != "s2" {
			t.Errorf("key holder: got %q, want s2", got.Sub)
		}
	}},
	{"LoginTakenByOther", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		b := createUser(t, s, newUser(pid, "s2", "bob"))
		b.Logins = append(b.Logins, storage.Login{Name: "preferred_username", Key: "ana"})
		wantErr(t, "UpdateUsers claiming another user's key", s.UpdateUsers(t.Context(), b), storage.ErrConflict)
		if got := getUser(t, s, pid, "s2"); got.Version != 1 || len(got.Logins) != 1 {
			t.Errorf("got version %d logins %v, want bob unchanged", got.Version, got.Logins)
		}
	}},
	{"LoginClaimedTwiceInOneCall", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		a := createUser(t, s, newUser(pid, "s1", "ana"))
		b := createUser(t, s, newUser(pid, "s2", "bob"))
		both := storage.Login{Name: "email", Key: "x@example.com"}
		a.Logins = append(a.Logins, both)
		b.Logins = append(b.Logins, both)
		wantErr(t, "UpdateUsers giving one key to two users", s.UpdateUsers(t.Context(), a, b), storage.ErrConflict)
	}},
	{"UpdateFreesDroppedLogin", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		a := newUser(pid, "s1", "ana")
		a.Logins = append(a.Logins, storage.Login{Name: "email", Key: "ana@example.com"})
		a = createUser(t, s, a)
		a.Logins = a.Logins[:1]
		must(t, s.UpdateUsers(t.Context(), a))
		_, err := s.UserByLogin(t.Context(), pid, "ana@example.com")
		wantErr(t, "UserByLogin of a dropped key", err, storage.ErrNotFound)
		b := newUser(pid, "s2", "bob")
		b.Logins = append(b.Logins, storage.Login{Name: "email", Key: "ana@example.com"})
		createUser(t, s, b)
	}},
	{"DeleteCascades", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		seed(t, s, pid, "u1")
		seed(t, s, pid, "u2")
		must(t, s.AddMember(t.Context(), pid, "group-u2", "u1"))
		must(t, s.DeleteUser(t.Context(), pid, "u1"))
		seedGone(t, s, pid, "u1")
		seedThere(t, s, pid, "u2") // including group-u2 with u2 as its only member
		// The same user made again starts with nothing, and no key is
		// left taken.
		createUser(t, s, newUser(pid, "u1", "user-u1"))
		equal(t, "members of group-u1", memberSubs(t, s, "group-u1", 5), []string(nil))
		equal(t, "groups of the new u1", groupNames(t, s, "u1", 5), []string(nil))
		_, err := s.GetCode(t.Context(), pid, "u1", "confirm_sign_up")
		wantErr(t, "GetCode", err, storage.ErrNotFound)
		must(t, s.PutRefreshToken(t.Context(), newToken(pid, "token-u1", "u1", "family-u1")))
	}},
	{"DeleteMissing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		wantErr(t, "DeleteUser", s.DeleteUser(t.Context(), pid, "nope"), storage.ErrNotFound)
	}},
	{"Count", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		createUser(t, s, newUser("other", "x", "x"))
		for i := range 3 {
			createUser(t, s, newUser(pid, strconv.Itoa(i), "user"+strconv.Itoa(i)))
		}
		must(t, s.DeleteUser(t.Context(), pid, "1"))
		n, err := s.CountUsers(t.Context(), pid)
		must(t, err)
		if n != 2 {
			t.Errorf("CountUsers: got %d, want 2", n)
		}
	}},
	{"CopiesAreIndependent", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := fullUser()
		want := fullUser()
		want.Version = 1
		must(t, s.CreateUser(t.Context(), u))
		scribble(u) // the caller's copy after CreateUser
		got := getUser(t, s, pid, "sub-1")
		equal(t, "GetUser after changing CreateUser's argument", got, want)
		scribble(got) // a returned copy
		equal(t, "GetUser after changing a returned user", getUser(t, s, pid, "sub-1"), want)
		page, err := s.ListUsers(t.Context(), pid, storage.UserQuery{PageRequest: storage.PageRequest{Limit: 1}})
		must(t, err)
		scribble(page.Items[0])
		equal(t, "GetUser after changing a listed user", getUser(t, s, pid, "sub-1"), want)
	}},
	{"ListingsCarryNoSecrets", func(t *testing.T, s storage.Store) {
		// Every other field of a listed user is as GetUser returns it.
		createPool(t, s, pid)
		must(t, s.CreateUser(t.Context(), fullUser()))
		createGroup(t, s, "g")
		must(t, s.AddMember(t.Context(), pid, "g", "sub-1"))
		want := getUser(t, s, pid, "sub-1").WithoutSecrets()
		r := storage.PageRequest{Limit: 5}
		for _, q := range []storage.UserQuery{
			{PageRequest: r},
			{Attribute: "email", Value: "ana@", Prefix: true, PageRequest: r},
			{Attribute: "sub", Value: "sub-1", PageRequest: r},
			{Attribute: "username", Value: "Ana", PageRequest: r},
		} {
			page, err := s.ListUsers(t.Context(), pid, q)
			must(t, err)
			equal(t, fmt.Sprintf("ListUsers %+v", q), page.Items, []storage.User{want})
		}
		page, err := s.MembersOfGroup(t.Context(), pid, "g", r)
		must(t, err)
		equal(t, "MembersOfGroup", page.Items, []storage.User{want})
	}},
	{"ConcurrentCreateSameLogin", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		ok, errs := racetest.Run(100, func(i int) error {
			return s.CreateUser(t.Context(), newUser(pid, fmt.Sprintf("sub-%d", i), "ana"))
		})
		racetest.OneWinner(t, ok, errs, storage.ErrConflict)
	}},
	{"ConcurrentCreateSameAlias", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		ok, errs := racetest.Run(100, func(i int) error {
			u := newUser(pid, fmt.Sprintf("sub-%d", i), fmt.Sprintf("user-%d", i))
			u.Logins = append(u.Logins, storage.Login{Name: "email", Key: "same@example.com"})
			return s.CreateUser(t.Context(), u)
		})
		racetest.OneWinner(t, ok, errs, storage.ErrConflict)
		if n, err := s.CountUsers(t.Context(), pid); err != nil || n != 1 {
			t.Errorf("CountUsers: got %d, %v, want 1", n, err)
		}
	}},
	{"ConcurrentUpdateStaleVersion", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		u := createUser(t, s, newUser(pid, "s1", "ana"))
		ok, errs := racetest.Run(50, func(i int) error {
			v := u
			v.Attributes = map[string]string{"name": strconv.Itoa(i)}
			return s.UpdateUsers(t.Context(), v)
		})
		racetest.OneWinner(t, ok, errs, storage.ErrConflict)
		if got := getUser(t, s, pid, "s1"); got.Version != 2 {
			t.Errorf("Version: got %d, want 2", got.Version)
		}
	}},
	{"ConcurrentIncrementNoLostUpdate", func(t *testing.T, s storage.Store) {
		// Read-modify-write retried on ErrConflict: compare-and-swap makes
		// every increment count.
		createPool(t, s, pid)
		u := newUser(pid, "s1", "ana")
		u.Attributes = map[string]string{"custom:n": "0"}
		createUser(t, s, u)
		const n = 20
		ok, errs := racetest.Run(n, func(int) error {
			for {
				cur, err := s.GetUser(t.Context(), pid, "s1")
				if err != nil {
					return err
				}
				v, err := strconv.Atoi(cur.Attributes["custom:n"])
				if err != nil {
					return err
				}
				cur.Attributes["custom:n"] = strconv.Itoa(v + 1)
				if err := s.UpdateUsers(t.Context(), cur); !errors.Is(err, storage.ErrConflict) {
					return err
				}
			}
		})
		if ok != n {
			t.Fatalf("%d increments succeeded, want %d; errors: %v", ok, n, errs)
		}
		got := getUser(t, s, pid, "s1")
		if got.Attributes["custom:n"] != strconv.Itoa(n) || got.Version != n+1 {
			t.Errorf("got counter %s version %d, want %d and %d", got.Attributes["custom:n"], got.Version, n, n+1)
		}
	}},
}

// scribble changes every map, slice and array a User shares with
// anything; a listed user has no secrets to change.
func scribble(u storage.User) {
	u.Logins[0].Key = "scribbled"
	u.Attributes["email"] = "scribbled"
	u.PendingAttributes["phone_number"] = "scribbled"
	u.MFA.Enabled[0] = "scribbled"
	if u.PasswordHistory != nil {
		u.PasswordHistory[0] = "scribbled"
		u.SRP.Salt[0], u.SRP.Verifier[0] = 99, 99
		u.MFA.TOTPSecret[0], u.MFA.PendingTOTPSecret[0] = 'X', 'X'
		u.Passkeys[0].ID[0], u.Passkeys[0].Data[0] = 'X', 'X'
	}
}
