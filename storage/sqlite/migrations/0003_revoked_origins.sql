-- Revoked origin_jti values (storage.Revocations): the ID and access tokens
-- minted from a revoked refresh token.
CREATE TABLE revoked_origins (
	pool_id    TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
	origin_jti TEXT NOT NULL,
	sub        TEXT NOT NULL,
	revoked_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	PRIMARY KEY (pool_id, origin_jti)
);
CREATE INDEX revoked_origins_by_expiry ON revoked_origins (expires_at);
