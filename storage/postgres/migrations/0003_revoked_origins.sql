-- 0003: revoked origin_jti values (storage.Revocations): the ID and access
-- tokens minted from a revoked refresh token.
CREATE TABLE {revoked_origins} (
	pool_id    text COLLATE "C" NOT NULL REFERENCES {pools} (id) ON DELETE CASCADE,
	origin_jti text COLLATE "C" NOT NULL,
	sub        text NOT NULL,
	revoked_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	PRIMARY KEY (pool_id, origin_jti)
);
CREATE INDEX revoked_origins_by_expiry ON {revoked_origins} (expires_at);
