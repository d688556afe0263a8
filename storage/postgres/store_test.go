package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/postgres"
)

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		prefix, want string
		ok           bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"ab", "ac", true},
		{"a%", "a&", true},
		{"a\u00e9", "a\u00ea", true},
		{"a\u007f", "a\u0080", true},        // one byte to two
		{"a\ud7ff", "a\ue000", true},        // over the surrogates
		{"a\U0010ffff", "b", true},          // the last character has no successor
		{"\U0010ffff\U0010ffff", "", false}, // nothing is greater but longer runs of it
		{"\uffff", "\U00010000", true},      // three bytes to four
		{"ab\U0010ffff\U0010ffff", "ac", true},
	} {
		got, ok := postgres.PrefixEnd(tc.prefix)
		if got != tc.want || ok != tc.ok {
			t.Errorf("PrefixEnd(%q) = %q, %v; want %q, %v", tc.prefix, got, ok, tc.want, tc.ok)
		}
		if ok && !(tc.prefix < got && !strings.HasPrefix(got, tc.prefix)) {
			t.Errorf("PrefixEnd(%q) = %q is not past every string with the prefix", tc.prefix, got)
		}
	}
}

// TestListUsersUsesIndex checks the plans PostgreSQL makes for ListUsers
// pages: an index scan of the filtered column's index, no sequential scan
// and no sort, for equality, prefixes and cursors alike, in the generic
// plan a prepared statement ends up with.
func TestListUsersUsesIndex(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	createPool(t, s, pid)
	createPool(t, s, "other")
	var users []storage.User
	for i := range 3000 {
		u := user(i)
		if i%2 == 1 {
			u.PoolID = "other"
		}
		users = append(users, u)
	}
	must(t, postgres.CreateUsers(ctx, s, users))
	_, err := sharedDB(t).Exec(ctx, "ANALYZE "+pgx.Identifier{postgres.Schema(s), "users"}.Sanitize())
	must(t, err)

	first, err := s.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: "user00", Prefix: true, PageRequest: storage.PageRequest{Limit: 2}})
	must(t, err)
	if first.Next == "" {
		t.Fatal("no second page")
	}
	yes := true
	for _, tc := range []struct {
		name  string
		q     storage.UserQuery
		index string
	}{
		{"all by username", storage.UserQuery{}, "users_by_username"},
		{"username equal", storage.UserQuery{Attribute: "username", Value: "user000100"}, "users_by_username"},
		{"sub equal", storage.UserQuery{Attribute: "sub", Value: users[0].Sub}, "users_pkey"},
		{"email prefix", storage.UserQuery{Attribute: "email", Value: "user00", Prefix: true}, "users_by_email"},
		{"email prefix with filters", storage.UserQuery{Attribute: "email", Value: "user0", Prefix: true, Status: "CONFIRMED", Enabled: &yes}, "users_by_email"},
		{"email prefix, second page", storage.UserQuery{Attribute: "email", Value: "user00", Prefix: true, PageRequest: storage.PageRequest{Cursor: first.Next}}, "users_by_email"},
		{"family_name equal", storage.UserQuery{Attribute: "family_name", Value: "family000042"}, "users_by_family_name"},
		{"given_name prefix", storage.UserQuery{Attribute: "given_name", Value: "Giv", Prefix: true}, "users_by_given_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.q.Limit == 0 {
				tc.q.Limit = 60
			}
			plan, err := postgres.ExplainListUsers(ctx, s, pid, tc.q)
			must(t, err)
			if !strings.Contains(plan, "Index Scan using "+tc.index) || strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Sort") {
				t.Errorf("plan does not scan %s alone:\n%s", tc.index, plan)
			}
		})
	}
}

func TestUnstorableStrings(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	createPool(t, s, pid)
	must(t, s.CreateUser(ctx, user(1)))
	for _, key := range []string{"a\x00b", "\xff", "user000001\x00"} {
		if _, err := s.UserByLogin(ctx, pid, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("UserByLogin(%q): got %v, want ErrNotFound", key, err)
		}
		if _, err := s.GetUser(ctx, pid, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("GetUser(%q): got %v, want ErrNotFound", key, err)
		}
		for _, prefix := range []bool{false, true} {
			page, err := s.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: key, Prefix: prefix, PageRequest: storage.PageRequest{Limit: 5}})
			if err != nil || len(page.Items) != 0 {
				t.Errorf("ListUsers(email %q, prefix %v): got %d users, %v; want none", key, prefix, len(page.Items), err)
			}
		}
	}
}

// TestOpenOwnsPool checks that a store from Open closes its connections,
// and one from New leaves the caller's open; both fail after Close.
func TestOpenOwnsPool(t *testing.T) {
	ctx := context.Background()
	url := dbURL(t)
	schema := freshSchema(t)
	opened, err := postgres.Open(ctx, url, postgres.WithSchema(schema))
	must(t, err)
	createPool(t, opened, pid)
	must(t, opened.Close())
	must(t, opened.Close()) // twice is harmless
	if _, err := opened.GetPool(ctx, pid); err == nil || errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetPool after Close: got %v, want a closed-store error", err)
	}

	db := sharedDB(t)
	wrapped, err := postgres.New(ctx, db, postgres.WithSchema(schema))
	must(t, err)
	if _, err := wrapped.GetPool(ctx, pid); err != nil {
		t.Errorf("GetPool through New on the same schema: %v", err)
	}
	must(t, wrapped.Close())
	if _, err := wrapped.GetPool(ctx, pid); err == nil {
		t.Error("GetPool after Close: got no error")
	}
	must(t, db.Ping(ctx)) // the caller's pool is still open

	if _, err := postgres.Open(ctx, "postgres://%zz"); err == nil {
		t.Error("Open with a malformed URL: got no error")
	}
	if _, err := postgres.New(ctx, nil); err == nil {
		t.Error("New(nil): got no error")
	}
}

// TestMigrateConcurrently starts many instances on one empty schema at
// once: the advisory lock makes one of them migrate and the others find
// the work done.
func TestMigrateConcurrently(t *testing.T) {
	ctx := context.Background()
	db := sharedDB(t)
	schema := freshSchema(t)
	const n = 12
	ok, errs := racetest.Run(n, func(int) error {
		s, err := postgres.New(ctx, db, postgres.WithSchema(schema))
		if err == nil {
			s.Close()
		}
		return err
	})
	if ok != n {
		t.Fatalf("%d of %d instances started: %v", ok, n, errs)
	}
	var versions, applied int
	must(t, db.QueryRow(ctx, "SELECT count(*), max(version) FROM "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()).Scan(&applied, &versions))
	if applied != versions {
		t.Errorf("schema_migrations has %d rows for %d versions: a migration ran twice", applied, versions)
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := sharedDB(t)
	schema := migratedSchema(t)
	_, err := db.Exec(ctx, "INSERT INTO "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+" (version, name) VALUES (9999, 'from the future')")
	must(t, err)
	if _, err := postgres.New(ctx, db, postgres.WithSchema(schema)); err == nil || !strings.Contains(err.Error(), "9999") {
		t.Errorf("New on a schema at version 9999: got %v, want an error naming the version", err)
	}
}

// TestSchemasAreSeparate checks that two schemas in one database are two
// stores.
func TestSchemasAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := newStore(t), newStore(t)
	createPool(t, a, pid)
	createPool(t, b, pid)
	must(t, a.CreateUser(ctx, user(1)))
	if _, err := b.GetUser(ctx, pid, user(1).Sub); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetUser in the other schema: got %v, want ErrNotFound", err)
	}
	must(t, b.CreateUser(ctx, user(1)))
}

func ExampleOpen() {
	url := os.Getenv("USERPOOL_POSTGRES_URL")
	if url == "" {
		fmt.Println("users: 0")
		return
	}
	ctx := context.Background()
	s, err := postgres.Open(ctx, url, postgres.WithSchema("userpool_example"))
	if err != nil {
		panic(err)
	}
	defer s.Close()
	n, err := s.CountUsers(ctx, "no-such-pool")
	if err != nil {
		panic(err)
	}
	fmt.Println("users:", n)
	// Output: users: 0
}

// TestUpdateUsersCrossedOrder updates two users in both orders at once
// from many goroutines: whatever the database does to settle the locks,
// every call ends in success or a stale version, never a deadlock error,
// and no update is lost.
func TestUpdateUsersCrossedOrder(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	createPool(t, s, pid)
	must(t, s.CreateUser(ctx, user(1)))
	must(t, s.CreateUser(ctx, user(2)))
	const n = 20
	ok, errs := racetest.Run(n, func(i int) error {
		for {
			a, err := s.GetUser(ctx, pid, user(1).Sub)
			if err != nil {
				return err
			}
			b, err := s.GetUser(ctx, pid, user(2).Sub)
			if err != nil {
				return err
			}
			if i%2 == 1 {
				a, b = b, a
			}
			err = s.UpdateUsers(ctx, a, b)
			if !errors.Is(err, storage.ErrConflict) {
				return err
			}
		}
	})
	if ok != n {
		t.Fatalf("%d of %d updates succeeded: %v", ok, n, errs)
	}
	for _, i := range []int{1, 2} {
		u, err := s.GetUser(ctx, pid, user(i).Sub)
		must(t, err)
		if u.Version != n+1 {
			t.Errorf("user %d: version %d, want %d", i, u.Version, n+1)
		}
	}
}

// TestOpenWithoutDDLPrivileges migrates a schema as its owner, then opens
// it as a role that may only read and write rows, as an application whose
// migrations run in a deploy step would.
func TestOpenWithoutDDLPrivileges(t *testing.T) {
	ctx := context.Background()
	db := sharedDB(t)
	schema := migratedSchema(t)

	role := schema + "_app"
	quoted, qschema := pgx.Identifier{role}.Sanitize(), pgx.Identifier{schema}.Sanitize()
	if _, err := db.Exec(ctx, "CREATE ROLE "+quoted+" LOGIN"); err != nil {
		t.Skipf("cannot create a role to test with: %v", err)
	}
	t.Cleanup(func() {
		db.Exec(context.Background(), "DROP OWNED BY "+quoted)
		db.Exec(context.Background(), "DROP ROLE "+quoted)
	})
	for _, grant := range []string{
		"GRANT USAGE ON SCHEMA " + qschema + " TO " + quoted,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + qschema + " TO " + quoted,
	} {
		_, err := db.Exec(ctx, grant)
		must(t, err)
	}
	cfg, err := pgxpool.ParseConfig(dbURL(t))
	must(t, err)
	cfg.ConnConfig.User = role
	app, err := pgxpool.NewWithConfig(ctx, cfg)
	must(t, err)
	defer app.Close()
	if err := app.Ping(ctx); err != nil {
		t.Skipf("cannot connect as %s (the server may want a password): %v", role, err)
	}
	s, err := postgres.New(ctx, app, postgres.WithSchema(schema))
	must(t, err)
	defer s.Close()
	createPool(t, s, pid)
	must(t, s.CreateUser(ctx, user(1)))
	if _, err := app.Exec(ctx, "CREATE TABLE "+qschema+".nope (x int)"); err == nil {
		t.Fatal("the application role could create a table: the test proves nothing")
	}
}
