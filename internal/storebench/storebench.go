// Package storebench is the benchmark harness the SQL stores share
// (storage/sqlite and storage/postgres): each operation runs on the store
// under test and, in the same loop, on storage/memory, and both times are
// reported with their ratio. The stores' own benchmark files call it with
// their stores and names, and keep there the benchmarks only one store has.
package storebench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// BigPool is the number of users in the pools the read benchmarks use.
const BigPool = 100_000

// PageLimit is the largest page Cognito's ListUsers allows.
const PageLimit = 60

// created is when the benchmark users were created: the time the stores'
// tests call t0, so a benchmark user fits beside their records.
var created = time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)

// User returns a benchmark user numbered i in the pool, with a username
// login, an email login, a few searchable attributes and a password hash
// and SRP verifier of real sizes, so that a store encodes and decodes as
// much as it would for a real user. Every value that sorts (username,
// sub, email, family_name) grows with i: the memory store keeps sorted
// slices, so values inserted out of order would make building a big pool
// quadratic; the SQL stores' B-trees do not care either way.
func User(pool string, i int) storage.User {
	name := fmt.Sprintf("user%06d", i)
	email := name + "@example.com"
	return storage.User{
		PoolID:   pool,
		Sub:      fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
		Username: name,
		Logins:   []storage.Login{{Name: "username", Key: name}, {Name: "email", Key: email}},
		Attributes: map[string]string{
			"email": email, "email_verified": "true", "given_name": "Given", "family_name": fmt.Sprintf("Family%06d", i),
		},
		Status:       "CONFIRMED",
		Enabled:      true,
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA",
		SRP:          storage.SRPVerifier{Salt: make([]byte, 16), Verifier: make([]byte, 384)},
		CreatedAt:    created,
		UpdatedAt:    created,
	}
}

// Fill puts users 0 … BigPool-1 of the pool (see [User]) into mem one by
// one and hands them to add in batches of batch users, for the store under
// test to insert in bulk. The pool must exist in both stores. It stops at
// the first error.
func Fill(ctx context.Context, pool string, mem storage.Users, batch int, add func([]storage.User) error) error {
	for lo := 0; lo < BigPool; lo += batch {
		users := make([]storage.User, min(batch, BigPool-lo))
		for i := range users {
			users[i] = User(pool, lo+i)
			if err := mem.CreateUser(ctx, users[i]); err != nil {
				return err
			}
		}
		if err := add(users); err != nil {
			return err
		}
	}
	return nil
}

// Pair runs a and b alternately, once each per iteration, timing each
// side separately so that a machine busy with other work slows both alike;
// ns/op is the pair. It reports each side's time per op as the metrics
// "<aName>-ns/op" and "<bName>-ns/op", and their ratio as "<aName>/<bName>".
func Pair(bm *testing.B, aName, bName string, a, b func(i int)) {
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

// EmailPrefix returns the i-th email prefix the listing benchmarks use.
// Each selects 1,000 of the BigPool users, so every page is full, and
// successive i move to another prefix.
func EmailPrefix(i int) string { return fmt.Sprintf("user%03d", i*37%100) }

// ListPrefix lists the first page (PageLimit users) of the pool's users
// whose email starts with EmailPrefix(i), and fails b unless the page is
// full.
func ListPrefix(b *testing.B, s storage.Users, pool string, i int) {
	page, err := s.ListUsers(context.Background(), pool, storage.UserQuery{
		Attribute: "email", Value: EmailPrefix(i), Prefix: true,
		PageRequest: storage.PageRequest{Limit: PageLimit},
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(page.Items) != PageLimit {
		b.Fatalf("page of %d users, want %d", len(page.Items), PageLimit)
	}
}

// The benchmarks below take the store under test s, named name in the
// metrics, and a memory store mem, both holding the pool.

// CreateUser times creating User(pool, i) in s and in mem. The pool must
// be empty in both.
func CreateUser(b *testing.B, pool, name string, s, mem storage.Users) {
	ctx := context.Background()
	Pair(b, name, "memory", func(i int) {
		if err := s.CreateUser(ctx, User(pool, i)); err != nil {
			b.Fatal(err)
		}
	}, func(i int) {
		if err := mem.CreateUser(ctx, User(pool, i)); err != nil {
			b.Fatal(err)
		}
	})
}

// UserByLogin times finding a user by username in s and in mem, which
// hold the BigPool users (see [Fill]); the usernames are spread over the
// whole pool.
func UserByLogin(b *testing.B, pool, name string, s, mem storage.Users) {
	ctx := context.Background()
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = User(pool, i*7919%BigPool).Username
	}
	Pair(b, name, "memory", func(i int) {
		if _, err := s.UserByLogin(ctx, pool, keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	}, func(i int) {
		if _, err := mem.UserByLogin(ctx, pool, keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	})
}

// ListUsersPrefix times a first ListUsers page of an email prefix (see
// [ListPrefix]) in s and in mem, which hold the BigPool users.
func ListUsersPrefix(b *testing.B, pool, name string, s, mem storage.Users) {
	Pair(b, name, "memory", func(i int) { ListPrefix(b, s, pool, i) }, func(i int) { ListPrefix(b, mem, pool, i) })
}
