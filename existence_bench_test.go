package userpool_test

import (
	"context"
	"errors"
	"github.com/userpool/userpool/internal/fakeclock"
	"log/slog"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// BenchmarkUserExistenceTiming measures what security.md promises of a
// client that prevents user-existence errors: signing in as an unknown user
// and with a wrong password take the same time, so timing does not tell
// which users exist. The two are interleaved in one run with the default
// hashing profile, and the ratio of their median times is reported (the
// promise: within 5%, a ratio between 0.95 and 1.05). Both must answer
// the same error and message, which the loop checks on every iteration.
//
// The clock moves 16 minutes per iteration, past the lockout's reset, so
// every attempt reaches the password check instead of the lock.
//
//	go test -run '^$' -bench BenchmarkUserExistenceTiming -benchtime 1000x .
func BenchmarkUserExistenceTiming(b *testing.B) {
	ctx := context.Background()
	clock := fakeclock.New(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	p, err := userpool.New(ctx, "existence", userpool.WithClock(clock.Now),
		userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	c, err := p.CreateClient(ctx, userpool.ClientConfig{Name: "app", AuthFlows: passwordFlows, PreventUserExistenceErrors: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: "ana", MessageAction: userpool.MessageSuppress, TemporaryPassword: tempPassword}); err != nil {
		b.Fatal(err)
	}
	if err := p.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: authPassword, Permanent: true}); err != nil {
		b.Fatal(err)
	}
	attempt := func(username string) (time.Duration, *userpool.Error) {
		t := time.Now()
		_, err := p.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: c.ID,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": "Wrong-password-1"}})
		d := time.Since(t)
		var e *userpool.Error
		if !errors.As(err, &e) {
			b.Fatalf("%s: got %v, want a userpool error", username, err)
		}
		return d, e
	}
	var wrong, unknown []time.Duration
	for i := 0; b.Loop(); i++ {
		clock.Advance(16 * time.Minute)
		first, second := "ana", "nobody"
		if i%2 == 1 {
			first, second = second, first
		}
		d1, e1 := attempt(first)
		d2, e2 := attempt(second)
		if e1.Code != e2.Code || e1.Message != e2.Message {
			b.Fatalf("answers differ: %s %q for %s, %s %q for %s", e1.Code, e1.Message, first, e2.Code, e2.Message, second)
		}
		if first == "ana" {
			wrong, unknown = append(wrong, d1), append(unknown, d2)
		} else {
			wrong, unknown = append(wrong, d2), append(unknown, d1)
		}
	}
	b.ReportMetric(float64(durationMedian(wrong).Microseconds()), "wrong-µs")
	b.ReportMetric(float64(durationMedian(unknown).Microseconds()), "unknown-µs")
	b.ReportMetric(float64(durationMedian(unknown))/float64(durationMedian(wrong)), "unknown/wrong")
}
