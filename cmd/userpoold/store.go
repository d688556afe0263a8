package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/postgres"
	"github.com/userpool/userpool/storage/sqlite"
)

// openStore opens the store -db names: a PostgreSQL database for a
// postgres:// or postgresql:// URL (several userpoold instances may share
// it), otherwise the SQLite file at path, created if needed.
func openStore(ctx context.Context, db string) (storage.Store, error) {
	var (
		s   storage.Store
		err error
	)
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		s, err = postgres.Open(ctx, db)
	} else {
		s, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		// The URL may carry a password: name the kind of store, not db.
		return nil, fmt.Errorf("open -db: %w", err)
	}
	return s, nil
}

// redactDB returns db fit for a log line: a URL loses its password.
func redactDB(db string) string {
	u, err := url.Parse(db)
	if err != nil || u.Scheme == "" {
		return db
	}
	return u.Redacted()
}
