package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
	"github.com/userpool/userpool/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "pool.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
