package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/userpool/userpool/storage"
)

// userCols are the columns scanUser reads, in order; the folded attribute
// columns exist only for searching and are never read back. Every query
// selecting them is for one pool, so the pool id comes from the caller
// rather than from each row.
const userCols = `users.sub, users.username, users.status, users.enabled,
	users.version, users.created_at, users.doc`

// scanUser reads one row of userCols belonging to pool poolID.
func scanUser(row *sql.Row, poolID string) (storage.User, error) {
	u := storage.User{PoolID: poolID}
	var doc []byte
	err := row.Scan(&u.Sub, &u.Username, &u.Status, &u.Enabled, &u.Version, timeCol{&u.CreatedAt}, &doc)
	if err == nil {
		err = decodeUser(doc, &u, fullUser)
	}
	if err != nil {
		return storage.User{}, err
	}
	return u, nil
}

// listUsers reads the rows of userCols of a listing of pool poolID, as
// listed users, closing rows; size is the number of rows expected.
//
// A page has up to 61 rows, so the per-row work is kept to reading the
// row and decoding the user: the scan destinations are set up once, the
// document is read in place (decodeUser copies what it keeps before the
// next row), and each user is decoded straight into the page.
func listUsers(rows *sql.Rows, poolID string, size int) ([]storage.User, error) {
	defer rows.Close()
	var (
		sub, username, status string
		enabled               bool
		version               int64
		created               time.Time
		doc                   sql.RawBytes
	)
	dest := []any{&sub, &username, &status, &enabled, &version, timeCol{&created}, &doc}
	out := make([]storage.User, 0, size)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, storage.User{PoolID: poolID, Sub: sub, Username: username, Status: status,
			Enabled: enabled, Version: version, CreatedAt: created})
		if err := decodeUser(doc, &out[len(out)-1], listedUser); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// folded returns storage.Fold of each searchable attribute in the order
// of storage.Searchable, nil (SQL NULL) for an absent one, so that an
// absent attribute never matches a filter.
func folded(u *storage.User) []any {
	out := make([]any, len(storage.Searchable))
	for i, name := range storage.Searchable {
		if v, ok := u.Attributes[name]; ok {
			out[i] = storage.Fold(v)
		}
	}
	return out
}

// CreateUser implements [storage.Users]. The user row and its login rows
// are written in one transaction; a taken sub or login key violates a
// primary key (ErrConflict), a missing pool the foreign key (ErrNotFound),
// and either way nothing is written.
func (s *Store) CreateUser(ctx context.Context, u storage.User) error {
	return translate("create user", s.write(ctx, func(tx *wtx) error { return insertUser(ctx, tx, &u) }))
}

// insertUser writes the user row with Version 1 and its login rows.
func insertUser(ctx context.Context, tx *wtx, u *storage.User) error {
	created, err := enc(u.CreatedAt)
	if err != nil {
		return err
	}
	doc, err := encodeUser(u)
	if err != nil {
		return err
	}
	args := append([]any{u.PoolID, u.Sub, u.Username, u.Status, u.Enabled, created, doc}, folded(u)...)
	_, err = tx.exec(ctx, `INSERT INTO users (pool_id, sub, username, status, enabled, created_at, doc,
		email, phone_number, name, given_name, family_name, preferred_username, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
	if err != nil {
		return err
	}
	return insertLogins(ctx, tx, u)
}

func insertLogins(ctx context.Context, tx *wtx, u *storage.User) error {
	for _, l := range u.Logins {
		_, err := tx.exec(ctx, `INSERT INTO logins (pool_id, key, name, sub) VALUES (?, ?, ?, ?)`,
			u.PoolID, l.Key, l.Name, u.Sub)
		if err != nil {
			return err
		}
	}
	return nil
}

// GetUser implements [storage.Users].
func (s *Store) GetUser(ctx context.Context, poolID, sub string) (storage.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub), poolID)
	return u, translate("get user", err)
}

// UserByLogin implements [storage.Users].
func (s *Store) UserByLogin(ctx context.Context, poolID, key string) (storage.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM logins
		JOIN users ON users.pool_id = logins.pool_id AND users.sub = logins.sub
		WHERE logins.pool_id = ? AND logins.key = ?`, poolID, key), poolID)
	return u, translate("user by login", err)
}

// UpdateUsers implements [storage.Users]. It checks every version first,
// then drops the logins of every user in the call before inserting the new
// ones, so a key may move between users of the same call; a key held by
// anyone else violates the logins primary key. One transaction holds it
// all, so any failure leaves every user as it was.
func (s *Store) UpdateUsers(ctx context.Context, users ...storage.User) error {
	docs := make([][]byte, len(users))
	for i := range users {
		doc, err := encodeUser(&users[i])
		if err != nil {
			return translate("update users", err)
		}
		docs[i] = doc
	}
	return translate("update users", s.write(ctx, func(tx *wtx) error {
		for i := range users {
			u := &users[i]
			args := append([]any{u.Username, u.Status, u.Enabled, docs[i]}, folded(u)...)
			args = append(args, u.PoolID, u.Sub, u.Version)
			n, err := tx.affected(ctx, `UPDATE users SET username = ?, status = ?, enabled = ?, doc = ?,
				email = ?, phone_number = ?, name = ?, given_name = ?, family_name = ?, preferred_username = ?,
				version = version + 1
				WHERE pool_id = ? AND sub = ? AND version = ?`, args...)
			if err != nil {
				return err
			}
			if n == 0 {
				return missingOrStale(ctx, tx, "update users", `SELECT 1 FROM users WHERE pool_id = ? AND sub = ?`, u.PoolID, u.Sub)
			}
		}
		for i := range users {
			if _, err := tx.exec(ctx, `DELETE FROM logins WHERE pool_id = ? AND sub = ?`, users[i].PoolID, users[i].Sub); err != nil {
				return err
			}
		}
		for i := range users {
			if err := insertLogins(ctx, tx, &users[i]); err != nil {
				return err
			}
		}
		return nil
	}))
}

// DeleteUser implements [storage.Users]. Logins, memberships, codes,
// refresh tokens and devices go with the user row by ON DELETE CASCADE, in
// the same statement; their foreign keys also make a concurrent PutCode or
// PutRefreshToken for the user fail rather than leave an orphan.
func (s *Store) DeleteUser(ctx context.Context, poolID, sub string) error {
	return translate("delete user", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM users WHERE pool_id = ? AND sub = ?`, poolID, sub)
		if err == nil && n == 0 {
			err = notFound("delete user")
		}
		return err
	}))
}

// CountUsers implements [storage.Users].
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE pool_id = ?`, poolID).Scan(&n)
	if err != nil {
		return 0, translate("count users", err)
	}
	return n, nil
}
