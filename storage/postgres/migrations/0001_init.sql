-- 0001: the initial schema.
--
-- {name} stands for the table in the store's schema; migrate.go rewrites it.
--
-- Every text column compares under COLLATE "C", byte by byte: login keys
-- arrive already normalised under the pool's case rule (so a plain unique
-- index is the case rule), orderings match the memory store's, and a
-- b-tree index serves prefix ranges whatever the database's locale.
--
-- Zero times are stored as NULL, except expiries, which Sweep compares
-- with "now" (a zero expiry has expired, as in the memory store). Times
-- keep microseconds, PostgreSQL's precision. Every record has a foreign key to its
-- pool, and the records of a user to the user, all ON DELETE CASCADE:
-- storing into a missing pool or user fails the key (reported as
-- storage.ErrNotFound), and DeletePool and DeleteUser remove everything
-- beneath them in one statement, so no concurrent write can leave an orphan.

CREATE TABLE {pools} (
	id         text COLLATE "C" PRIMARY KEY,
	name       text COLLATE "C" NOT NULL,
	settings   bytea,
	created_at timestamptz,
	updated_at timestamptz,
	version    bigint NOT NULL
);

CREATE TABLE {clients} (
	pool_id    text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	id         text COLLATE "C" NOT NULL,
	name       text COLLATE "C" NOT NULL,
	settings   bytea,
	created_at timestamptz,
	updated_at timestamptz,
	version    bigint NOT NULL,
	PRIMARY KEY (pool_id, id)
);

-- users keeps as columns what queries filter and sort on, and the rest of
-- the record in doc, so a new User field needs no migration. The
-- searchable attribute columns hold storage.Fold(value), NULL when the
-- user has no such attribute.
CREATE TABLE {users} (
	pool_id            text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	sub                text COLLATE "C" NOT NULL,
	username           text COLLATE "C" NOT NULL,
	status             text COLLATE "C" NOT NULL,
	enabled            boolean NOT NULL,
	version            bigint NOT NULL,
	created_at         timestamptz,
	email              text COLLATE "C",
	phone_number       text COLLATE "C",
	name               text COLLATE "C",
	given_name         text COLLATE "C",
	family_name        text COLLATE "C",
	preferred_username text COLLATE "C",
	doc                jsonb NOT NULL,
	PRIMARY KEY (pool_id, sub)
);

-- One index per ListUsers order, each ending in sub: the order "compared
-- value, then sub", the keyset cursor and prefix ranges (col >= p AND
-- col < successor(p)) all come from the index.
CREATE INDEX users_by_username ON {users} (pool_id, username, sub);
CREATE INDEX users_by_email ON {users} (pool_id, email, sub) WHERE email IS NOT NULL;
CREATE INDEX users_by_phone_number ON {users} (pool_id, phone_number, sub) WHERE phone_number IS NOT NULL;
CREATE INDEX users_by_name ON {users} (pool_id, name, sub) WHERE name IS NOT NULL;
CREATE INDEX users_by_given_name ON {users} (pool_id, given_name, sub) WHERE given_name IS NOT NULL;
CREATE INDEX users_by_family_name ON {users} (pool_id, family_name, sub) WHERE family_name IS NOT NULL;
CREATE INDEX users_by_preferred_username ON {users} (pool_id, preferred_username, sub) WHERE preferred_username IS NOT NULL;

-- logins is the uniqueness rule for user names and aliases. The user's doc
-- repeats its logins so that GetUser reads one row; both change in the
-- same transaction.
CREATE TABLE {logins} (
	pool_id text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	name    text COLLATE "C" NOT NULL,
	sub     text COLLATE "C" NOT NULL,
	PRIMARY KEY (pool_id, key),
	FOREIGN KEY (pool_id, sub) REFERENCES {users} (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX logins_by_sub ON {logins} (pool_id, sub);

CREATE TABLE {groups} (
	pool_id     text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	name        text COLLATE "C" NOT NULL,
	description text COLLATE "C" NOT NULL,
	role_arn    text COLLATE "C" NOT NULL,
	precedence  bigint,
	created_at  timestamptz,
	updated_at  timestamptz,
	PRIMARY KEY (pool_id, name)
);

CREATE TABLE {members} (
	pool_id    text COLLATE "C" NOT NULL,
	group_name text COLLATE "C" NOT NULL,
	sub        text COLLATE "C" NOT NULL,
	PRIMARY KEY (pool_id, group_name, sub),
	FOREIGN KEY (pool_id, group_name) REFERENCES {groups} (pool_id, name) ON DELETE CASCADE,
	FOREIGN KEY (pool_id, sub) REFERENCES {users} (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX members_by_sub ON {members} (pool_id, sub, group_name);

CREATE TABLE {codes} (
	pool_id    text COLLATE "C" NOT NULL,
	sub        text COLLATE "C" NOT NULL,
	purpose    text COLLATE "C" NOT NULL,
	hash       bytea,
	data       bytea,
	created_at timestamptz,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (pool_id, sub, purpose),
	FOREIGN KEY (pool_id, sub) REFERENCES {users} (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX codes_by_expiry ON {codes} (expires_at);

CREATE TABLE {sessions} (
	pool_id    text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	id         text COLLATE "C" NOT NULL,
	data       bytea,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (pool_id, id)
);
CREATE INDEX sessions_by_expiry ON {sessions} (expires_at);

CREATE TABLE {refresh_tokens} (
	pool_id     text COLLATE "C" NOT NULL,
	hash        text COLLATE "C" NOT NULL,
	sub         text COLLATE "C" NOT NULL,
	client_id   text COLLATE "C" NOT NULL,
	device_key  text COLLATE "C" NOT NULL,
	family_id   text COLLATE "C" NOT NULL,
	origin_jti  text COLLATE "C" NOT NULL,
	data        bytea,
	issued_at   timestamptz,
	expires_at  timestamptz NOT NULL,
	revoked_at  timestamptz,
	replaced_by text COLLATE "C" NOT NULL,
	PRIMARY KEY (pool_id, hash),
	FOREIGN KEY (pool_id, sub) REFERENCES {users} (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_by_family ON {refresh_tokens} (pool_id, family_id);
CREATE INDEX refresh_tokens_by_sub ON {refresh_tokens} (pool_id, sub);
CREATE INDEX refresh_tokens_by_expiry ON {refresh_tokens} (expires_at);

CREATE TABLE {devices} (
	pool_id text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	sub     text COLLATE "C" NOT NULL,
	doc     jsonb NOT NULL,
	PRIMARY KEY (pool_id, key),
	FOREIGN KEY (pool_id, sub) REFERENCES {users} (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX devices_by_sub ON {devices} (pool_id, sub, key);

CREATE TABLE {signing_keys} (
	pool_id    text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	kid        text COLLATE "C" NOT NULL,
	algorithm  text COLLATE "C" NOT NULL,
	private    bytea,
	created_at timestamptz,
	retired_at timestamptz,
	PRIMARY KEY (pool_id, kid)
);
-- At most one active key per pool, enforced by the database: two
-- instances rotating at once cannot both store an active key.
CREATE UNIQUE INDEX signing_keys_one_active ON {signing_keys} (pool_id) WHERE retired_at IS NULL;

CREATE TABLE {attempts} (
	pool_id      text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	key          text COLLATE "C" NOT NULL,
	count        bigint NOT NULL,
	last_at      timestamptz,
	locked_until timestamptz,
	PRIMARY KEY (pool_id, key)
);
CREATE INDEX attempts_by_last ON {attempts} (last_at);
