package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// userValues lists the users columns userRow fills, and their
// placeholders from $3 on ($1 and $2 being pool_id and sub).
var userValues, userPlaceholders = func() (string, string) {
	cols := append([]string{"username", "status", "enabled", "doc"}, searchableColumns...)
	ph := make([]string, len(cols))
	for i := range cols {
		ph[i] = "$" + strconv.Itoa(i+3)
	}
	return strings.Join(cols, ", "), strings.Join(ph, ", ")
}()

// createUserSQL inserts the user and its logins in one statement, so the
// whole user is written or nothing is: a taken sub or login key is a
// unique violation (ErrConflict) and a missing pool a foreign key
// violation (ErrNotFound), either of which undoes the statement. Login keys
// arrive normalised under the pool's case rule, so the unique key on
// (pool_id, key) is the case rule, and concurrent sign-ups of one name
// across any number of instances see exactly one success.
var createUserSQL = fmt.Sprintf(`WITH u AS (
	INSERT INTO {users} (pool_id, sub, version, created_at, %s)
	VALUES ($1, $2, 1, $%d, %s)
	RETURNING pool_id, sub
)
INSERT INTO {logins} (pool_id, key, name, sub)
SELECT u.pool_id, l.key, l.name, u.sub FROM u, unnest($%d::text[], $%d::text[]) AS l(key, name)`,
	userValues, len(searchableColumns)+7, userPlaceholders, len(searchableColumns)+8, len(searchableColumns)+9)

// CreateUser stores u with Version 1, claiming its login keys.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	row, err := userRow(u)
	if err != nil {
		return err
	}
	keys, names := loginArrays(u.Logins)
	args := append([]any{u.PoolID, u.Sub}, row...)
	args = append(args, tz(u.CreatedAt), keys, names)
	_, err = s.db.Exec(ctx, s.q(createUserSQL), args...)
	return dbErr(fmt.Sprintf("create user %q", u.Sub), err)
}

func loginArrays(logins []storage.Login) (keys, names []string) {
	keys = make([]string, len(logins))
	names = make([]string, len(logins))
	for i, l := range logins {
		keys[i], names[i] = l.Key, l.Name
	}
	return keys, names
}

// GetUser returns the user with this sub.
func (s *Store) GetUser(ctx context.Context, poolID, sub string) (storage.User, error) {
	if err := s.ready(ctx); err != nil {
		return storage.User{}, err
	}
	what := fmt.Sprintf("user %q", sub)
	if !storable(poolID) || !storable(sub) {
		return storage.User{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	u, err := scanUser(s.db.QueryRow(ctx, s.q("SELECT "+userColumns+" FROM {users} u WHERE u.pool_id = $1 AND u.sub = $2"), poolID, sub))
	if err != nil {
		return storage.User{}, dbErr(what, err)
	}
	return u, nil
}

// UserByLogin returns the user holding the login key: one index look-up in
// logins joined to the user's row.
func (s *Store) UserByLogin(ctx context.Context, poolID, key string) (storage.User, error) {
	if err := s.ready(ctx); err != nil {
		return storage.User{}, err
	}
	what := fmt.Sprintf("login %q", key)
	if !storable(poolID) || !storable(key) {
		return storage.User{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	u, err := scanUser(s.db.QueryRow(ctx, s.q(`SELECT `+userColumns+` FROM {logins} l
		JOIN {users} u ON u.pool_id = l.pool_id AND u.sub = l.sub
		WHERE l.pool_id = $1 AND l.key = $2`), poolID, key))
	if err != nil {
		return storage.User{}, dbErr(what, err)
	}
	return u, nil
}

var updateUserSQL = fmt.Sprintf(`UPDATE {users} SET (%s, version) = (%s, version + 1)
	WHERE pool_id = $1 AND sub = $2 AND version = $%d`,
	userValues, userPlaceholders, len(searchableColumns)+7)

// UpdateUsers replaces the given users, all or none, in one transaction
// whose statements go to the server as one batch (three round trips in
// all, however many users): each row is updated only at its expected
// version (a row lock makes concurrent updates of one version queue, and
// all but the first then match nothing), the users' old logins are
// dropped, and their new ones inserted, where the unique key refuses a key
// held outside the call or claimed twice. Any refusal rolls everything
// back.
func (s *Store) UpdateUsers(ctx context.Context, users ...storage.User) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	if len(users) == 0 {
		return nil
	}
	rows := make([][]any, len(users))
	var pools, subs, keyPools, keys, names, keySubs []string
	for i, u := range users {
		row, err := userRow(u)
		if err != nil {
			return err
		}
		rows[i] = append(append([]any{u.PoolID, u.Sub}, row...), u.Version)
		pools, subs = append(pools, u.PoolID), append(subs, u.Sub)
		for _, l := range u.Logins {
			keyPools, keys, names, keySubs = append(keyPools, u.PoolID), append(keys, l.Key), append(names, l.Name), append(keySubs, u.Sub)
		}
	}
	// Rows are locked in (pool, sub) order, whatever the order of the
	// call, so that two calls updating the same users do not deadlock.
	order := make([]int, len(users))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(users[i].PoolID, users[j].PoolID), cmp.Compare(users[i].Sub, users[j].Sub))
	})
	var unmatched *storage.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		unmatched = nil
		b := &pgx.Batch{}
		for _, i := range order {
			b.Queue(s.q(updateUserSQL), rows[i]...)
		}
		b.Queue(s.q(`DELETE FROM {logins} WHERE (pool_id, sub) IN (SELECT * FROM unnest($1::text[], $2::text[]))`), pools, subs)
		b.Queue(s.q(`INSERT INTO {logins} (pool_id, key, name, sub)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`), keyPools, keys, names, keySubs)
		br := tx.SendBatch(ctx, b)
		defer br.Close()
		for _, i := range order {
			tag, err := br.Exec()
			if err != nil {
				return dbErr(fmt.Sprintf("update user %q", users[i].Sub), err)
			}
			if tag.RowsAffected() == 0 {
				// Missing, stale, or given twice in this call (the first
				// copy moved the version on). The rest of the batch is
				// rolled back unread.
				unmatched = &users[i]
				return errUnmatched
			}
		}
		for range 2 {
			if _, err := br.Exec(); err != nil {
				return dbErr("update users: logins", err)
			}
		}
		return dbErr("update users", br.Close())
	})
	if unmatched != nil {
		return s.missingOrStale(ctx, fmt.Sprintf("update user %q at version %d", unmatched.Sub, unmatched.Version),
			"SELECT version FROM {users} WHERE pool_id = $1 AND sub = $2", unmatched.PoolID, unmatched.Sub)
	}
	return err
}

// errUnmatched ends an UpdateUsers transaction in which a user's version
// matched no row; UpdateUsers then tells why.
var errUnmatched = errors.New("postgres: user version matched no row")

// DeleteUser removes a user; the cascades of the foreign keys remove its
// logins, memberships, codes, refresh tokens and devices in the same
// statement.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {users} WHERE pool_id = $1 AND sub = $2"), poolID, sub)
	return deleted(fmt.Sprintf("user %q", sub), tag.RowsAffected(), err)
}

// CountUsers returns the number of users in the pool (0 without the pool).
// It counts the primary key's index entries for the pool, which is exact
// but visits every one: a pool of millions costs a noticeable scan.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	if err := s.ready(ctx); err != nil {
		return 0, err
	}
	var n int
	err := s.db.QueryRow(ctx, s.q("SELECT count(*) FROM {users} WHERE pool_id = $1"), poolID).Scan(&n)
	return n, dbErr("count users", err)
}
