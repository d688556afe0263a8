package main

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// sessionStore keeps the signed-in part of sessions (the CSRF token and
// the tokens) in a SQLite file beside the pool's database, so that a
// restart, or another instance of the app on the same files, keeps users
// signed in. The cookie's id is stored only as a hash, and the record is
// sealed with AES-GCM under a key kept in a file of its own (made 0600 at
// the first start): a copy of the sessions database alone signs no one in.
// A sign-in in progress (a challenge) stays in memory: after a restart the
// user starts it again.
type sessionStore struct {
	db   *sql.DB
	aead cipher.AEAD
}

// storedSession is what a session keeps across restarts.
type storedSession struct {
	CSRF    string `json:"csrf"`
	Access  string `json:"access"`
	ID      string `json:"id"`
	Refresh string `json:"refresh"`
}

// openSessionStore opens (creating them if need be) <db>-sessions and its
// key <db>-sessions.key.
func openSessionStore(ctx context.Context, db string) (*sessionStore, error) {
	key, err := readSessionKey(db + "-sessions.key")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	conn, err := sql.Open("sqlite", (&url.URL{Scheme: "file", OmitHost: true, Path: db + "-sessions", RawQuery: q.Encode()}).String())
	if err != nil {
		return nil, err
	}
	_, err = conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS sessions (
		id       TEXT PRIMARY KEY, -- sha256 of the cookie's id, hex
		data     BLOB NOT NULL,    -- nonce and AES-GCM sealed storedSession
		saved_at INTEGER NOT NULL  -- Unix seconds
	)`)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("webapp: sessions database: %w", err)
	}
	return &sessionStore{db: conn, aead: aead}, nil
}

// readSessionKey reads the key file, or makes it with a new random key.
func readSessionKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) { // another instance made it first
			return readSessionKey(path)
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, err
		}
		return key, f.Close()
	}
	if err != nil {
		return nil, err
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("webapp: %s holds %d bytes, not a 32-byte key", path, len(key))
	}
	return key, nil
}

// rowID is the stored id of a session: a hash of the cookie's value.
func rowID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func (st *sessionStore) save(ctx context.Context, id string, s storedSession, now time.Time) error {
	plain, err := json.Marshal(s)
	if err != nil {
		return err
	}
	row := rowID(id)
	nonce := make([]byte, st.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	// The row's id is the additional data: a record moved to another row
	// does not open.
	sealed := st.aead.Seal(nonce, nonce, plain, []byte(row))
	_, err = st.db.ExecContext(ctx, `INSERT INTO sessions (id, data, saved_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at`, row, sealed, now.Unix())
	return err
}

// load returns the session saved under id, unless it is older than idle
// or does not open.
func (st *sessionStore) load(ctx context.Context, id string, now time.Time, idle time.Duration) (storedSession, bool) {
	row := rowID(id)
	var sealed []byte
	var saved int64
	if err := st.db.QueryRowContext(ctx, `SELECT data, saved_at FROM sessions WHERE id = ?`, row).Scan(&sealed, &saved); err != nil {
		return storedSession{}, false
	}
	n := st.aead.NonceSize()
	if now.Sub(time.Unix(saved, 0)) > idle || len(sealed) < n {
		return storedSession{}, false
	}
	plain, err := st.aead.Open(nil, sealed[:n], sealed[n:], []byte(row))
	if err != nil {
		return storedSession{}, false
	}
	var s storedSession
	if json.Unmarshal(plain, &s) != nil {
		return storedSession{}, false
	}
	return s, true
}

func (st *sessionStore) delete(ctx context.Context, id string) error {
	_, err := st.db.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, rowID(id))
	return err
}

// sweep deletes sessions saved longer than idle ago.
func (st *sessionStore) sweep(ctx context.Context, now time.Time, idle time.Duration) error {
	_, err := st.db.ExecContext(ctx, `DELETE FROM sessions WHERE saved_at < ?`, now.Add(-idle).Unix())
	return err
}

func (st *sessionStore) Close() error { return st.db.Close() }
