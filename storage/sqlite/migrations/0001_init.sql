-- 0001: the initial schema.
--
-- Times are TEXT in a fixed-width UTC form (see timefmt.go), so they sort
-- as they compare in Go and the zero time is simply the smallest value.
-- Every record has a foreign key to its pool, and the records of a user to
-- the user, all ON DELETE CASCADE: storing into a missing pool or user
-- fails the key (reported as ErrNotFound), and DeletePool and DeleteUser
-- remove everything beneath them in the same statement, so no later write
-- can leave an orphan behind.

CREATE TABLE pools (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	settings   BLOB,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	version    INTEGER NOT NULL
);

CREATE TABLE clients (
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	id         TEXT NOT NULL,
	name       TEXT NOT NULL,
	settings   BLOB,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	version    INTEGER NOT NULL,
	PRIMARY KEY (pool_id, id)
);

-- users keeps what queries need as columns and everything else in doc, a
-- tagged binary document (usercodec.go), so new User fields need no
-- migration. The searchable
-- attribute columns hold storage.Fold(value), NULL when the attribute is
-- absent.
CREATE TABLE users (
	pool_id            TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	sub                TEXT NOT NULL,
	username           TEXT NOT NULL,
	status             TEXT NOT NULL,
	enabled            INTEGER NOT NULL,
	version            INTEGER NOT NULL,
	created_at         TEXT NOT NULL,
	email              TEXT,
	phone_number       TEXT,
	name               TEXT,
	given_name         TEXT,
	family_name        TEXT,
	preferred_username TEXT,
	doc                BLOB NOT NULL,
	PRIMARY KEY (pool_id, sub)
);

-- One index per ListUsers filter, each ending in sub so that the order
-- "compared value, then sub" and the keyset cursor come from the index.
CREATE INDEX users_by_username ON users (pool_id, username, sub);
CREATE INDEX users_by_status ON users (pool_id, status, username, sub);
CREATE INDEX users_by_enabled ON users (pool_id, enabled, username, sub);
CREATE INDEX users_by_email ON users (pool_id, email, sub) WHERE email IS NOT NULL;
CREATE INDEX users_by_phone_number ON users (pool_id, phone_number, sub) WHERE phone_number IS NOT NULL;
CREATE INDEX users_by_name ON users (pool_id, name, sub) WHERE name IS NOT NULL;
CREATE INDEX users_by_given_name ON users (pool_id, given_name, sub) WHERE given_name IS NOT NULL;
CREATE INDEX users_by_family_name ON users (pool_id, family_name, sub) WHERE family_name IS NOT NULL;
CREATE INDEX users_by_preferred_username ON users (pool_id, preferred_username, sub) WHERE preferred_username IS NOT NULL;

-- logins is the uniqueness rule for user names and aliases: keys arrive
-- normalised under the pool's case rule, so a plain unique key suffices.
CREATE TABLE logins (
	pool_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	name    TEXT NOT NULL,
	sub     TEXT NOT NULL,
	PRIMARY KEY (pool_id, key),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX logins_by_sub ON logins (pool_id, sub);

CREATE TABLE pool_groups (
	pool_id     TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	description TEXT NOT NULL,
	role_arn    TEXT NOT NULL,
	precedence  INTEGER,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	PRIMARY KEY (pool_id, name)
);

CREATE TABLE members (
	pool_id    TEXT NOT NULL,
	group_name TEXT NOT NULL,
	sub        TEXT NOT NULL,
	PRIMARY KEY (pool_id, group_name, sub),
	FOREIGN KEY (pool_id, group_name) REFERENCES pool_groups (pool_id, name) ON DELETE CASCADE,
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX members_by_sub ON members (pool_id, sub, group_name);

CREATE TABLE codes (
	pool_id    TEXT NOT NULL,
	sub        TEXT NOT NULL,
	purpose    TEXT NOT NULL,
	hash       BLOB,
	data       BLOB,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	PRIMARY KEY (pool_id, sub, purpose),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX codes_by_expiry ON codes (expires_at);

-- devices.doc is JSON: devices are few per user and never listed in bulk.
CREATE TABLE devices (
	pool_id TEXT NOT NULL,
	key     TEXT NOT NULL,
	sub     TEXT NOT NULL,
	doc     BLOB NOT NULL,
	PRIMARY KEY (pool_id, key),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX devices_by_sub ON devices (pool_id, sub, key);

CREATE TABLE sessions (
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	id         TEXT NOT NULL,
	data       BLOB,
	expires_at TEXT NOT NULL,
	PRIMARY KEY (pool_id, id)
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE refresh_tokens (
	pool_id     TEXT NOT NULL,
	hash        TEXT NOT NULL,
	sub         TEXT NOT NULL,
	client_id   TEXT NOT NULL,
	device_key  TEXT NOT NULL,
	family_id   TEXT NOT NULL,
	origin_jti  TEXT NOT NULL,
	data        BLOB,
	issued_at   TEXT NOT NULL,
	expires_at  TEXT NOT NULL,
	revoked_at  TEXT NOT NULL,
	replaced_by TEXT NOT NULL,
	PRIMARY KEY (pool_id, hash),
	FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (pool_id, family_id);
CREATE INDEX refresh_tokens_by_sub ON refresh_tokens (pool_id, sub);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);

CREATE TABLE attempts (
	pool_id      TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	key          TEXT NOT NULL,
	count        INTEGER NOT NULL,
	last_at      TEXT NOT NULL,
	locked_until TEXT NOT NULL,
	PRIMARY KEY (pool_id, key)
);
CREATE INDEX attempts_by_last ON attempts (last_at);

CREATE TABLE signing_keys (
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	kid        TEXT NOT NULL,
	algorithm  TEXT NOT NULL,
	private    BLOB,
	created_at TEXT NOT NULL,
	retired_at TEXT NOT NULL,
	PRIMARY KEY (pool_id, kid)
);
-- At most one active key per pool, enforced by the database.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (pool_id)
	WHERE retired_at = '0001-01-01T00:00:00.000000000Z';
