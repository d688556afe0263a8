// Package racetest runs calls that race for one thing and checks that the
// contract settled the race: the storage conformance suite and the
// PostgreSQL store's multi-instance tests both use it, so a store is held
// to one rule for "exactly one wins".
package racetest

import (
	"errors"
	"sync"
	"testing"
)

// Run runs f(0) … f(n-1) in n goroutines released at once, and returns
// how many returned nil and the other errors. Releasing them together,
// rather than as each starts, makes the calls overlap as much as the
// scheduler allows.
func Run(n int, f func(i int) error) (ok int, errs []error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		start = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-start
			err := f(i)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else {
				errs = append(errs, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return ok, errs
}

// OneWinner fails t unless exactly one call succeeded (ok is 1) and every
// other one failed with an error matching target.
func OneWinner(t testing.TB, ok int, errs []error, target error) {
	t.Helper()
	if ok != 1 {
		t.Errorf("%d calls succeeded, want exactly 1", ok)
	}
	for _, err := range errs {
		if !errors.Is(err, target) {
			t.Fatalf("losing call: got error %v, want %v", err, target)
		}
	}
}
