-- App clients by id alone (storage.ClientLocator): a server's public
-- requests name a client, not its pool.
CREATE INDEX clients_by_id ON clients (id);
