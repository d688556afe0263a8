package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// Sweep runs at t0. Each test stores records on both sides of "now" and
// checks what is left through reads that do not themselves hide expired
// records.
var sweepTests = []test{
	{"Sessions", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.PutSession(t.Context(), newSession("old", t0.Add(-time.Second))))
		must(t, s.PutSession(t.Context(), newSession("new", t0.Add(time.Second))))
		must(t, s.Sweep(t.Context(), t0))
		// Taking as of an hour earlier, when both were valid, shows which
		// are still stored.
		_, err := s.TakeSession(t.Context(), pid, "old", t0.Add(-time.Hour))
		wantErr(t, "TakeSession of a swept session", err, storage.ErrNotFound)
		_, err = s.TakeSession(t.Context(), pid, "new", t0.Add(-time.Hour))
		must(t, err)
	}},
	{"Codes", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		old := newCode(pid, "s1", "old", "h")
		old.ExpiresAt = t0.Add(-time.Second)
		must(t, s.PutCode(t.Context(), old))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "new", "h")))
		must(t, s.Sweep(t.Context(), t0))
		_, err := s.GetCode(t.Context(), pid, "s1", "old")
		wantErr(t, "GetCode of a swept code", err, storage.ErrNotFound)
		_, err = s.GetCode(t.Context(), pid, "s1", "new")
		must(t, err)
	}},
	{"RefreshTokens", func(t *testing.T, s storage.Store) {
		old := newToken(pid, "old", "s1", "f")
		old.ExpiresAt = t0.Add(-time.Second)
		tokenSetup(t, s, old, newToken(pid, "new", "s1", "f"))
		must(t, s.Sweep(t.Context(), t0))
		_, err := s.GetRefreshToken(t.Context(), pid, "old")
		wantErr(t, "GetRefreshToken of a swept token", err, storage.ErrNotFound)
		getToken(t, s, "new")
		// The swept token's family is still revocable as a whole.
		must(t, s.RevokeRefreshFamily(t.Context(), pid, "f", t0))
		if got := getToken(t, s, "new").RevokedAt; !got.Equal(t0) {
			t.Errorf("RevokedAt: got %v, want %v", got, t0)
		}
	}},
	{"Attempts", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		free := storage.AttemptRule{Free: 5}
		take := func(key string, at time.Time, rule storage.AttemptRule) {
			t.Helper()
			_, _, err := s.TakeAttempt(t.Context(), pid, key, at, rule)
			must(t, err)
		}
		take("idle", t0.Add(-storage.AttemptIdle-time.Second), free)
		take("exactly-idle", t0.Add(-storage.AttemptIdle), free) // not more than AttemptIdle
		take("recent", t0.Add(-time.Hour), free)
		// Last attempt two days ago, but its lock ended only an hour ago.
		take("locked", t0.Add(-48*time.Hour), storage.AttemptRule{Free: 1, BaseLock: 47 * time.Hour, MaxLock: 47 * time.Hour})
		must(t, s.Sweep(t.Context(), t0))
		for key, kept := range map[string]bool{"idle": false, "exactly-idle": true, "recent": true, "locked": true} {
			c, err := s.GetAttempts(t.Context(), pid, key)
			must(t, err)
			if got := c.Count != 0; got != kept {
				t.Errorf("counter %q kept: got %v, want %v", key, got, kept)
			}
		}
	}},
}
