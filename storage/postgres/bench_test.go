package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/internal/storebench"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
	"github.com/userpool/userpool/storage/postgres"
)

// The benchmarks are storage/sqlite's, on this store: each operation runs
// on PostgreSQL and, in the same loop, on storage/memory, alternating, and
// both times are reported with their ratio as the metric
// "postgres/memory"; ns/op is the two together. PostgreSQL's figures
// include a round trip to the server per statement (over a Unix socket
// under .ci/postgres.sh), which is most of them. The harness and the
// benchmarks both stores share are in internal/storebench.

// emptyStores returns a PostgreSQL store in a fresh schema and a memory
// store, each holding the pool pid and nothing else.
func emptyStores(b *testing.B) (*postgres.Store, *memory.Store) {
	s := newStore(b)
	createPool(b, s, pid)
	mem := memory.New()
	createPool(b, mem, pid)
	return s, mem
}

func BenchmarkCreateUser(b *testing.B) {
	s, mem := emptyStores(b)
	storebench.CreateUser(b, pid, "postgres", s, mem)
}

func BenchmarkUserByLogin(b *testing.B) {
	s, mem := bigStores(b)
	storebench.UserByLogin(b, pid, "postgres", s, mem)
}

func BenchmarkListUsersPrefix(b *testing.B) {
	s, mem := bigStores(b)
	storebench.ListUsersPrefix(b, pid, "postgres", s, mem)
}

// BenchmarkListUsersPrefixLastPage pages to the end of a prefix's 1,000
// users and times the last page: keyset cursors make it cost what the
// first page costs.
func BenchmarkListUsersPrefixLastPage(b *testing.B) {
	ctx := context.Background()
	s, mem := bigStores(b)
	lastCursor := func(st storage.Users) string {
		q := storage.UserQuery{Attribute: "email", Value: "user042", Prefix: true, PageRequest: storage.PageRequest{Limit: storebench.PageLimit}}
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
			PageRequest: storage.PageRequest{Limit: storebench.PageLimit, Cursor: cursor}})
		if err != nil || len(page.Items) != 1000%storebench.PageLimit || page.Next != "" {
			b.Fatalf("last page: %d users, next %q, %v", len(page.Items), page.Next, err)
		}
	}
	storebench.Pair(b, "postgres", "memory", func(int) { last(s, pgCursor) }, func(int) { last(mem, memCursor) })
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
	storebench.Pair(b, "postgres", "raw", func(i int) { storebench.ListPrefix(b, s, pid, i) }, func(i int) {
		p := storebench.EmailPrefix(i)
		end, _ := postgres.PrefixEnd(p)
		rows, err := db.Query(ctx, query, pid, p, end, storebench.PageLimit+1)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil || n != storebench.PageLimit+1 {
			b.Fatalf("raw query: %d rows, err %v", n, err)
		}
	})
}

// BenchmarkUpdateUser and BenchmarkTakeAttempt time two writes of every
// sign-in, beyond storage/sqlite's set: a compare-and-swap of one user
// (with its logins) and one attempt counter step.
func BenchmarkUpdateUser(b *testing.B) {
	ctx := context.Background()
	s, mem := emptyStores(b)
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
	storebench.Pair(b, "postgres", "memory", func(i int) { update(s, i) }, func(i int) { update(mem, i) })
}

func BenchmarkTakeAttempt(b *testing.B) {
	ctx := context.Background()
	s, mem := emptyStores(b)
	rule := storage.AttemptRule{Free: 5, BaseLock: time.Second, MaxLock: time.Minute, ResetAfter: time.Hour}
	take := func(st storage.Attempts, i int) {
		// A step of an hour starts the counter over: every attempt runs.
		if _, ok, err := st.TakeAttempt(ctx, pid, "password:s1", t0.Add(time.Duration(i)*time.Hour), rule); err != nil || !ok {
			b.Fatalf("attempt %d: %v, %v", i, ok, err)
		}
	}
	storebench.Pair(b, "postgres", "memory", func(i int) { take(s, i) }, func(i int) { take(mem, i) })
}
