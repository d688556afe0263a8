package userpool_test

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// BenchmarkSignInOverload offers five times as many concurrent password
// sign-ins as the hashing cap admits (the default profile, the default cap
// of 2 x GOMAXPROCS and its one-second queue) and reports how the pool
// holds up, as security.md's load section asks: the share refused with
// TooManyRequests, the 99th percentile latency of those admitted, and the
// peak heap. A pool that queued without bound would show no refusals and
// a growing tail and heap instead.
//
//	go test -run '^$' -bench BenchmarkSignInOverload -benchtime 5x .
func BenchmarkSignInOverload(b *testing.B) {
	ctx := context.Background()
	p, err := userpool.New(ctx, "overload", userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	c, err := p.CreateClient(ctx, userpool.ClientConfig{Name: "app", AuthFlows: passwordFlows})
	if err != nil {
		b.Fatal(err)
	}
	const users = 40
	for i := range users {
		name := "user" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, err := p.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: name, MessageAction: userpool.MessageSuppress, TemporaryPassword: tempPassword}); err != nil {
			b.Fatal(err)
		}
		if err := p.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: name, Password: authPassword, Permanent: true}); err != nil {
			b.Fatal(err)
		}
	}
	offered := 5 * 2 * runtime.GOMAXPROCS(0)
	var (
		mu       sync.Mutex
		admitted []time.Duration
		refused  atomic.Int64
		total    atomic.Int64
		peak     atomic.Uint64
	)
	stop := make(chan struct{})
	go func() { // sample the heap while the burst runs
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range offered {
			name := "user" + string(rune('a'+i%users%26)) + string(rune('a'+i%users/26))
			wg.Go(func() {
				t := time.Now()
				_, err := p.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: c.ID,
					AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": authPassword}})
				d := time.Since(t)
				total.Add(1)
				switch {
				case errors.Is(err, userpool.ErrTooManyRequests):
					refused.Add(1)
				case err != nil:
					b.Error(err)
				default:
					mu.Lock()
					admitted = append(admitted, d)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}
	close(stop)
	slices.Sort(admitted)
	if len(admitted) > 0 {
		b.ReportMetric(float64(admitted[len(admitted)*99/100].Milliseconds()), "p99-ms")
	}
	b.ReportMetric(float64(refused.Load())/float64(total.Load()), "refused-share")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
