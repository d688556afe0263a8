package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

var attemptTests = []test{
	{"Lockout", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		rule := storage.AttemptRule{Free: 3, BaseLock: time.Second, MaxLock: 4 * time.Second, ResetAfter: time.Hour}
		sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
		for i, step := range []struct {
			at     int
			ok     bool
			count  int
			lockTo int // seconds after t0; -1 for no lock
		}{
			{0, true, 1, -1},
			{0, true, 2, -1},
			{0, true, 3, 1},    // the last free attempt starts the first lock
			{0, false, 3, 1},   // refused: the counter is unchanged
			{1, true, 4, 3},    // lock doubles
			{3, true, 5, 7},    // and again
			{7, true, 6, 11},   // capped at MaxLock
			{10, false, 6, 11}, // refused attempts never extend a lock
			{11, true, 7, 15},
			{15 + 3600, true, 1, -1}, // an hour without attempts starts over
		} {
			c, ok, err := s.TakeAttempt(t.Context(), pid, "password:s1", sec(step.at), rule)
			must(t, err)
			want := storage.AttemptCount{Count: step.count, LockedUntil: sec(step.lockTo)}
			if step.lockTo < 0 {
				want.LockedUntil = time.Time{}
			}
			if ok != step.ok || c.Count != want.Count || !c.LockedUntil.Equal(want.LockedUntil) {
				t.Fatalf("attempt %d at +%ds: got %v %+v, want %v count %d locked until %v", i, step.at, ok, c, step.ok, want.Count, want.LockedUntil)
			}
			stored, err := s.GetAttempts(t.Context(), pid, "password:s1")
			must(t, err)
			equal(t, "GetAttempts", stored, c)
		}
	}},
	{"GetReset", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		c, err := s.GetAttempts(t.Context(), pid, "k")
		must(t, err)
		equal(t, "GetAttempts of no counter", c, storage.AttemptCount{})
		must(t, s.ResetAttempts(t.Context(), pid, "k")) // none: not an error
		_, _, err = s.TakeAttempt(t.Context(), pid, "k", t0, storage.AttemptRule{Free: 5})
		must(t, err)
		_, _, err = s.TakeAttempt(t.Context(), pid, "other", t0, storage.AttemptRule{Free: 5})
		must(t, err)
		must(t, s.ResetAttempts(t.Context(), pid, "k"))
		c, err = s.GetAttempts(t.Context(), pid, "k")
		must(t, err)
		equal(t, "GetAttempts after ResetAttempts", c, storage.AttemptCount{})
		if c, err := s.GetAttempts(t.Context(), pid, "other"); err != nil || c.Count != 1 {
			t.Errorf("other counter: got %+v, %v, want count 1", c, err)
		}
	}},
	{"ConcurrentNoneLost", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		rule := storage.AttemptRule{Free: 5} // BaseLock 0: never locks
		ok, errs := racetest.Run(200, func(int) error {
			_, allowed, err := s.TakeAttempt(t.Context(), pid, "k", t0, rule)
			if err == nil && !allowed {
				t.Error("attempt refused by a rule that never locks")
			}
			return err
		})
		if ok != 200 {
			t.Fatalf("%d attempts succeeded, want 200: %v", ok, errs)
		}
		c, err := s.GetAttempts(t.Context(), pid, "k")
		must(t, err)
		if c.Count != 200 {
			t.Errorf("Count: got %d, want 200", c.Count)
		}
	}},
}
