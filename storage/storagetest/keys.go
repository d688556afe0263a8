package storagetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

func kids(t *testing.T, s storage.Store) []string {
	t.Helper()
	keys, err := s.SigningKeys(t.Context(), pid)
	must(t, err)
	var ids []string
	for _, k := range keys {
		ids = append(ids, k.KID)
	}
	return ids
}

var keyTests = []test{
	{"RotateFirst", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		k := newKey(pid, "k1", t0)
		must(t, s.RotateSigningKey(t.Context(), "", k))
		keys, err := s.SigningKeys(t.Context(), pid)
		must(t, err)
		equal(t, "SigningKeys", keys, []storage.SigningKey{k})
	}},
	{"RotateCAS", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k1", t0)))
		must(t, s.RotateSigningKey(t.Context(), "k1", newKey(pid, "k2", t0.Add(time.Hour))))
		// Whoever still thinks k1 or nothing is active loses.
		wantErr(t, "rotating from a retired key", s.RotateSigningKey(t.Context(), "k1", newKey(pid, "k3", t0.Add(2*time.Hour))), storage.ErrConflict)
		wantErr(t, `rotating from ""`, s.RotateSigningKey(t.Context(), "", newKey(pid, "k3", t0.Add(2*time.Hour))), storage.ErrConflict)
		retired := newKey(pid, "k1", t0)
		retired.RetiredAt = t0.Add(time.Hour)
		keys, err := s.SigningKeys(t.Context(), pid)
		must(t, err)
		equal(t, "SigningKeys, newest first", keys, []storage.SigningKey{newKey(pid, "k2", t0.Add(time.Hour)), retired})
	}},
	{"RotateToTakenKID", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k1", t0)))
		must(t, s.RotateSigningKey(t.Context(), "k1", newKey(pid, "k2", t0.Add(time.Hour))))
		err := s.RotateSigningKey(t.Context(), "k2", newKey(pid, "k1", t0.Add(2*time.Hour)))
		wantErr(t, "RotateSigningKey to an existing kid", err, storage.ErrConflict)
		keys, err := s.SigningKeys(t.Context(), pid)
		must(t, err)
		if len(keys) != 2 || keys[0].KID != "k2" || !keys[0].RetiredAt.IsZero() {
			t.Errorf("got keys %+v, want k2 still active and k1 retired", keys)
		}
	}},
	{"Delete", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k1", t0)))
		must(t, s.RotateSigningKey(t.Context(), "k1", newKey(pid, "k2", t0.Add(time.Hour))))
		must(t, s.DeleteSigningKey(t.Context(), pid, "k1"))
		equal(t, "kids after DeleteSigningKey", kids(t, s), []string{"k2"})
		wantErr(t, "second DeleteSigningKey", s.DeleteSigningKey(t.Context(), pid, "k1"), storage.ErrNotFound)
	}},
	{"PoolsAreSeparate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		must(t, s.RotateSigningKey(t.Context(), "", newKey("other", "k1", t0)))
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k9", t0)))
		equal(t, "kids", kids(t, s), []string{"k9"})
	}},
	{"ConcurrentRotate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.RotateSigningKey(t.Context(), "", newKey(pid, "k0", t0)))
		ok, errs := racetest.Run(50, func(i int) error {
			return s.RotateSigningKey(t.Context(), "k0", newKey(pid, fmt.Sprintf("k%d", i+1), t0.Add(time.Hour)))
		})
		racetest.OneWinner(t, ok, errs, storage.ErrConflict)
		keys, err := s.SigningKeys(t.Context(), pid)
		must(t, err)
		active := 0
		for _, k := range keys {
			if k.RetiredAt.IsZero() {
				active++
			}
		}
		if len(keys) != 2 || active != 1 {
			t.Errorf("got %d keys, %d active; want 2 keys, 1 active", len(keys), active)
		}
	}},
}
