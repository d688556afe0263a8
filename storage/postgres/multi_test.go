package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/postgres"
)

// The tests below run two stores on one schema, each with its own
// connection pool, as two processes of an application would, and check
// that they behave as one store: what one writes the other reads, and
// every race the contract settles is settled across both.

// twoInstances returns two stores on one fresh schema holding the pool pid.
func twoInstances(t *testing.T) (a, b *postgres.Store) {
	t.Helper()
	s := instances(t, 2)
	createPool(t, s[0], pid)
	return s[0], s[1]
}

// either returns a for even i and b for odd i.
func either(i int, a, b *postgres.Store) *postgres.Store {
	if i%2 == 0 {
		return a
	}
	return b
}

func TestInstancesShareUsers(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	u := user(1)
	must(t, a.CreateUser(ctx, u))
	got, err := b.UserByLogin(ctx, pid, "user000001@example.com")
	must(t, err)
	if got.Sub != u.Sub || got.Version != 1 {
		t.Fatalf("UserByLogin on the other instance: got %s version %d", got.Sub, got.Version)
	}
	got.Status = "RESET_REQUIRED"
	must(t, b.UpdateUsers(ctx, got))
	// a's copy is stale now, whichever instance it goes to.
	u.Version = 1
	if err := a.UpdateUsers(ctx, u); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("UpdateUsers with a stale version on the first instance: got %v, want ErrConflict", err)
	}
	page, err := a.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: "USER000001@", Prefix: true, PageRequest: storage.PageRequest{Limit: 5}})
	must(t, err)
	if len(page.Items) != 1 || page.Items[0].Status != "RESET_REQUIRED" {
		t.Errorf("ListUsers on the first instance: got %+v, want the user as updated on the second", page.Items)
	}
	must(t, b.DeleteUser(ctx, pid, u.Sub))
	if _, err := a.GetUser(ctx, pid, u.Sub); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser after DeleteUser on the other instance: got %v, want ErrNotFound", err)
	}
}

func TestInstancesConcurrentSignUpSameName(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	ok, errs := racetest.Run(200, func(i int) error {
		u := user(i)
		u.Username = "ana"
		u.Logins = []storage.Login{{Name: "username", Key: "ana"}}
		return either(i, a, b).CreateUser(ctx, u)
	})
	racetest.OneWinner(t, ok, errs, storage.ErrConflict)
	for _, s := range []*postgres.Store{a, b} {
		if n, err := s.CountUsers(ctx, pid); err != nil || n != 1 {
			t.Errorf("CountUsers: got %d, %v, want 1", n, err)
		}
	}
}

func TestInstancesShareAttempts(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)

	// No attempt is lost, whichever instance takes it.
	free := storage.AttemptRule{Free: 5}
	ok, errs := racetest.Run(100, func(i int) error {
		_, _, err := either(i, a, b).TakeAttempt(ctx, pid, "password:s1", t0, free)
		return err
	})
	if ok != 100 {
		t.Fatalf("%d attempts succeeded, want 100: %v", ok, errs)
	}
	c, err := b.GetAttempts(ctx, pid, "password:s1")
	must(t, err)
	if c.Count != 100 {
		t.Errorf("Count: got %d, want 100", c.Count)
	}

	// A lock taken on one instance holds on the other.
	rule := storage.AttemptRule{Free: 3, BaseLock: time.Minute, MaxLock: time.Hour, ResetAfter: time.Hour}
	for i := range 3 {
		if _, allowed, err := either(i, a, b).TakeAttempt(ctx, pid, "password:s2", t0, rule); err != nil || !allowed {
			t.Fatalf("free attempt %d: allowed %v, %v", i+1, allowed, err)
		}
	}
	for _, s := range []*postgres.Store{a, b} {
		if _, allowed, err := s.TakeAttempt(ctx, pid, "password:s2", t0.Add(time.Second), rule); err != nil || allowed {
			t.Errorf("attempt during the lock: allowed %v, %v; want refused", allowed, err)
		}
	}
	must(t, a.ResetAttempts(ctx, pid, "password:s2"))
	if _, allowed, err := b.TakeAttempt(ctx, pid, "password:s2", t0.Add(time.Second), rule); err != nil || !allowed {
		t.Errorf("attempt after a reset on the other instance: allowed %v, %v", allowed, err)
	}
}

func TestInstancesSingleUse(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	must(t, a.CreateUser(ctx, user(1)))
	sub := user(1).Sub
	for round := range 5 {
		purpose := fmt.Sprintf("p%d", round)
		must(t, a.PutCode(ctx, storage.Code{PoolID: pid, Sub: sub, Purpose: purpose, Hash: []byte("h"), ExpiresAt: t0.Add(time.Hour)}))
		ok, errs := racetest.Run(50, func(i int) error {
			return either(i, a, b).ConsumeCode(ctx, pid, sub, purpose, []byte("h"))
		})
		racetest.OneWinner(t, ok, errs, storage.ErrNotFound)

		id := fmt.Sprintf("session-%d", round)
		must(t, b.PutSession(ctx, storage.Session{PoolID: pid, ID: id, Data: []byte("state"), ExpiresAt: t0.Add(time.Hour)}))
		ok, errs = racetest.Run(50, func(i int) error {
			_, err := either(i, a, b).TakeSession(ctx, pid, id, t0)
			return err
		})
		racetest.OneWinner(t, ok, errs, storage.ErrNotFound)
	}
}

func TestInstancesShareRefreshTokens(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	must(t, a.CreateUser(ctx, user(1)))
	sub := user(1).Sub
	token := func(hash string) storage.RefreshToken {
		return storage.RefreshToken{PoolID: pid, Hash: hash, Sub: sub, ClientID: "c", FamilyID: "f", IssuedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	}
	must(t, a.PutRefreshToken(ctx, token("h0")))
	ok, errs := racetest.Run(50, func(i int) error {
		return either(i, a, b).RotateRefreshToken(ctx, "h0", token(fmt.Sprintf("h%d", i+1)))
	})
	racetest.OneWinner(t, ok, errs, storage.ErrConflict)

	// A revocation on one instance is seen by the other.
	old, err := b.GetRefreshToken(ctx, pid, "h0")
	must(t, err)
	must(t, a.RevokeRefreshFamily(ctx, pid, "f", t0.Add(time.Minute)))
	next, err := b.GetRefreshToken(ctx, pid, old.ReplacedBy)
	must(t, err)
	if next.RevokedAt.IsZero() {
		t.Error("token revoked on one instance is not revoked on the other")
	}
	if err := b.RotateRefreshToken(ctx, next.Hash, token("h99")); !errors.Is(err, storage.ErrConflict) {
		t.Errorf("rotating a revoked token on the other instance: got %v, want ErrConflict", err)
	}
}

func TestInstancesRotateSigningKey(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	key := func(kid string, at time.Time) storage.SigningKey {
		return storage.SigningKey{PoolID: pid, KID: kid, Algorithm: "RS256", Private: []byte("der " + kid), CreatedAt: at}
	}
	// Instances starting at once each try to make the first key.
	ok, errs := racetest.Run(20, func(i int) error {
		return either(i, a, b).RotateSigningKey(ctx, "", key(fmt.Sprintf("first-%d", i), t0))
	})
	racetest.OneWinner(t, ok, errs, storage.ErrConflict)
	keys, err := b.SigningKeys(ctx, pid)
	must(t, err)
	if len(keys) != 1 {
		t.Fatalf("got %d keys, want 1", len(keys))
	}
	// Then each tries to rotate it.
	active := keys[0].KID
	ok, errs = racetest.Run(20, func(i int) error {
		return either(i, a, b).RotateSigningKey(ctx, active, key(fmt.Sprintf("next-%d", i), t0.Add(time.Hour)))
	})
	racetest.OneWinner(t, ok, errs, storage.ErrConflict)
	for _, s := range []*postgres.Store{a, b} {
		keys, err := s.SigningKeys(ctx, pid)
		must(t, err)
		if len(keys) != 2 || !keys[0].RetiredAt.IsZero() || keys[1].KID != active || !keys[1].RetiredAt.Equal(t0.Add(time.Hour)) {
			t.Errorf("keys: got %+v, want one new active key and %s retired", keys, active)
		}
	}
}
