package userpool_test

import (
	"context"
	"crypto/rand"
	"github.com/userpool/userpool/internal/fakeclock"
	"log/slog"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

func newTokenClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC))
}

// tokenFixture is a pool with one user and clients, on a fake clock.
type tokenFixture struct {
	pool  *userpool.Pool
	clock *fakeclock.Clock
	store storage.Store
	sub   string
	// public has no secret; secret has one.
	public, secret userpool.Client
}

const fixtureUser = "ana"

func newTokenFixture(t testing.TB, opts ...userpool.Option) *tokenFixture {
	t.Helper()
	ctx := context.Background()
	f := &tokenFixture{clock: newTokenClock(), store: memory.New(), sub: "0b6f3d2e-5c1a-4e7b-9a8d-1f2e3d4c5b6a"}
	all := append([]userpool.Option{
		userpool.WithStore(f.store),
		userpool.WithClock(f.clock.Now),
		userpool.WithRandom(rand.Reader),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
		userpool.WithIssuer("https://auth.example.com"),
		userpool.WithSigningAlgorithm(userpool.ES256),
		userpool.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)
	p, err := userpool.New(ctx, "tokens", all...)
	if err != nil {
		t.Fatal(err)
	}
	f.pool = p
	now := f.clock.Now()
	err = f.store.CreateUser(ctx, storage.User{
		PoolID: p.ID(), Sub: f.sub, Username: fixtureUser,
		Logins:     []storage.Login{{Name: "username", Key: fixtureUser}},
		Attributes: map[string]string{"email": "ana@example.com", "email_verified": "true", "custom:tier": "gold", "updated_at": "1700000000"},
		Status:     "CONFIRMED", Enabled: true, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.public, err = p.CreateClient(ctx, userpool.ClientConfig{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if f.secret, err = p.CreateClient(ctx, userpool.ClientConfig{Name: "server", GenerateSecret: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

// signIn issues tokens for the fixture's user as a completed sign-in.
func (f *tokenFixture) signIn(t testing.TB, clientID string) userpool.AuthenticationResult {
	t.Helper()
	res, err := userpool.IssueTokensForTest(context.Background(), f.pool, f.sub, clientID, "")
	if err != nil {
		t.Fatal(err)
	}
	return res
}
