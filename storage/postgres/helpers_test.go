package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/userpool/userpool/internal/storebench"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/postgres"
)

// envURL names the environment variable that points the tests at a
// database. Every test store lives in a schema of its own, dropped when
// the test ends, so any database the role may create schemas in will do;
// .ci/postgres.sh starts a throwaway one.
const envURL = "USERPOOL_POSTGRES_URL"

var t0 = time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)

const pid = "eu-west-1_Test"

// shared is the connection pool most tests share: opening one per store
// would cost a connection handshake per conformance subtest.
var shared struct {
	once sync.Once
	db   *pgxpool.Pool
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeBig()
	if shared.db != nil {
		shared.db.Close()
	}
	os.Exit(code)
}

// dbURL returns the database URL, or skips the test without one. Under CI
// (CI set) a missing URL fails instead: CI must never pass by skipping.
func dbURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(envURL)
	if url == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set under CI; .ci/run starts a database with .ci/postgres.sh and sets it", envURL)
		}
		t.Skipf("no database: set %s (e.g. postgres://user@127.0.0.1:5432/db?sslmode=disable), or run .ci/postgres.sh start", envURL)
	}
	return url
}

// sharedDB returns the shared connection pool.
func sharedDB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	url := dbURL(t)
	shared.once.Do(func() {
		cfg, err := pgxpool.ParseConfig(url)
		if err != nil {
			shared.err = err
			return
		}
		cfg.MaxConns = 32
		shared.db, shared.err = pgxpool.NewWithConfig(context.Background(), cfg)
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.db
}

// freshSchema returns the name of a new schema, dropped with everything in
// it when the test ends.
func freshSchema(t testing.TB) string {
	t.Helper()
	db := sharedDB(t)
	var b [6]byte
	rand.Read(b[:])
	name := "userpool_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		if _, err := db.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

// migratedSchema returns a fresh schema (see freshSchema) that a store
// has migrated and closed again, for tests of what the next store to open
// it finds.
func migratedSchema(t testing.TB) string {
	t.Helper()
	schema := freshSchema(t)
	s, err := postgres.New(context.Background(), sharedDB(t), postgres.WithSchema(schema))
	must(t, err)
	s.Close()
	return schema
}

// newStore returns an empty store in a fresh schema over the shared pool.
func newStore(t testing.TB) *postgres.Store {
	t.Helper()
	db := sharedDB(t)
	s, err := postgres.New(context.Background(), db, postgres.WithSchema(freshSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// instances opens n stores on one fresh schema, each with its own
// connection pool, as n processes of an application would.
func instances(t testing.TB, n int) []*postgres.Store {
	t.Helper()
	url := dbURL(t)
	schema := freshSchema(t)
	stores := make([]*postgres.Store, n)
	for i := range stores {
		s, err := postgres.Open(context.Background(), url, postgres.WithSchema(schema))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	return stores
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func createPool(t testing.TB, s storage.Store, id string) {
	t.Helper()
	must(t, s.CreatePool(context.Background(), storage.Pool{ID: id, Name: "pool " + id, CreatedAt: t0, UpdatedAt: t0}))
}

// user returns storebench.User(pid, i): the tests and the benchmarks
// store the same users.
func user(i int) storage.User { return storebench.User(pid, i) }
