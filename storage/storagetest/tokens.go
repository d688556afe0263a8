package storagetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

func getToken(t *testing.T, s storage.Store, hash string) storage.RefreshToken {
	t.Helper()
	tok, err := s.GetRefreshToken(t.Context(), pid, hash)
	must(t, err)
	return tok
}

// tokenSetup makes the pool, users s1 and s2, and stores the given tokens.
func tokenSetup(t *testing.T, s storage.Store, tokens ...storage.RefreshToken) {
	t.Helper()
	createPool(t, s, pid)
	createUser(t, s, newUser(pid, "s1", "ana"))
	createUser(t, s, newUser(pid, "s2", "bob"))
	for _, tok := range tokens {
		must(t, s.PutRefreshToken(t.Context(), tok))
	}
}

var tokenTests = []test{
	{"PutGet", func(t *testing.T, s storage.Store) {
		tok := newToken(pid, "h1", "s1", "f1")
		tok.DeviceKey = "d1"
		tokenSetup(t, s, tok)
		equal(t, "GetRefreshToken", getToken(t, s, "h1"), tok)
		_, err := s.GetRefreshToken(t.Context(), pid, "h2")
		wantErr(t, "GetRefreshToken of a missing hash", err, storage.ErrNotFound)
	}},
	{"PutDuplicate", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"))
		wantErr(t, "second PutRefreshToken", s.PutRefreshToken(t.Context(), newToken(pid, "h1", "s2", "f2")), storage.ErrConflict)
	}},
	{"PutMissingUser", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s)
		wantErr(t, "PutRefreshToken", s.PutRefreshToken(t.Context(), newToken(pid, "h1", "nope", "f1")), storage.ErrNotFound)
	}},
	{"Rotate", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"))
		next := newToken(pid, "h2", "s1", "f1")
		next.IssuedAt = t0.Add(time.Hour)
		must(t, s.RotateRefreshToken(t.Context(), "h1", next))
		want := newToken(pid, "h1", "s1", "f1")
		want.ReplacedBy = "h2"
		equal(t, "old token", getToken(t, s, "h1"), want)
		equal(t, "new token", getToken(t, s, "h2"), next)
	}},
	{"RotateReuseConflict", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"))
		must(t, s.RotateRefreshToken(t.Context(), "h1", newToken(pid, "h2", "s1", "f1")))
		err := s.RotateRefreshToken(t.Context(), "h1", newToken(pid, "h3", "s1", "f1"))
		wantErr(t, "RotateRefreshToken of a rotated token", err, storage.ErrConflict)
		_, err = s.GetRefreshToken(t.Context(), pid, "h3")
		wantErr(t, "GetRefreshToken of the refused token", err, storage.ErrNotFound)
		if got := getToken(t, s, "h1").ReplacedBy; got != "h2" {
			t.Errorf("ReplacedBy: got %q, want h2", got)
		}
	}},
	{"RotateRevokedConflict", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"))
		must(t, s.RevokeRefreshToken(t.Context(), pid, "h1", t0))
		err := s.RotateRefreshToken(t.Context(), "h1", newToken(pid, "h2", "s1", "f1"))
		wantErr(t, "RotateRefreshToken of a revoked token", err, storage.ErrConflict)
		_, err = s.GetRefreshToken(t.Context(), pid, "h2")
		wantErr(t, "GetRefreshToken of the refused token", err, storage.ErrNotFound)
	}},
	{"RotateToTakenHash", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"), newToken(pid, "h2", "s2", "f2"))
		err := s.RotateRefreshToken(t.Context(), "h1", newToken(pid, "h2", "s1", "f1"))
		wantErr(t, "RotateRefreshToken to an existing hash", err, storage.ErrConflict)
		equal(t, "old token", getToken(t, s, "h1"), newToken(pid, "h1", "s1", "f1"))
		equal(t, "existing token", getToken(t, s, "h2"), newToken(pid, "h2", "s2", "f2"))
	}},
	{"RotateMissing", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s)
		err := s.RotateRefreshToken(t.Context(), "h1", newToken(pid, "h2", "s1", "f1"))
		wantErr(t, "RotateRefreshToken", err, storage.ErrNotFound)
	}},
	{"Revoke", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h1", "s1", "f1"))
		must(t, s.RevokeRefreshToken(t.Context(), pid, "h1", t0.Add(time.Minute)))
		must(t, s.RevokeRefreshToken(t.Context(), pid, "h1", t0.Add(time.Hour)))
		if got := getToken(t, s, "h1").RevokedAt; !got.Equal(t0.Add(time.Minute)) {
			t.Errorf("RevokedAt: got %v, want the first revocation's %v", got, t0.Add(time.Minute))
		}
		wantErr(t, "RevokeRefreshToken of a missing hash", s.RevokeRefreshToken(t.Context(), pid, "h2", t0), storage.ErrNotFound)
	}},
	{"RevokeFamily", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s,
			newToken(pid, "a1", "s1", "fa"), newToken(pid, "a2", "s1", "fa"),
			newToken(pid, "b1", "s1", "fb"))
		must(t, s.RevokeRefreshToken(t.Context(), pid, "a2", t0))
		must(t, s.RevokeRefreshFamily(t.Context(), pid, "fa", t0.Add(time.Hour)))
		for hash, want := range map[string]time.Time{"a1": t0.Add(time.Hour), "a2": t0, "b1": {}} {
			if got := getToken(t, s, hash).RevokedAt; !got.Equal(want) {
				t.Errorf("%s RevokedAt: got %v, want %v", hash, got, want)
			}
		}
	}},
	{"RevokeUser", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s,
			newToken(pid, "a1", "s1", "fa"), newToken(pid, "a2", "s1", "fb"),
			newToken(pid, "b1", "s2", "fc"))
		must(t, s.RevokeRefreshToken(t.Context(), pid, "a2", t0))
		must(t, s.RevokeUserRefreshTokens(t.Context(), pid, "s1", t0.Add(time.Hour)))
		for hash, want := range map[string]time.Time{"a1": t0.Add(time.Hour), "a2": t0, "b1": {}} {
			if got := getToken(t, s, hash).RevokedAt; !got.Equal(want) {
				t.Errorf("%s RevokedAt: got %v, want %v", hash, got, want)
			}
		}
	}},
	{"ConcurrentRotate", func(t *testing.T, s storage.Store) {
		tokenSetup(t, s, newToken(pid, "h0", "s1", "f1"))
		ok, errs := racetest.Run(50, func(i int) error {
			return s.RotateRefreshToken(t.Context(), "h0", newToken(pid, fmt.Sprintf("next-%d", i), "s1", "f1"))
		})
		racetest.OneWinner(t, ok, errs, storage.ErrConflict)
		winner := getToken(t, s, "h0").ReplacedBy
		for i := range 50 {
			h := fmt.Sprintf("next-%d", i)
			_, err := s.GetRefreshToken(t.Context(), pid, h)
			if h == winner {
				must(t, err)
			} else {
				wantErr(t, "GetRefreshToken of a losing rotation", err, storage.ErrNotFound)
			}
		}
	}},
}
