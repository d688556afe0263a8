// Package storage defines what userpool needs from a database: small
// interfaces grouped by concern, the records they exchange, and the sentinel
// errors every backend returns.
//
// A backend implements [Store] and proves itself with
// storagetest.Run(t, newStore), the conformance suite shared by the memory,
// SQLite and PostgreSQL backends. The package imports only the standard
// library, so a custom backend depends on nothing else of userpool.
//
// # Rules every backend follows
//
//   - Every method takes a context first and honours its cancellation.
//   - Records are values: a backend never keeps or hands out a pointer into
//     its own state, and callers may modify what they receive.
//   - A store may hold many user pools; every record carries its PoolID and
//     nothing is visible across pools.
//   - Every record belongs to an existing pool: a method that would store a
//     record in a pool that does not exist returns [ErrNotFound], so nothing
//     outlives DeletePool. Reads and deletions in a missing pool behave as
//     they do for a missing record.
//   - Stores never read the clock. Times arrive in the records and in the
//     arguments ("now"), so tests control time completely.
//   - A change that touches several rows (a user and its login keys, a user
//     and its memberships, codes, tokens and devices) is atomic: it happens
//     entirely or not at all.
//   - Uniqueness and compare-and-swap are enforced by the store, not by a
//     read followed by a write in the caller: concurrent callers racing for
//     the same name see exactly one success and [ErrConflict] for the rest.
//   - Listings of users (ListUsers, MembersOfGroup) carry no secrets: their
//     users are in the form of [User.WithoutSecrets]. Only GetUser and
//     UserByLogin return password hashes, SRP verifiers, TOTP secrets and
//     passkeys.
package storage
