package jsonstore_test

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/storage"
)

// FuzzCursor feeds arbitrary cursors to listings: a cursor comes back from
// callers, so the store must refuse what it did not make with an error
// that is not a storage sentinel, or return a page, and never panic.
func FuzzCursor(f *testing.F) {
	s := open(f, filepath.Join(f.TempDir(), "store.json"))
	ctx := f.Context()
	for _, id := range []string{"p1", "p2", "p3"} {
		if err := s.CreatePool(ctx, storage.Pool{ID: id}); err != nil {
			f.Fatal(err)
		}
	}
	first, err := s.ListPools(ctx, storage.PageRequest{Limit: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(first.Next)
	f.Add("")
	f.Add("eyJsIjoidXNlcnM6dXNlcm5hbWUiLCJrIjoiYSJ9") // {"l":"users:username","k":"a"}
	f.Add("not a cursor!")
	f.Fuzz(func(t *testing.T, cursor string) {
		r := storage.PageRequest{Limit: 2, Cursor: cursor}
		if _, err := s.ListPools(ctx, r); errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
			t.Fatalf("ListPools(%q): got sentinel error %v", cursor, err)
		}
		if _, err := s.ListUsers(ctx, "p1", storage.UserQuery{PageRequest: r}); errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
			t.Fatalf("ListUsers(%q): got sentinel error %v", cursor, err)
		}
	})
}
