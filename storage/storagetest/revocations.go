package storagetest

import (
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

func newOrigin(poolID, jti string, expires time.Time) storage.RevokedOrigin {
	return storage.RevokedOrigin{PoolID: poolID, OriginJTI: jti, Sub: "s1", RevokedAt: t0, ExpiresAt: expires}
}

func origins(t *testing.T, s storage.Store, poolID string, now time.Time) []storage.RevokedOrigin {
	t.Helper()
	got, err := s.RevokedOrigins(t.Context(), poolID, now)
	must(t, err)
	return got
}

var revocationTests = []test{
	{"RevokeAndList", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		b := newOrigin(pid, "b", t0.Add(time.Hour))
		a := newOrigin(pid, "a", t0.Add(2*time.Hour))
		must(t, s.RevokeOrigin(t.Context(), b))
		must(t, s.RevokeOrigin(t.Context(), a))
		equal(t, "RevokedOrigins, ordered by OriginJTI", origins(t, s, pid, t0), []storage.RevokedOrigin{a, b})
	}},
	{"ListHidesExpired", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "a", t0.Add(time.Hour))))
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "b", t0.Add(2*time.Hour))))
		// ExpiresAt equal to now is expired.
		equal(t, "RevokedOrigins an hour later", origins(t, s, pid, t0.Add(time.Hour)),
			[]storage.RevokedOrigin{newOrigin(pid, "b", t0.Add(2*time.Hour))})
	}},
	{"RevokeTwiceKeepsFirstRevokedAtAndLaterExpiry", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "a", t0.Add(2*time.Hour))))
		again := newOrigin(pid, "a", t0.Add(time.Hour))
		again.RevokedAt = t0.Add(time.Minute)
		must(t, s.RevokeOrigin(t.Context(), again))
		equal(t, "after an earlier expiry", origins(t, s, pid, t0), []storage.RevokedOrigin{newOrigin(pid, "a", t0.Add(2*time.Hour))})
		again.ExpiresAt = t0.Add(3 * time.Hour)
		must(t, s.RevokeOrigin(t.Context(), again))
		want := newOrigin(pid, "a", t0.Add(3*time.Hour))
		equal(t, "after a later expiry", origins(t, s, pid, t0), []storage.RevokedOrigin{want})
	}},
	{"MissingPool", func(t *testing.T, s storage.Store) {
		wantErr(t, "RevokeOrigin in a missing pool", s.RevokeOrigin(t.Context(), newOrigin("nope", "a", t0.Add(time.Hour))), storage.ErrNotFound)
		if got := origins(t, s, "nope", t0); len(got) != 0 {
			t.Errorf("RevokedOrigins of a missing pool: got %v, want none", got)
		}
	}},
	{"PoolsAreSeparate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		must(t, s.RevokeOrigin(t.Context(), newOrigin("other", "a", t0.Add(time.Hour))))
		if got := origins(t, s, pid, t0); len(got) != 0 {
			t.Errorf("RevokedOrigins of %s: got %v, want none", pid, got)
		}
	}},
	{"DeletePoolCascades", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "a", t0.Add(time.Hour))))
		must(t, s.DeletePool(t.Context(), pid))
		createPool(t, s, pid)
		if got := origins(t, s, pid, t0); len(got) != 0 {
			t.Errorf("RevokedOrigins of a re-created pool: got %v, want none", got)
		}
	}},
	{"Sweep", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "old", t0.Add(-time.Second))))
		must(t, s.RevokeOrigin(t.Context(), newOrigin(pid, "new", t0.Add(time.Second))))
		must(t, s.Sweep(t.Context(), t0))
		// Listing as of an hour earlier, when both were live, shows which
		// are still stored.
		equal(t, "RevokedOrigins after Sweep", origins(t, s, pid, t0.Add(-time.Hour)),
			[]storage.RevokedOrigin{newOrigin(pid, "new", t0.Add(time.Second))})
	}},
	{"ConcurrentRevoke", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if err := s.RevokeOrigin(t.Context(), newOrigin(pid, "a", t0.Add(time.Duration(i+1)*time.Minute))); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		got := origins(t, s, pid, t0)
		if len(got) != 1 || !got[0].ExpiresAt.Equal(t0.Add(20*time.Minute)) {
			t.Errorf("after 20 concurrent revocations: got %+v, want one record expiring at %v", got, t0.Add(20*time.Minute))
		}
	}},
}
