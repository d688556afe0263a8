package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/storebench"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

var t0 = time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)

const pid = "eu-west-1_Test"

// open opens a fresh store in a temporary directory, closed at cleanup.
func open(t testing.TB) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pool.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// openWithPool opens a fresh store holding the pool pid.
func openWithPool(t testing.TB) *sqlite.Store {
	t.Helper()
	s, _ := open(t)
	must(t, s.CreatePool(context.Background(), storage.Pool{ID: pid, Name: "test", CreatedAt: t0, UpdatedAt: t0}))
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// user returns storebench.User(pid, i) with family_name Family0 …
// Family99 (i%100), so that the listing tests find many users under one
// family_name prefix.
func user(i int) storage.User {
	u := storebench.User(pid, i)
	u.Attributes["family_name"] = fmt.Sprintf("Family%d", i%100)
	return u
}
