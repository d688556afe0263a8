package jsonstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/examples/customstore/jsonstore"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/storagetest"
)

func open(t testing.TB, path string) *jsonstore.Store {
	t.Helper()
	s, err := jsonstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestConformance is all a backend needs to prove it keeps the storage
// contract.
func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		return open(t, filepath.Join(t.TempDir(), "store.json"))
	})
}

var t0 = time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)

func TestSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.json")
	s := open(t, path)
	ctx := t.Context()
	if err := s.CreatePool(ctx, storage.Pool{ID: "p", Name: "shop", Secret: []byte{0, 255}, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	u := storage.User{PoolID: "p", Sub: "s1", Username: "ana", Logins: []storage.Login{{Name: "username", Key: "ana"}}, CreatedAt: t0}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s = open(t, path)
	got, err := s.UserByLogin(ctx, "p", "ana")
	if err != nil {
		t.Fatalf("UserByLogin after reopening: %v", err)
	}
	if got.Sub != "s1" || got.Version != 1 || !got.CreatedAt.Equal(t0) {
		t.Errorf("user after reopening: got %+v, want sub s1, version 1, created %v", got, t0)
	}
	// The login key is still claimed.
	err = s.CreateUser(ctx, storage.User{PoolID: "p", Sub: "s2", Logins: u.Logins})
	if !errors.Is(err, storage.ErrConflict) {
		t.Errorf("CreateUser with a taken login after reopening: got %v, want ErrConflict", err)
	}
}

// TestFailedWriteChangesNothing removes the store's directory, so the
// next write cannot create its temporary file: the change must be refused
// and leave the store as it was.
func TestFailedWriteChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := open(t, filepath.Join(dir, "store.json"))
	ctx := t.Context()
	if err := s.CreatePool(ctx, storage.Pool{ID: "p", CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	err := s.CreateUser(ctx, storage.User{PoolID: "p", Sub: "s1", Logins: []storage.Login{{Name: "username", Key: "ana"}}})
	if err == nil || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
		t.Fatalf("CreateUser without a directory: got %v, want an I/O error", err)
	}
	if _, err := s.GetUser(ctx, "p", "s1"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser after the failed write: got %v, want ErrNotFound", err)
	}
	if _, err := s.UserByLogin(ctx, "p", "ana"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("UserByLogin after the failed write: got %v, want ErrNotFound", err)
	}
}

func TestNoTemporaryFilesLeft(t *testing.T) {
	dir := t.TempDir()
	s := open(t, filepath.Join(dir, "store.json"))
	for _, id := range []string{"a", "b", "c"} {
		if err := s.CreatePool(t.Context(), storage.Pool{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "store.json" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only store.json", names)
	}
}

func TestOpenRefusesDamagedFile(t *testing.T) {
	for _, tc := range []struct{ name, contents string }{
		{"not JSON", "{"},
		{"other format", `{"format": 99, "pools": {}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "store.json")
			if err := os.WriteFile(path, []byte(tc.contents), 0o600); err != nil {
				t.Fatal(err)
			}
			if s, err := jsonstore.Open(path); err == nil {
				s.Close()
				t.Fatalf("Open(%q): got no error", tc.contents)
			}
		})
	}
}
