package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/storebench"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/sqlite"
)

// The benchmarks run each operation on this package's store and, in the
// same loop, on storage/memory, alternating, and report both times and the
// ratio as the metric "sqlite/memory"; ns/op is the two together. The
// harness and the benchmarks storage/postgres shares are in
// internal/storebench.
//
// The storebench.BigPool-user pools are built once per test binary and
// shared by every benchmark that needs them; plain "go test" never builds
// them, because benchmarks only run with -bench.

var big struct {
	once sync.Once
	dir  string
	sql  *sqlite.Store
	mem  *memory.Store
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if big.sql != nil {
		big.sql.Close()
	}
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// bigStores returns the shared stores holding storebench.BigPool users
// each (see storebench.Fill).
func bigStores(b *testing.B) (*sqlite.Store, *memory.Store) {
	b.Helper()
	big.once.Do(func() {
		ctx := context.Background()
		start := time.Now()
		big.dir, big.err = os.MkdirTemp("", "userpool-sqlite-bench-")
		if big.err != nil {
			return
		}
		big.sql, big.err = sqlite.Open(ctx, filepath.Join(big.dir, "big.db"))
		if big.err != nil {
			return
		}
		big.mem = memory.New()
		pool := storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0}
		if big.err = big.sql.CreatePool(ctx, pool); big.err != nil {
			return
		}
		if big.err = big.mem.CreatePool(ctx, pool); big.err != nil {
			return
		}
		big.err = storebench.Fill(ctx, pid, big.mem, 10_000, func(users []storage.User) error {
			return sqlite.CreateUsers(big.sql, users)
		})
		if big.err != nil {
			return
		}
		fmt.Fprintf(os.Stderr, "built two %d-user pools in %v\n", storebench.BigPool, time.Since(start).Round(time.Millisecond))
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.sql, big.mem
}

func BenchmarkCreateUser(b *testing.B) {
	mem := memory.New()
	must(b, mem.CreatePool(context.Background(), storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0}))
	storebench.CreateUser(b, pid, "sqlite", openWithPool(b), mem)
}

func BenchmarkUserByLogin(b *testing.B) {
	s, mem := bigStores(b)
	storebench.UserByLogin(b, pid, "sqlite", s, mem)
}

func BenchmarkListUsersPrefix(b *testing.B) {
	s, mem := bigStores(b)
	storebench.ListUsersPrefix(b, pid, "sqlite", s, mem)
}

// BenchmarkListUsersPrefixVsRaw compares a ListUsers email-prefix page
// with the indexed range query a program would write by hand with
// database/sql, fetching the same columns of the same number of rows into
// Go values ("sqlite/raw": the price of the store's own work, decoding the
// users included), and reports what a LIKE scan of the same table costs
// ("like-ns/op").
func BenchmarkListUsersPrefixVsRaw(b *testing.B) {
	s, _ := bigStores(b)
	db := sqlite.DB(s)
	// The raw side prepares its statements once, as the store does, so
	// the ratio is the store's own work: building users from the rows.
	stmts := map[string]*sql.Stmt{}
	raw := func(query string, args ...any) {
		stmt, ok := stmts[query]
		if !ok {
			var err error
			if stmt, err = db.Prepare(query); err != nil {
				b.Fatal(err)
			}
			stmts[query] = stmt
		}
		rows, err := stmt.Query(args...)
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var (
			n                 int
			sub, name, st, at string
			enabled           bool
			version           int64
			doc               []byte
		)
		for rows.Next() {
			if err := rows.Scan(&sub, &name, &st, &enabled, &version, &at, &doc); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Err(); err != nil || n != storebench.PageLimit+1 {
			b.Fatalf("raw query: %d rows, err %v", n, err)
		}
	}
	const cols = `sub, username, status, enabled, version, created_at, doc` // the store's columns
	// The raw side reads another prefix than the page just listed, so
	// neither side finds the other's rows in the connection's page cache.
	storebench.Pair(b, "sqlite", "raw", func(i int) { storebench.ListPrefix(b, s, pid, i) }, func(i int) {
		p := storebench.EmailPrefix(i + 50)
		end, _ := sqlite.Successor(p)
		raw(`SELECT `+cols+` FROM users WHERE pool_id = ? AND email >= ? AND email < ?
			ORDER BY email, sub LIMIT ?`, pid, p, end, storebench.PageLimit+1)
	})
	// A few LIKE scans are enough to see the difference.
	const likes = 5
	start := time.Now()
	for i := range likes {
		raw(`SELECT `+cols+` FROM users WHERE pool_id = ? AND email LIKE ? ESCAPE '\'
			ORDER BY email, sub LIMIT ?`, pid, storebench.EmailPrefix(i)+"%", storebench.PageLimit+1)
	}
	likeNs := float64(time.Since(start).Nanoseconds()) / likes
	b.ReportMetric(likeNs, "like-ns/op")
}
