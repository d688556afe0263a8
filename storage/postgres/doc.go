// Package postgres is a [storage.Store] in PostgreSQL, for applications that
// run several instances against one database: every piece of shared state
// (users, codes, sessions, refresh tokens, lockout counters, signing keys)
// lives in the database, so any instance can serve any request, and the
// store's guarantees hold across instances, not only within one.
//
//	s, err := postgres.Open(ctx, "postgres://app@db:5432/app?sslmode=verify-full")
//	...
//	pool, err := userpool.New(ctx, "customers", userpool.WithStore(s))
//
// [New] wraps a *pgxpool.Pool the application already has; [Open] makes
// its own. [WithSchema] keeps the tables in a schema of their own.
//
// # Schema and migrations
//
// The schema is embedded (migrations/NNNN_*.sql) and brought up to date by
// Open and New, in one transaction under a PostgreSQL advisory lock: many
// instances starting at once migrate once, and the rest wait and find the
// work done. A database migrated by a newer build is refused. The schema's
// versions are in the table schema_migrations. An up-to-date schema needs
// no DDL privilege, so applications may run as a role that only reads and
// writes rows while a deploy step, as the schema's owner, migrates.
//
// # Consistency across instances
//
// Nothing is cached in the process. Every guarantee of package storage
// comes from the database itself, at READ COMMITTED:
//
//   - Uniqueness (login keys, subs, names) comes from unique keys; a unique
//     violation is [storage.ErrConflict]. Login keys arrive normalised
//     under the pool's case rule, so a plain unique key on (pool, key) is
//     the case rule, and of N concurrent sign-ups of one name on any
//     instances exactly one succeeds.
//   - Compare-and-swap (user, pool and client versions; token and signing
//     key rotation) is a conditional UPDATE: its row lock makes concurrent
//     writers queue, and all but the first then match nothing.
//   - Single use (ConsumeCode, TakeSession) is DELETE … RETURNING.
//   - Attempt counters are read with a row lock, advanced by
//     [storage.AttemptRule.Next] in Go, and written back in the same
//     transaction, so no attempt on any instance is lost.
//   - Records belong to their pool and user through foreign keys with ON
//     DELETE CASCADE: DeletePool and DeleteUser remove everything beneath
//     them in one statement, and a write racing them fails (ErrNotFound)
//     rather than leave an orphan.
//   - Changes to several rows (UpdateUsers, rotations, migrations) run in
//     one transaction; one that deadlocks with another is run again.
//
// # Text and order
//
// Every text column compares under COLLATE "C" (bytes), whatever the
// database's locale, so orders match the other stores and a prefix filter
// of ListUsers is an index range (col >= p AND col < successor of p) in
// which % and _ are plain characters. Strings PostgreSQL cannot store
// (invalid UTF-8, NUL bytes) name no record: look-ups by them find nothing.
//
// Times keep microseconds, PostgreSQL's precision; the zero time is stored
// as NULL.
//
// # Cost
//
// GetUser is a primary-key look-up, UserByLogin one more index probe. A
// ListUsers page is one index range scan of the filtered attribute (an
// index on (pool, attribute, sub) per searchable attribute) continued from
// the cursor's position, never an offset, so a page costs the same at the
// end of a million users as at the start. CountUsers counts the pool's
// index entries.
package postgres
