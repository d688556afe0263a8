package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

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

// user returns a user numbered i with a username login, an email login
// and a few searchable attributes.
func user(i int) storage.User {
	name := fmt.Sprintf("user%06d", i)
	email := fmt.Sprintf("%s@example.com", name)
	return storage.User{
		PoolID:   pid,
		Sub:      fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
		Username: name,
		Logins:   []storage.Login{{Name: "username", Key: name}, {Name: "email", Key: email}},
		Attributes: map[string]string{
			"email": email, "email_verified": "true", "given_name": "Given", "family_name": fmt.Sprintf("Family%d", i%100),
		},
		Status:       "CONFIRMED",
		Enabled:      true,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
		SRP:          storage.SRPVerifier{Salt: make([]byte, 16), Verifier: make([]byte, 384)},
		CreatedAt:    t0,
		UpdatedAt:    t0,
	}
}
