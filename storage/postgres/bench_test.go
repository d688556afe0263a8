package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/postgres"
)

// The benchmarks are storage/sqlite's, on this store: each operation runs
// on PostgreSQL and, in the same loop, on storage/memory, alternating, and
// both times are reported with their ratio as the metric
// "postgres/memory"; ns/op is the two together. PostgreSQL's figures
// include a round trip to the server per statement (over a Unix socket
// under .ci/postgres.sh), which is most of them.

// pageLimit is the largest page Cognito's ListUsers allows.
const pageLimit = 60

// pair runs a and b alternately, once each per iteration, timing each
// side separately so that a machine busy with other work slows both alike.
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
	s := newStore(b)
	createPool(b, s, pid)
	mem := memory.New()
	createPool(b, mem, pid)
	pair(b, "postgres", "memory", func(i int) {
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
		keys[i] = user(i * 7919 % bigPool).Username
	}
	pair(b, "postgres", "memory", func(i int) {
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
	pair(b, "postgres", "memory", func(i int) { listPrefix(b, s, i) }, func(i int) { listPrefix(b, mem, i) })
}

// BenchmarkListUsersPrefixLastPage pages to the end of a prefix's 1,000
// users and times the last page: keyset cursors make it cost what the
// first page costs.
func BenchmarkListUsersPrefixLastPage(b *testing.B) {
	ctx := context.Background()
	s, mem := bigStores(b)
	lastCursor := func(st storage.Users) string {
		q := storage.UserQuery{Attribute: "email", Value: "user042", Prefix: true, PageRequest: storage.PageRequest{Limit: pageLimit}}
		cursor := ""
		for {
			page, err := st.ListUsers(ctx, pid, q)
			if err != nil {
				b.Fatal(err)
			}
			if page.Next == "" {
				return cursor
			}
			cursor, q.Cursor = page.Next, page.Next
		}
	}
	pgCursor, memCursor := lastCursor(s), lastCursor(mem)
	last := func(st storage.Users, cursor string) {
		page, err := st.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: "user042", Prefix: true,
			PageRequest: storage.PageRequest{Limit: pageLimit, Cursor: cursor}})
		if err != nil || len(page.Items) != 1000%pageLimit || page.Next != "" {
			b.Fatalf("last page: %d users, next %q, %v", len(page.Items), page.Next, err)
		}
	}
	pair(b, "postgres", "memory", func(int) { last(s, pgCursor) }, func(int) { last(mem, memCursor) })
}

// BenchmarkListUsersPrefixVsRaw compares a ListUsers email-prefix page
// with the bare range query that fetches the same rows without turning
// them into users ("postgres/raw": the price of the store's own work,
// decoding included).
func BenchmarkListUsersPrefixVsRaw(b *testing.B) {
	ctx := context.Background()
	s, _ := bigStores(b)
	db := sharedDB(b)
	table := pgx.Identifier{postgres.Schema(s), "users"}.Sanitize()
	query := `SELECT pool_id, sub, username, status, enabled, version, created_at, doc FROM ` + table + `
		WHERE pool_id = $1 AND email >= $2 AND email < $3 ORDER BY email, sub LIMIT $4`
	pair(b, "postgres", "raw", func(i int) { listPrefix(b, s, i) }, func(i int) {
		p := emailPrefix(i)
		end, _ := postgres.PrefixEnd(p)
		rows, err := db.Query(ctx, query, pid, p, end, pageLimit+1)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil || n != pageLimit+1 {
			b.Fatalf("raw query: %d rows, err %v", n, err)
		}
	})
}

// BenchmarkUpdateUser and BenchmarkTakeAttempt time two writes of every
// sign-in, beyond storage/sqlite's set: a compare-and-swap of one user
// (with its logins) and one attempt counter step.
func BenchmarkUpdateUser(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	createPool(b, s, pid)
	mem := memory.New()
	createPool(b, mem, pid)
	must(b, s.CreateUser(ctx, user(1)))
	must(b, mem.CreateUser(ctx, user(1)))
	update := func(st storage.Users, i int) {
		u := user(1)
		u.Version = int64(i + 1)
		u.Attributes["name"] = fmt.Sprint(i)
		if err := st.UpdateUsers(ctx, u); err != nil {
			b.Fatal(err)
		}
	}
	pair(b, "postgres", "memory", func(i int) { update(s, i) }, func(i int) { update(mem, i) })
}

func BenchmarkTakeAttempt(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	createPool(b, s, pid)
	mem := memory.New()
	createPool(b, mem, pid)
	rule := storage.AttemptRule{Free: 5, BaseLock: time.Second, MaxLock: time.Minute, ResetAfter: time.Hour}
	take := func(st storage.Attempts, i int) {
		// A step of an hour starts the counter over: every attempt runs.
		if _, ok, err := st.TakeAttempt(ctx, pid, "password:s1", t0.Add(time.Duration(i)*time.Hour), rule); err != nil || !ok {
			b.Fatalf("attempt %d: %v, %v", i, ok, err)
		}
	}
	pair(b, "postgres", "memory", func(i int) { take(s, i) }, func(i int) { take(mem, i) })
}
