package cognitoapi

import (
	"encoding/base64"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// These helpers serve the public and token operations wired later; they
// are tested here, inside the package, until those operations exist.

func newTestHandler(t *testing.T) (*Handler, storage.Store) {
	t.Helper()
	store := memory.New()
	h, err := New(store, AllowUnsignedAdmin(), WithLogger(slog.New(slog.DiscardHandler)),
		WithPoolOptions(userpool.WithLogger(slog.New(slog.DiscardHandler)), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())))
	if err != nil {
		t.Fatal(err)
	}
	return h, store
}

func TestPoolForClient(t *testing.T) {
	ctx := t.Context()
	h, store := newTestHandler(t)
	var ids []string
	for _, name := range []string{"one", "two", "three"} {
		p, err := userpool.New(ctx, name, userpool.WithStore(store), userpool.WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID())
	}
	now := time.Now()
	if err := store.CreateClient(ctx, storage.Client{PoolID: ids[2], ID: "client3abcdefghijklmnopqrs", Name: "web", Settings: []byte("{}"), CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second lookup hits the index
		p, err := h.poolForClient(ctx, "client3abcdefghijklmnopqrs")
		if err != nil || p.ID() != ids[2] {
			t.Fatalf("poolForClient = %v, %v; want pool %s", p, err, ids[2])
		}
	}
	for _, bad := range []string{"unknownclient0000000000000", "", "has space", "x/y"} {
		_, err := h.poolForClient(ctx, bad)
		var e *userpool.Error
		if !errors.As(err, &e) || e.Code != "ResourceNotFoundException" || e.Message != "User pool client "+bad+" does not exist." {
			t.Errorf("poolForClient(%q) = %v, want ResourceNotFoundException", bad, err)
		}
	}
	// A deleted pool's clients are no longer found.
	if err := store.DeletePool(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	if _, err := h.poolForClient(ctx, "client3abcdefghijklmnopqrs"); !errors.Is(err, userpool.ErrResourceNotFound) {
		t.Errorf("client of a deleted pool: %v, want ResourceNotFoundException", err)
	}
}

func TestPoolForToken(t *testing.T) {
	ctx := t.Context()
	h, store := newTestHandler(t)
	p, err := userpool.New(ctx, "tokens", userpool.WithStore(store), userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	jwt := func(payload string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".sig"
	}
	got, err := h.poolForToken(ctx, jwt(`{"iss":"https://cognito-idp.us-east-1.amazonaws.com/`+p.ID()+`"}`))
	if err != nil || got.ID() != p.ID() {
		t.Fatalf("poolForToken = %v, %v; want %s", got, err, p.ID())
	}
	for name, tok := range map[string]string{
		"not a JWT":      "abc",
		"bad base64":     "a.!!!.c",
		"not JSON":       jwt(`nope`),
		"no iss":         jwt(`{}`),
		"iss without id": jwt(`{"iss":"https://example.com/"}`),
		"unknown pool":   jwt(`{"iss":"https://example.com/us-east-1_nothere00"}`),
		"iss not string": jwt(`{"iss":5}`),
	} {
		_, err := h.poolForToken(ctx, tok)
		var e *userpool.Error
		if !errors.As(err, &e) || e.Code != "NotAuthorizedException" || e.Message != "Invalid Access Token" {
			t.Errorf("%s: poolForToken = %v, want NotAuthorizedException Invalid Access Token", name, err)
		}
	}
}
