package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

var errInjected = errors.New("injected fault")

// TestFaultAtEveryStatement fails each statement of each multi-row change
// in turn, the commit included, and checks that the database is then
// exactly as before: no step of a failed change is ever visible. After
// every step has failed once, the same change succeeds on that store, so
// the failures left nothing behind that blocks it either.
func TestFaultAtEveryStatement(t *testing.T) {
	ctx := context.Background()
	a, b, c := user(1), user(2), user(3)
	setup := func(t *testing.T, s *sqlite.Store) {
		must(t, s.CreateUser(ctx, a))
		must(t, s.CreateUser(ctx, b))
		must(t, s.CreateGroup(ctx, storage.Group{PoolID: pid, Name: "g", CreatedAt: t0, UpdatedAt: t0}))
		must(t, s.AddMember(ctx, pid, "g", a.Sub))
		must(t, s.PutCode(ctx, storage.Code{PoolID: pid, Sub: a.Sub, Purpose: "p", Hash: []byte{1}, CreatedAt: t0, ExpiresAt: t0}))
		must(t, s.PutRefreshToken(ctx, storage.RefreshToken{PoolID: pid, Hash: "t1", Sub: a.Sub, FamilyID: "f", IssuedAt: t0, ExpiresAt: t0}))
		must(t, s.PutDevice(ctx, storage.Device{PoolID: pid, Key: "d", Sub: a.Sub}))
		must(t, s.RotateSigningKey(ctx, "", storage.SigningKey{PoolID: pid, KID: "k1", CreatedAt: t0}))
	}
	ops := []struct {
		name string
		run  func(s *sqlite.Store) error
	}{
		{"CreateUser", func(s *sqlite.Store) error { return s.CreateUser(ctx, c) }},
		{"UpdateUsersMovingLogin", func(s *sqlite.Store) error {
			a, b := a, b
			a.Version, b.Version = 1, 1
			b.Logins = append(b.Logins, a.Logins[1])
			a.Logins = a.Logins[:1]
			a.Status = "RESET_REQUIRED"
			return s.UpdateUsers(ctx, a, b)
		}},
		{"DeleteUser", func(s *sqlite.Store) error { return s.DeleteUser(ctx, pid, a.Sub) }},
		{"DeletePool", func(s *sqlite.Store) error { return s.DeletePool(ctx, pid) }},
		{"RotateRefreshToken", func(s *sqlite.Store) error {
			return s.RotateRefreshToken(ctx, "t1", storage.RefreshToken{PoolID: pid, Hash: "t2", Sub: a.Sub, FamilyID: "f", IssuedAt: t0, ExpiresAt: t0})
		}},
		{"RotateSigningKey", func(s *sqlite.Store) error {
			return s.RotateSigningKey(ctx, "k1", storage.SigningKey{PoolID: pid, KID: "k2", CreatedAt: t0.Add(1e9)})
		}},
		{"TakeAttempt", func(s *sqlite.Store) error {
			_, _, err := s.TakeAttempt(ctx, pid, "k", t0, storage.AttemptRule{Free: 5})
			return err
		}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			// One store serves every step: a failed change must leave it
			// exactly as set up, which is what each round checks, so the
			// next round starts from the same state.
			s := openWithPool(t)
			setup(t, s)
			before := dump(t, s)
			for n := 1; ; n++ {
				calls := 0
				sqlite.SetFault(s, func(string) error {
					if calls++; calls == n {
						return errInjected
					}
					return nil
				})
				err := op.run(s)
				if calls < n {
					// The change has fewer than n steps, so every step
					// has failed once; now, with nothing failing, it
					// went through on the store all those faults hit.
					must(t, err)
					if n < 3 {
						t.Fatalf("only %d steps seen; the hook is not reached", calls)
					}
					return
				}
				if !errors.Is(err, errInjected) {
					t.Fatalf("fault at step %d: got error %v, want the injected one", n, err)
				}
				if after := dump(t, s); after != before {
					t.Fatalf("fault at step %d changed the database:\nbefore %s\nafter  %s", n, before, after)
				}
			}
		})
	}
}

// dump renders every row of every table, in a fixed order.
func dump(t *testing.T, s *sqlite.Store) string {
	t.Helper()
	db := sqlite.DB(s)
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	must(t, err)
	var tables []string
	for rows.Next() {
		var name string
		must(t, rows.Scan(&name))
		tables = append(tables, name)
	}
	must(t, rows.Err())
	rows.Close()
	var b strings.Builder
	for _, table := range tables {
		fmt.Fprintf(&b, "[%s]", table)
		rows, err := db.Query(`SELECT * FROM "` + table + `" ORDER BY 1, 2, 3`)
		must(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			fmt.Fprintf(&b, " %v", vals)
		}
		must(t, rows.Err())
		rows.Close()
	}
	return b.String()
}
