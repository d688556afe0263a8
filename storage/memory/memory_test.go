package memory_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s := memory.New()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// The cases below are this backend's own choices, where the contract
// leaves a caller's mistake unspecified.

func TestCallerMistakes(t *testing.T) {
	s := memory.New()
	ctx := t.Context()
	if err := s.CreatePool(ctx, storage.Pool{ID: "p"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		q    storage.UserQuery
	}{
		{"unknown attribute", storage.UserQuery{Attribute: "custom:x", PageRequest: storage.PageRequest{Limit: 1}}},
		{"zero limit", storage.UserQuery{}},
		{"cursor of another listing", storage.UserQuery{Attribute: "email", PageRequest: storage.PageRequest{Limit: 1, Cursor: usernameCursor(t, s)}}},
	} {
		_, err := s.ListUsers(ctx, "p", tc.q)
		if err == nil || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
			t.Errorf("%s: got error %v, want a plain error", tc.name, err)
		}
	}
}

// usernameCursor returns a valid cursor of the unfiltered user listing.
func usernameCursor(t *testing.T, s *memory.Store) string {
	t.Helper()
	for _, name := range []string{"a", "b"} {
		u := storage.User{PoolID: "p", Sub: name, Username: name, Logins: []storage.Login{{Name: "username", Key: name}}}
		if err := s.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListUsers(t.Context(), "p", storage.UserQuery{PageRequest: storage.PageRequest{Limit: 1}})
	if err != nil || page.Next == "" {
		t.Fatalf("got %+v, %v, want a next page", page, err)
	}
	return page.Next
}

func TestClosed(t *testing.T) {
	s := memory.New()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetPool(t.Context(), "p"); err == nil {
		t.Error("GetPool after Close: got no error")
	}
	if err := s.CreatePool(t.Context(), storage.Pool{ID: "p"}); err == nil {
		t.Error("CreatePool after Close: got no error")
	}
}

// benchStore returns a store with one pool of n users, each with an email.
func benchStore(b *testing.B, n int) *memory.Store {
	s := memory.New()
	ctx := b.Context()
	if err := s.CreatePool(ctx, storage.Pool{ID: "p"}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("user%06d", i)
		u := storage.User{
			PoolID: "p", Sub: fmt.Sprintf("sub-%06d", i), Username: name,
			Logins:     []storage.Login{{Name: "username", Key: name}},
			Attributes: map[string]string{"email": name + "@example.com"},
			Status:     "CONFIRMED", Enabled: true, CreatedAt: time.Unix(0, 0),
		}
		if err := s.CreateUser(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

func BenchmarkUserByLogin(b *testing.B) {
	s := benchStore(b, 10000)
	for b.Loop() {
		if _, err := s.UserByLogin(b.Context(), "p", "user005000"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListUsersPrefix pages through a prefix filter deep in a large
// pool: the cost should not grow with the pool.
func BenchmarkListUsersPrefix(b *testing.B) {
	s := benchStore(b, 10000)
	q := storage.UserQuery{Attribute: "email", Value: "user0050", Prefix: true, PageRequest: storage.PageRequest{Limit: 20}}
	for b.Loop() {
		page, err := s.ListUsers(b.Context(), "p", q)
		if err != nil || len(page.Items) != 20 || page.Next == "" {
			b.Fatalf("got %d users, next %q, %v", len(page.Items), page.Next, err)
		}
	}
}
