-- Each pool keeps random key material of its own (storage.Pool.Secret).
ALTER TABLE pools ADD COLUMN secret BLOB;
