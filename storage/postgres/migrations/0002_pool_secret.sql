-- 0002: each pool keeps a random secret (storage.Pool.Secret).
ALTER TABLE {pools} ADD COLUMN secret bytea;
