package storage

import (
	"context"
	"math"
	"time"
)

// AttemptRule describes how attempts at a guessable secret (a password, a
// code) are bounded: Free attempts run freely; each one after that, counted
// from the first, starts a lock of BaseLock doubling per attempt up to
// MaxLock, and no attempt is allowed while a lock runs. The counter starts
// over after ResetAfter without attempts. A zero BaseLock never locks.
type AttemptRule struct {
	Free       int
	BaseLock   time.Duration
	MaxLock    time.Duration
	ResetAfter time.Duration
}

// AttemptCount is the state of one attempt counter.
type AttemptCount struct {
	Count       int
	LastAt      time.Time
	LockedUntil time.Time
}

// Next returns the counter after one more attempt at now, and whether the
// attempt may go ahead. A refused attempt leaves the counter as it was, so
// attempts during a lock never extend it.
//
// The lock is taken when the attempt starts, not when it fails: of many
// concurrent attempts only the free ones run before the lock applies. The
// caller resets the counter when the attempt succeeds.
func (r AttemptRule) Next(c AttemptCount, now time.Time) (AttemptCount, bool) {
	if now.Before(c.LockedUntil) {
		return c, false
	}
	if r.ResetAfter > 0 && !c.LastAt.IsZero() && now.Sub(c.LastAt) >= r.ResetAfter {
		c = AttemptCount{}
	}
	c.Count++
	c.LastAt = now
	if r.BaseLock > 0 && c.Count >= r.Free {
		lock := r.BaseLock
		// Stop doubling at the cap, or before the duration overflows.
		for i := r.Free; i < c.Count && (r.MaxLock <= 0 || lock < r.MaxLock) && lock < math.MaxInt64/2; i++ {
			lock *= 2
		}
		if r.MaxLock > 0 && lock > r.MaxLock {
			lock = r.MaxLock
		}
		c.LockedUntil = now.Add(lock)
	}
	return c, true
}

// AttemptIdle is how long a counter must be idle before Sweep may delete it.
// Rules' ResetAfter must not exceed it.
const AttemptIdle = 24 * time.Hour

// Attempts persists attempt counters, keyed by an arbitrary string within a
// pool (for example "password:<sub>").
type Attempts interface {
	// TakeAttempt applies rule.Next to the stored counter (a zero counter if
	// there is none) at now and stores the result, as one atomic step: of
	// N concurrent calls none is lost. It returns the new counter and
	// whether the attempt may go ahead.
	TakeAttempt(ctx context.Context, poolID, key string, now time.Time, rule AttemptRule) (AttemptCount, bool, error)
	// GetAttempts returns the counter, or a zero counter if there is none.
	GetAttempts(ctx context.Context, poolID, key string) (AttemptCount, error)
	// ResetAttempts deletes the counter; it is not an error if there is none.
	ResetAttempts(ctx context.Context, poolID, key string) error
}
