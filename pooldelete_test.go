package userpool_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

func TestPoolDelete(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	quiet := userpool.WithLogger(slog.New(slog.DiscardHandler))
	p, err := userpool.New(ctx, "doomed", userpool.WithStore(store), userpool.WithDeletionProtection(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(ctx); !errors.Is(err, userpool.ErrInvalidParameter) {
		t.Fatalf("Delete with deletion protection: %v, want ErrInvalidParameter", err)
	}
	if _, err := store.GetPool(ctx, p.ID()); err != nil {
		t.Fatalf("protected pool gone: %v", err)
	}
	// Protection is read from the store: another instance turning it off
	// is enough.
	if _, err := userpool.New(ctx, "doomed", userpool.WithStore(store), quiet); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(ctx); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := store.GetPool(ctx, p.ID()); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("pool still stored after Delete: %v", err)
	}
	err = p.Delete(ctx)
	var e *userpool.Error
	if !errors.As(err, &e) || e.Code != "ResourceNotFoundException" || e.Message != "User pool "+p.ID()+" does not exist." {
		t.Fatalf("second Delete: %v, want ResourceNotFoundException", err)
	}
}

func TestDefaultConfigIsFresh(t *testing.T) {
	a := userpool.DefaultConfig("a")
	if a.Name != "a" || a.PasswordPolicy != userpool.DefaultPasswordPolicy() || len(a.Attributes) == 0 {
		t.Fatalf("DefaultConfig = %+v", a)
	}
	for i := range a.Attributes {
		if a.Attributes[i].MinValue != nil {
			*a.Attributes[i].MinValue = 99
		}
	}
	a.AccountRecovery[0] = userpool.RecoveryAdminOnly
	b := userpool.DefaultConfig("b")
	for _, attr := range b.Attributes {
		if attr.MinValue != nil && *attr.MinValue != 0 {
			t.Errorf("changing one DefaultConfig changed another: %s MinValue %d", attr.Name, *attr.MinValue)
		}
	}
	if b.AccountRecovery[0] == userpool.RecoveryAdminOnly {
		t.Error("changing one DefaultConfig changed another's AccountRecovery")
	}
	p, err := userpool.New(context.Background(), "b", userpool.WithConfig(b), userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("New(WithConfig(DefaultConfig)): %v", err)
	}
	if got := p.Config().PasswordPolicy; got != userpool.DefaultPasswordPolicy() {
		t.Errorf("pool from DefaultConfig has policy %+v", got)
	}
}
