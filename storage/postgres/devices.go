package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// deviceDoc is the part of a device no query looks inside, kept as
// devices.doc.
type deviceDoc struct {
	GroupKey            string              `json:"group_key,omitempty"`
	Name                string              `json:"name,omitempty"`
	Remembered          bool                `json:"remembered,omitempty"`
	SRP                 storage.SRPVerifier `json:"srp,omitzero"`
	Attributes          map[string]string   `json:"attributes,omitempty"`
	CreatedAt           time.Time           `json:"created_at,omitzero"`
	UpdatedAt           time.Time           `json:"updated_at,omitzero"`
	LastAuthenticatedAt time.Time           `json:"last_authenticated_at,omitzero"`
}

// PutDevice creates or replaces a device; the foreign key refuses a
// missing user.
func (s *Store) PutDevice(ctx context.Context, d storage.Device) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	doc, err := json.Marshal(deviceDoc{
		GroupKey: d.GroupKey, Name: d.Name, Remembered: d.Remembered, SRP: d.SRP, Attributes: d.Attributes,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, LastAuthenticatedAt: d.LastAuthenticatedAt,
	})
	if err != nil {
		return fmt.Errorf("postgres: device %q: %w", d.Key, err)
	}
	_, err = s.db.Exec(ctx, s.q(`INSERT INTO {devices} (pool_id, key, sub, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (pool_id, key) DO UPDATE SET sub = EXCLUDED.sub, doc = EXCLUDED.doc`),
		d.PoolID, d.Key, d.Sub, string(doc))
	return dbErr(fmt.Sprintf("device %q", d.Key), err)
}

func scanDevice(row pgx.Row) (storage.Device, error) {
	var d storage.Device
	var doc []byte
	if err := row.Scan(&d.PoolID, &d.Key, &d.Sub, &doc); err != nil {
		return storage.Device{}, err
	}
	var dd deviceDoc
	if err := json.Unmarshal(doc, &dd); err != nil {
		return storage.Device{}, fmt.Errorf("device %q: corrupt doc: %w", d.Key, err)
	}
	d.GroupKey, d.Name, d.Remembered, d.SRP, d.Attributes = dd.GroupKey, dd.Name, dd.Remembered, dd.SRP, dd.Attributes
	d.CreatedAt, d.UpdatedAt, d.LastAuthenticatedAt = dd.CreatedAt, dd.UpdatedAt, dd.LastAuthenticatedAt
	return d, nil
}

// GetDevice returns a device by key.
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (storage.Device, error) {
	if err := s.ready(ctx); err != nil {
		return storage.Device{}, err
	}
	what := fmt.Sprintf("device %q", key)
	if !storable(poolID) || !storable(key) {
		return storage.Device{}, fmt.Errorf("postgres: %s: %w", what, storage.ErrNotFound)
	}
	d, err := scanDevice(s.db.QueryRow(ctx, s.q("SELECT pool_id, key, sub, doc FROM {devices} WHERE pool_id = $1 AND key = $2"), poolID, key))
	if err != nil {
		return storage.Device{}, dbErr(what, err)
	}
	return d, nil
}

// ListDevices returns a user's devices ordered by key.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Device], error) {
	after, err := parsePage("devices", req)
	if err != nil {
		return storage.Page[storage.Device]{}, err
	}
	if err := s.ready(ctx); err != nil {
		return storage.Page[storage.Device]{}, err
	}
	rows, err := s.db.Query(ctx, s.q(`SELECT pool_id, key, sub, doc FROM {devices}
		WHERE pool_id = $1 AND sub = $2 AND key > $3 ORDER BY key LIMIT $4`), poolID, sub, afterKey(after), req.Limit+1)
	if err != nil {
		return storage.Page[storage.Device]{}, dbErr("list devices", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.Device, error) { return scanDevice(r) })
	if err != nil {
		return storage.Page[storage.Device]{}, dbErr("list devices", err)
	}
	return pageByKey("devices", items, req.Limit, func(d storage.Device) string { return d.Key }), nil
}

// DeleteDevice removes a device.
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	if err := s.ready(ctx); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, s.q("DELETE FROM {devices} WHERE pool_id = $1 AND key = $2"), poolID, key)
	return deleted(fmt.Sprintf("device %q", key), tag.RowsAffected(), err)
}
