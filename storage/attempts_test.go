package storage_test

import (
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

func TestAttemptRuleNext(t *testing.T) {
	t0 := time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	cognito := storage.AttemptRule{Free: 5, BaseLock: time.Second, MaxLock: 10 * time.Second, ResetAfter: time.Hour}
	tests := []struct {
		name   string
		rule   storage.AttemptRule
		before storage.AttemptCount
		now    time.Time
		want   storage.AttemptCount
		wantOK bool
	}{
		{"first attempt", cognito, storage.AttemptCount{}, t0,
			storage.AttemptCount{Count: 1, LastAt: t0}, true},
		{"fourth attempt is free", cognito, storage.AttemptCount{Count: 3, LastAt: t0}, at(time.Second),
			storage.AttemptCount{Count: 4, LastAt: at(time.Second)}, true},
		{"fifth attempt runs and locks 1s", cognito, storage.AttemptCount{Count: 4, LastAt: t0}, t0,
			storage.AttemptCount{Count: 5, LastAt: t0, LockedUntil: at(time.Second)}, true},
		{"sixth locks 2s", cognito, storage.AttemptCount{Count: 5, LastAt: t0, LockedUntil: at(time.Second)}, at(time.Second),
			storage.AttemptCount{Count: 6, LastAt: at(time.Second), LockedUntil: at(3 * time.Second)}, true},
		{"seventh locks 4s", cognito, storage.AttemptCount{Count: 6, LastAt: t0}, t0,
			storage.AttemptCount{Count: 7, LastAt: t0, LockedUntil: at(4 * time.Second)}, true},
		{"eighth locks 8s", cognito, storage.AttemptCount{Count: 7, LastAt: t0}, t0,
			storage.AttemptCount{Count: 8, LastAt: t0, LockedUntil: at(8 * time.Second)}, true},
		{"ninth is capped at MaxLock", cognito, storage.AttemptCount{Count: 8, LastAt: t0}, t0,
			storage.AttemptCount{Count: 9, LastAt: t0, LockedUntil: at(10 * time.Second)}, true},
		{"far past the cap", cognito, storage.AttemptCount{Count: 500, LastAt: t0}, t0,
			storage.AttemptCount{Count: 501, LastAt: t0, LockedUntil: at(10 * time.Second)}, true},
		{"refused during a lock, which it does not extend", cognito,
			storage.AttemptCount{Count: 6, LastAt: t0, LockedUntil: at(3 * time.Second)}, at(3*time.Second - time.Nanosecond),
			storage.AttemptCount{Count: 6, LastAt: t0, LockedUntil: at(3 * time.Second)}, false},
		{"allowed the instant the lock ends", cognito,
			storage.AttemptCount{Count: 6, LastAt: t0, LockedUntil: at(3 * time.Second)}, at(3 * time.Second),
			storage.AttemptCount{Count: 7, LastAt: at(3 * time.Second), LockedUntil: at(7 * time.Second)}, true},
		{"starts over after ResetAfter", cognito,
			storage.AttemptCount{Count: 9, LastAt: t0, LockedUntil: at(10 * time.Second)}, at(time.Hour),
			storage.AttemptCount{Count: 1, LastAt: at(time.Hour)}, true},
		{"counts on just before ResetAfter", cognito, storage.AttemptCount{Count: 3, LastAt: t0}, at(time.Hour - time.Second),
			storage.AttemptCount{Count: 4, LastAt: at(time.Hour - time.Second)}, true},
		{"zero BaseLock never locks", storage.AttemptRule{Free: 5}, storage.AttemptCount{Count: 100, LastAt: t0}, t0,
			storage.AttemptCount{Count: 101, LastAt: t0}, true},
		{"zero ResetAfter never starts over", storage.AttemptRule{Free: 5, BaseLock: time.Second},
			storage.AttemptCount{Count: 3, LastAt: t0}, at(1000 * time.Hour),
			storage.AttemptCount{Count: 4, LastAt: at(1000 * time.Hour)}, true},
		{"zero MaxLock keeps doubling", storage.AttemptRule{Free: 1, BaseLock: time.Second},
			storage.AttemptCount{Count: 3, LastAt: t0}, t0,
			storage.AttemptCount{Count: 4, LastAt: t0, LockedUntil: at(8 * time.Second)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.rule.Next(tc.before, tc.now)
			if ok != tc.wantOK || got != tc.want {
				t.Errorf("Next(%+v, %v):\ngot  %+v, %v\nwant %+v, %v", tc.before, tc.now, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
