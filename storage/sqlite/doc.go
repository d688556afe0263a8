// Package sqlite is a [storage.Store] kept in one SQLite database file: the
// embedded default for real programs. It uses modernc.org/sqlite, a pure Go
// translation of SQLite, so it needs no cgo and cross-compiles like any
// other Go code.
//
//	s, err := sqlite.Open(ctx, "/var/lib/myapp/users.db")
//	if err != nil { ... }
//	defer s.Close()
//	pool, err := userpool.New(ctx, "customers", userpool.WithStore(s))
//
// The Store passes the storagetest conformance suite, concurrency cases
// included.
//
// # Connections and transactions
//
// A Store holds two database/sql pools on the same file. The writer pool
// has exactly one connection, and every change runs on it inside
// BEGIN IMMEDIATE, which takes SQLite's write lock at the start: writers
// queue in Go instead of colliding inside SQLite, and a read-modify-write
// (an attempt counter, a version check, a signing key rotation) cannot
// interleave with another write. The reader pool ([WithReaders] connections)
// is query_only. Readers use WAL snapshots, so they never block the writer
// or each other, and a listing that runs several queries runs them in one
// read transaction.
//
// # Durability
//
// The database is in WAL mode with synchronous=FULL: every commit syncs the
// WAL before the call returns. With synchronous=NORMAL a WAL database
// survives a process crash but may lose its last commits to a power failure
// or an OS crash. For an authentication store that is not acceptable: a
// code reported consumed, a token reported revoked or a password reported
// changed must stay so. FULL costs one fsync per write call, and writes
// are few next to reads in an auth workload. The package's tests kill a
// writing child process with SIGKILL mid-stream, repeatedly, then check
// PRAGMA integrity_check and that every acknowledged write is there.
//
// Foreign keys are enforced. Every record references its pool, and a
// user's logins, memberships, codes, refresh tokens and devices reference
// the user, all with ON DELETE CASCADE. So storing into a missing pool or
// for a missing user fails ([storage.ErrNotFound]), and DeletePool and
// DeleteUser remove everything beneath them in a single statement, which
// also rules out a racing write leaving an orphan behind.
//
// Every call that changes several rows (a user and its logins, several
// users exchanging a login, a token rotation) runs in one transaction, so
// a failure at any statement leaves nothing half-written. Unique and
// primary key violations are recognised by SQLite result code, not by
// message, and returned as [storage.ErrConflict].
//
// # Schema and migrations
//
// The schema is a numbered series of SQL files embedded in the binary
// (migrations/0001_init.sql, ...). Open applies those the file has not seen,
// each in its own transaction together with the new PRAGMA user_version, so
// a crash mid-migration leaves the previous schema intact. A file written
// by a newer version of this package is refused rather than misread.
//
// Login keys arrive normalised by userpool under the pool's case rule, so
// the table logins with primary key (pool_id, key) is the uniqueness rule
// for user names and aliases. A user's fields that no query looks at are
// kept in one document column in a tagged binary format that skips unknown
// fields, so adding a field to [storage.User] needs no migration; the
// format is several times faster to decode than JSON, which matters when a
// page holds 60 users.
//
// # Listing users
//
// Each searchable attribute ([storage.Searchable]) is also stored folded
// with [storage.Fold] in its own column, indexed with (pool_id, value, sub).
// A ListUsers filter is then one index range: equality is value = ?, a
// prefix is value >= prefix AND value < successor(prefix), never LIKE, so
// '%' and '_' are ordinary characters and only matching entries are read.
// Username, status and enabled filters have indexes too. Pages follow a
// keyset cursor, the (value, sub) of the last user, instead of OFFSET, so
// each page costs the same however deep it is and stays correct while
// users come and go. The tests check every filter's plan with EXPLAIN
// QUERY PLAN.
//
// # Times
//
// Times are stored as fixed-width UTC text with nanoseconds, so SQL compares
// them as Go does, and come back in UTC. Years outside 0-9999 are refused.
// Like every store, this one never reads the clock: "now" comes from the
// caller.
package sqlite
