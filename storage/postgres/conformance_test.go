package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/postgres"
	"github.com/userpool/userpool/storage/storagetest"
)

func TestConformance(t *testing.T) {
	dbURL(t) // skip once, not in every subtest
	storagetest.Run(t, func(t *testing.T) storage.Store { return newStore(t) })
}

// TestConformanceSimpleProtocol runs the suite over connections that
// prepare nothing, as behind a transaction-pooling proxy
// (default_query_exec_mode=simple_protocol in the connection string):
// every argument must then encode without the server's parameter types.
func TestConformanceSimpleProtocol(t *testing.T) {
	cfg, err := pgxpool.ParseConfig(dbURL(t))
	must(t, err)
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.MaxConns = 16
	db, err := pgxpool.NewWithConfig(context.Background(), cfg)
	must(t, err)
	t.Cleanup(db.Close)
	storagetest.Run(t, func(t *testing.T) storage.Store {
		s, err := postgres.New(context.Background(), db, postgres.WithSchema(freshSchema(t)))
		must(t, err)
		t.Cleanup(func() { s.Close() })
		return s
	})
}
