package sqlite_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

// TestTakeAttemptConcurrent runs 200 concurrent increments of one counter,
// half through a second Store on the same file (as a second process
// would), and checks that none is lost and each saw a distinct count.
func TestTakeAttemptConcurrent(t *testing.T) {
	ctx := context.Background()
	a, path := open(t)
	must(t, a.CreatePool(ctx, storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0}))
	b, err := sqlite.Open(ctx, path)
	must(t, err)
	defer b.Close()

	const n = 200
	rule := storage.AttemptRule{Free: n + 1, BaseLock: time.Second}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		seen  = make(map[int]bool)
		start = make(chan struct{})
	)
	for i := range n {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			<-start
			c, ok, err := s.TakeAttempt(ctx, pid, "password:x", t0, rule)
			mu.Lock()
			defer mu.Unlock()
			if err != nil || !ok {
				t.Errorf("TakeAttempt: ok %v, err %v", ok, err)
				return
			}
			if seen[c.Count] {
				t.Errorf("count %d returned twice", c.Count)
			}
			seen[c.Count] = true
		})
	}
	close(start)
	wg.Wait()
	got, err := a.GetAttempts(ctx, pid, "password:x")
	must(t, err)
	if got.Count != n {
		t.Fatalf("count after %d concurrent attempts: got %d", n, got.Count)
	}
}
