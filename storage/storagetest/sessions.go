package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

func newSession(id string, expires time.Time) storage.Session {
	return storage.Session{PoolID: pid, ID: id, Data: []byte("state " + id), ExpiresAt: expires}
}

var sessionTests = []test{
	{"PutDuplicate", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.PutSession(t.Context(), newSession("a", t0.Add(time.Minute))))
		wantErr(t, "second PutSession", s.PutSession(t.Context(), newSession("a", t0.Add(time.Hour))), storage.ErrConflict)
	}},
	{"TakeOnce", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		want := newSession("a", t0.Add(time.Minute))
		must(t, s.PutSession(t.Context(), want))
		got, err := s.TakeSession(t.Context(), pid, "a", t0)
		must(t, err)
		equal(t, "TakeSession", got, want)
		_, err = s.TakeSession(t.Context(), pid, "a", t0)
		wantErr(t, "second TakeSession", err, storage.ErrNotFound)
	}},
	{"TakeMissing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		must(t, s.PutSession(t.Context(), storage.Session{PoolID: "other", ID: "a", ExpiresAt: t0.Add(time.Hour)}))
		_, err := s.TakeSession(t.Context(), pid, "a", t0)
		wantErr(t, "TakeSession of another pool's session", err, storage.ErrNotFound)
	}},
	{"Expired", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.PutSession(t.Context(), newSession("a", t0)))
		must(t, s.PutSession(t.Context(), newSession("b", t0.Add(-time.Second))))
		must(t, s.PutSession(t.Context(), newSession("c", t0.Add(time.Second))))
		for _, id := range []string{"a", "b"} { // ExpiresAt not after now
			_, err := s.TakeSession(t.Context(), pid, id, t0)
			wantErr(t, "TakeSession of expired "+id, err, storage.ErrNotFound)
		}
		_, err := s.TakeSession(t.Context(), pid, "c", t0)
		must(t, err)
	}},
	{"ConcurrentTake", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		must(t, s.PutSession(t.Context(), newSession("a", t0.Add(time.Minute))))
		ok, errs := racetest.Run(50, func(int) error {
			_, err := s.TakeSession(t.Context(), pid, "a", t0)
			return err
		})
		racetest.OneWinner(t, ok, errs, storage.ErrNotFound)
	}},
}
