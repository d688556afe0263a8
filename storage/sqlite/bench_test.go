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

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/sqlite"
)

// The benchmarks run each operation on this package's store and, in the
// same loop, on storage/memory, alternating, and report both times and the
// ratio as the metric "sqlite/memory"; ns/op is the two together.
//
// The 100,000-user pools are built once per test binary and shared by
// every benchmark that needs them; plain "go test" never builds them,
// because benchmarks only run with -bench.

const bigPool = 100_000

// pageLimit is the largest page Cognito's ListUsers allows.
const pageLimit = 60

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

// bigStores returns the shared stores holding bigPool users each.
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
		const batch = 10_000
		for lo := 0; lo < bigPool; lo += batch {
			users := make([]storage.User, batch)
			for i := range users {
				users[i] = benchUser(lo + i)
				if big.err = big.mem.CreateUser(ctx, users[i]); big.err != nil {
					return
				}
			}
			if big.err = sqlite.CreateUsers(big.sql, users); big.err != nil {
				return
			}
		}
		fmt.Fprintf(os.Stderr, "built two %d-user pools in %v\n", bigPool, time.Since(start).Round(time.Millisecond))
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.sql, big.mem
}

// benchUser is user(i) with attribute values that grow with i. The
// memory store keeps sorted slices, so values inserted out of order would
// make its setup quadratic; SQLite's B-trees do not care either way.
func benchUser(i int) storage.User {
	u := user(i)
	u.Attributes["family_name"] = fmt.Sprintf("Family%06d", i)
	return u
}

// pair runs a and b alternately, once each per iteration, timing each
// side separately so that a machine busy with other work slows both alike;
// ns/op is the pair. It reports each side's time per op and their ratio.
func pair(bm *testing.B, aName, bName string, a, b func(i int)) {
	var ta, tb time.Duration
	n := 0
	for bm.Loop() {
		t := time.Now()
		a(n)
		m := time.Now()
		b(n)
		ta += m.Sub(t)
		tb += time.Since(m)
		n++
	}
	bm.ReportMetric(float64(ta.Nanoseconds())/float64(n), aName+"-ns/op")
	bm.ReportMetric(float64(tb.Nanoseconds())/float64(n), bName+"-ns/op")
	bm.ReportMetric(float64(ta)/float64(tb), aName+"/"+bName)
}

func BenchmarkCreateUser(b *testing.B) {
	ctx := context.Background()
	s := openWithPool(b)
	mem := memory.New()
	must(b, mem.CreatePool(ctx, storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0}))
	pair(b, "sqlite", "memory", func(i int) {
		if err := s.CreateUser(ctx, user(i)); err != nil {
			b.Fatal(err)
		}
	}, func(i int) {
		if err := mem.CreateUser(ctx, user(i)); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkUserByLogin(b *testing.B) {
	ctx := context.Background()
	s, mem := bigStores(b)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = benchUser(i * 7919 % bigPool).Username
	}
	pair(b, "sqlite", "memory", func(i int) {
		if _, err := s.UserByLogin(ctx, pid, keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	}, func(i int) {
		if _, err := mem.UserByLogin(ctx, pid, keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	})
}

// emailPrefix selects 1,000 of the 100,000 users, so every page is full.
func emailPrefix(i int) string { return fmt.Sprintf("user%03d", i*37%100) }

func listPrefix(b *testing.B, s storage.Users, i int) {
	page, err := s.ListUsers(context.Background(), pid, storage.UserQuery{
		Attribute: "email", Value: emailPrefix(i), Prefix: true,
		PageRequest: storage.PageRequest{Limit: pageLimit},
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(page.Items) != pageLimit {
		b.Fatalf("page of %d users, want %d", len(page.Items), pageLimit)
	}
}

func BenchmarkListUsersPrefix(b *testing.B) {
	s, mem := bigStores(b)
	pair(b, "sqlite", "memory", func(i int) { listPrefix(b, s, i) }, func(i int) { listPrefix(b, mem, i) })
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
		if err := rows.Err(); err != nil || n != pageLimit+1 {
			b.Fatalf("raw query: %d rows, err %v", n, err)
		}
	}
	const cols = `sub, username, status, enabled, version, created_at, doc` // the store's columns
	// The raw side reads another prefix than the page just listed, so
	// neither side finds the other's rows in the connection's page cache.
	pair(b, "sqlite", "raw", func(i int) { listPrefix(b, s, i) }, func(i int) {
		p := emailPrefix(i + 50)
		end, _ := sqlite.Successor(p)
		raw(`SELECT `+cols+` FROM users WHERE pool_id = ? AND email >= ? AND email < ?
			ORDER BY email, sub LIMIT ?`, pid, p, end, pageLimit+1)
	})
	// A few LIKE scans are enough to see the difference.
	const likes = 5
	start := time.Now()
	for i := range likes {
		raw(`SELECT `+cols+` FROM users WHERE pool_id = ? AND email LIKE ? ESCAPE '\'
			ORDER BY email, sub LIMIT ?`, pid, emailPrefix(i)+"%", pageLimit+1)
	}
	likeNs := float64(time.Since(start).Nanoseconds()) / likes
	b.ReportMetric(likeNs, "like-ns/op")
}
