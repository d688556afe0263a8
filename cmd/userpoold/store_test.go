package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/storage/postgres"
	"github.com/userpool/userpool/storage/sqlite"
)

func TestOpenStoreChoosesTheBackend(t *testing.T) {
	ctx := context.Background()
	s, err := openStore(ctx, filepath.Join(t.TempDir(), "u.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*sqlite.Store); !ok {
		t.Errorf("a path opened %T, want *sqlite.Store", s)
	}
	url := os.Getenv("USERPOOL_POSTGRES_URL")
	if url == "" {
		t.Skip("USERPOOL_POSTGRES_URL is not set: skipping the PostgreSQL half")
	}
	p, err := openStore(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, ok := p.(*postgres.Store); !ok {
		t.Errorf("a postgres URL opened %T, want *postgres.Store", p)
	}
}

func TestRedactDB(t *testing.T) {
	for in, want := range map[string]string{
		"./userpool.db": "./userpool.db",
		"postgres://app:s3cret@db.internal/users?sslmode=disable": "postgres://app:xxxxx@db.internal/users?sslmode=disable",
	} {
		if got := redactDB(in); got != want {
			t.Errorf("redactDB(%q) = %q, want %q", in, got, want)
		}
	}
}
