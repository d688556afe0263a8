package main

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

// openStore opens (creating if needed) the SQLite database at path.
func openStore(ctx context.Context, path string) (storage.Store, error) {
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open -db %s: %w", path, err)
	}
	return s, nil
}
