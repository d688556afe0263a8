package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/internal/storebench"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/postgres"
)

// big holds the two pools of storebench.BigPool users, built once per
// test binary and shared by every benchmark that needs them; plain "go
// test" never builds them, because benchmarks only run with -bench.
var big struct {
	once   sync.Once
	schema string
	pg     *postgres.Store
	mem    *memory.Store
	err    error
}

// bigStores returns a PostgreSQL and a memory store holding
// storebench.BigPool users each (see storebench.Fill).
func bigStores(b *testing.B) (*postgres.Store, *memory.Store) {
	b.Helper()
	db := sharedDB(b)
	big.once.Do(func() {
		ctx := context.Background()
		start := time.Now()
		big.schema = fmt.Sprintf("userpool_bench_%d", time.Now().UnixNano())
		big.pg, big.err = postgres.New(ctx, db, postgres.WithSchema(big.schema))
		if big.err != nil {
			return
		}
		big.mem = memory.New()
		pool := storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0}
		if big.err = big.pg.CreatePool(ctx, pool); big.err != nil {
			return
		}
		if big.err = big.mem.CreatePool(ctx, pool); big.err != nil {
			return
		}
		big.err = storebench.Fill(ctx, pid, big.mem, 5_000, func(users []storage.User) error {
			return postgres.CreateUsers(ctx, big.pg, users)
		})
		if big.err != nil {
			return
		}
		_, big.err = db.Exec(ctx, "ANALYZE "+pgx.Identifier{big.schema, "users"}.Sanitize())
		fmt.Fprintf(os.Stderr, "built two %d-user pools in %v\n", storebench.BigPool, time.Since(start).Round(time.Millisecond))
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.pg, big.mem
}

// closeBig drops the big pool's schema, if a benchmark made it.
func closeBig() {
	if big.pg != nil {
		big.pg.Close()
	}
	if big.schema != "" && shared.db != nil {
		shared.db.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{big.schema}.Sanitize()+" CASCADE")
	}
}
